"""Data in: news articles captured from the web, and ACLED CSV files checked row by row and imported in one transaction."""

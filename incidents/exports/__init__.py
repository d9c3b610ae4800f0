"""Data out: the public CSV and GeoJSON downloads of the dashboard's view, and the list of withdrawn incidents."""

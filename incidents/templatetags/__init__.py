"""Template tags for the analysts' and public pages; they draw and never decide (rules live in the packages)."""

"""What the public sees: the one FilterSet, the dashboard's map, timeline and table, the JSON API and its cache."""

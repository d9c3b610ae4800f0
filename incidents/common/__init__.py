"""Shared helpers with no models of their own: the ACLED typology, name keys, query-string and SQL-to-JSON plumbing."""

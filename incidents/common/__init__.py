"""Shared helpers with no models of their own: ACLED typology and file format, area and name spellings, plumbing."""

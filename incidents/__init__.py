"""Deir ez-Zor Incidents: news reports in, coded incidents reviewed by a second analyst, a public map out."""

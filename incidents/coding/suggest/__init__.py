"""Suggested incidents read from a report's text with transparent rules over the analysts' dictionaries."""

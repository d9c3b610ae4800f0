"""Turning an article into incidents: the coding screen, suggested incidents, likely duplicates and merging them."""

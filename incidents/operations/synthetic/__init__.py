"""Synthetic incidents with real data's shapes: the benchmark's millions and the marked, removable demo."""

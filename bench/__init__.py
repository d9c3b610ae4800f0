"""Benchmark harness: synthetic data generator (generate.py) and timings against raw Postgres (run.py)."""

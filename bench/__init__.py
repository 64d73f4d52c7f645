"""Benchmarks for paperdeck: synthetic corpora, engine and TUI timings, an SQLite FTS5 baseline.

Run `python -m bench.run --help`. Nothing here is imported by the paperdeck package.
"""

"""Benchmarks at national scale: data generation (bench.generate) and the API (bench.api)."""

"""The Benchmarks lab: one page per row of the lecture's benchmark table."""

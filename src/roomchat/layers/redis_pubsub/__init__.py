"""The Redis pub/sub layer: publishing in batches, one subscription and reader per process."""

"""The Redis pub/sub layer: publishing in batches, one reader per shard connection."""

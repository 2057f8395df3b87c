"""The benchmark suite: a load generator, a reference server, and the runs that compare them."""

"""Where the benchmark's measurements get their servers: fresh ones each, or (a smoke run) one
set of each kind kept for the run, except for a measurement that asks for fresh ones."""

from __future__ import annotations

from roomchat.bench.servers import REFERENCE, ServerPool


def test_the_full_benchmark_starts_fresh_servers_for_each_measurement() -> None:
    pool = ServerPool(None, None, keep=False)
    try:
        with pool.servers(REFERENCE, 1) as first:
            first_pid = first[0].pid
        assert not first[0].serving()
        with pool.servers(REFERENCE, 1) as second:
            assert second[0].pid != first_pid
    finally:
        pool.close()


def test_a_kept_pool_reuses_a_kind_until_closed_but_starts_fresh_ones_when_asked() -> None:
    pool = ServerPool(None, None, keep=True)
    try:
        with pool.servers(REFERENCE, 1) as first:
            kept = first[0]
        assert kept.serving()
        with pool.servers(REFERENCE, 1, rate_limited=True) as again:
            assert again[0] is kept  # the reference has no rate limit to differ in
        with pool.servers(REFERENCE, 1, fresh=True) as fresh:
            assert fresh[0].pid != kept.pid
        assert not fresh[0].serving()
        with pool.servers(REFERENCE, 2) as pair:
            assert kept not in pair
    finally:
        pool.close()
    assert not kept.serving()
    assert not any(server.serving() for server in pair)

"""What a process costs, read from /proc: CPU seconds and resident memory."""

from __future__ import annotations

import os
from pathlib import Path

_TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    # The command name (field 2) may hold spaces; everything after its ')' is space-separated.
    fields = stat[stat.rindex(")") + 2 :].split()
    utime, stime = int(fields[11]), int(fields[12])
    return (utime + stime) / _TICKS_PER_SECOND


def rss_bytes(pid: int) -> int:
    """The process's resident set size."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


def core_plan(server_processes: int = 1) -> tuple[list[int] | None, set[int] | None]:
    """(the cores server processes take turns on, client cores), or no pinning on one core.

    With a core for every server process and one left for the load, each process gets its
    own; with fewer (two cores and two processes, say) the servers share the first core and
    the load generator keeps the rest, so a scale-out run cannot show more than parity.
    """
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2:
        return None, None
    shared = min(server_processes, len(cores) - 1)
    return cores[:shared], set(cores[shared:])

"""The benchmark's scenarios, at full size (`make bench`) and smoke size (`make test`)."""

from __future__ import annotations

from dataclasses import dataclass

from roomchat.bench.attack import Attack
from roomchat.bench.churn import Churn
from roomchat.bench.loadgen import Workload

# Before traffic is measured, the join notices of the last connections go by; before each of
# the idle scenario's two memory readings, the server settles. A smoke run checks that every
# scenario completes and counts right, not what it measures: it waits a fraction as long.
SETTLE_SECONDS = 0.5
IDLE_SETTLE_SECONDS = 1.0
SMOKE_SETTLE_SECONDS = 0.1
SMOKE_IDLE_SETTLE_SECONDS = 0.2


@dataclass(frozen=True)
class Scenario:
    name: str
    workload: Workload
    idle: bool = False
    """Measure memory per open connection instead of sending."""
    processes: int = 1
    """Server processes; more than one shares rooms through Redis."""
    attack: Attack | None = None
    """Connections beside the workload sending a costly bad frame. roomchat then runs with its
    default rate limit, which the attack (and the workload) stays inside."""
    churn: Churn | None = None
    """Members coming and going at this pace (the workload's clients are the watchers that
    stay); measured against tutorial clients churning on the same servers, not the reference."""
    memory_alone: bool = False
    """On the in-memory layer, run one process instead of leaving the layer out."""
    history_compared: bool = False
    """Chats flow: roomchat runs with history on and with history off (`--history`), its
    clients opting in (`roomchat.v1`) in both so the on-run's numbered frames are delivered
    and the two differ in the history alone."""
    settle_seconds: float = SETTLE_SECONDS
    """The pause before traffic starts, or before each memory reading of an idle scenario."""

    def processes_on(self, layer: str) -> int | None:
        """How many server processes run on `layer`; None when the scenario skips it (the
        in-memory layer cannot share rooms between processes)."""
        if layer == "memory" and self.processes > 1:
            return 1 if self.memory_alone else None
        return self.processes


def scenarios(*, smoke: bool) -> list[Scenario]:
    if smoke:
        steady = Workload(
            rooms=1, clients_per_room=6, senders_per_room=2, messages_per_sender=5, rate=10
        )
        fan_out = Workload(rooms=1, clients_per_room=6, senders_per_room=2, messages_per_sender=20)
        settle = SMOKE_SETTLE_SECONDS
        # Only fan-out compares history on and off at this size: each run is a server start.
        return [
            Scenario("fan-out", fan_out, history_compared=True, settle_seconds=settle),
            Scenario(
                "many-rooms",
                Workload(rooms=4, clients_per_room=3, senders_per_room=1, messages_per_sender=10),
                settle_seconds=settle,
            ),
            Scenario("steady-rate", steady, settle_seconds=settle),
            Scenario("amplification", steady, attack=Attack(), settle_seconds=settle),
            Scenario(
                "idle",
                Workload(rooms=4, clients_per_room=10),
                idle=True,
                settle_seconds=SMOKE_IDLE_SETTLE_SECONDS,
            ),
            Scenario("scale-out", fan_out, processes=2, settle_seconds=settle),
            _churn(Churn(rate=40, seconds=0.25, stay=(0.02, 0.1)), rooms=1),
        ]
    steady = Workload(
        rooms=1, clients_per_room=50, senders_per_room=5, messages_per_sender=100, rate=10
    )
    fan_out = Workload(rooms=1, clients_per_room=50, senders_per_room=5, messages_per_sender=200)
    return [
        Scenario("fan-out", fan_out, history_compared=True),
        Scenario(
            "many-rooms",
            Workload(rooms=100, clients_per_room=5, senders_per_room=1, messages_per_sender=100),
            history_compared=True,
        ),
        Scenario("steady-rate", steady, history_compared=True),
        Scenario("amplification", steady, attack=Attack()),
        Scenario(
            "idle",
            Workload(rooms=100, clients_per_room=10),
            idle=True,
            settle_seconds=IDLE_SETTLE_SECONDS,
        ),
        Scenario("scale-out", fan_out, processes=2, history_compared=True),
        _churn(Churn(rate=50, seconds=10), rooms=5),
    ]


def _churn(churn: Churn, *, rooms: int) -> Scenario:
    """Two processes on the Redis layers, one on memory; two watchers per room (on a process
    each, where there are two)."""
    watchers = Workload(rooms=rooms, clients_per_room=2)
    return Scenario("churn", watchers, processes=2, churn=churn, memory_alone=True)

"""The cost of observing requests (codegen.runtime.http.observe): `Session.request` over `httpx.MockTransport`
(a tiny JSON answer, so the session's own work is all there is), CPU microseconds per request (`time.process_time`:
other processes on a loaded machine count less than in wall time), in one run:

- unwatched: the session's send without the observation hook at all (the code before observability);
- idle: no observer, DEBUG off, OpenTelemetry absent (`tracing.tracer` made to return None): the fast path;
- otel-noop: OpenTelemetry's API installed, no tracer provider set (non-recording spans);
- observer: an observer whose hooks do nothing;
- debug: the logger `codegen.runtime.http` at DEBUG, to a handler that drops the records.

    .venv/bin/python benchmarks/bench_observe.py [--requests N] [--repeat N]

Rounds are interleaved in a new random order each time and the minimum of `--repeat` is shown, with its ratio
to "unwatched". On a loaded machine whole requests vary by more than the hook costs, so the idle hook itself
(`Observation.watch` finding nothing to do) is also timed alone, in nanoseconds.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import time
import timeit
from collections.abc import Callable

import httpx

from codegen.runtime.http import Observer, RetryPolicy, Session, tracing
from codegen.runtime.http.observe import Observation
from codegen.runtime.http.exchange import Clock


class Unwatched(Session):
    def _send(self, request: httpx.Request, clock: Clock) -> httpx.Response:
        return self._receive(self._request_for_send(request, clock, self._client.timeout), clock)


def answer(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=b'{"value":[]}', headers={"Content-Type": "application/json"})


def session(cls: type[Session], observer: Observer | None = None) -> Session:
    return cls("http://127.0.0.1", transport=httpx.MockTransport(answer), retry=RetryPolicy(), observer=observer)


def timed(make: Callable[[], Session], requests: int) -> float:
    with make() as s:
        s.request("GET", "Leads")
        start = time.process_time()
        for _ in range(requests):
            s.request("GET", "Leads")
        return (time.process_time() - start) / requests * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=7)
    options = parser.parse_args()
    real_tracer = tracing.tracer
    logger = logging.getLogger("codegen.runtime.http")
    logger.propagate = False
    logger.addHandler(logging.NullHandler())

    def without_otel(make: Callable[[], Session]) -> Callable[[], Session]:
        def made() -> Session:
            tracing.tracer = lambda: None  # type: ignore[assignment]
            try:
                return make()
            finally:
                tracing.tracer = real_tracer  # type: ignore[assignment]

        return made

    def at_debug() -> Session:
        return without_otel(lambda: session(Session))()

    cases: dict[str, Callable[[], Session]] = {
        "unwatched": without_otel(lambda: session(Unwatched)),
        "idle": without_otel(lambda: session(Session)),
        "otel-noop": lambda: session(Session),
        "observer": without_otel(lambda: session(Session, Observer())),
        "debug": at_debug,
    }
    if real_tracer() is None:
        del cases["otel-noop"]
    best = {name: float("inf") for name in cases}
    for _ in range(options.repeat):
        for name, make in random.sample(list(cases.items()), len(cases)):
            logger.setLevel(logging.DEBUG if name == "debug" else logging.WARNING)
            best[name] = min(best[name], timed(make, options.requests))
    logger.setLevel(logging.WARNING)
    idle = without_otel(lambda: session(Session))()._observation  # type: ignore[attr-defined]
    request = httpx.Request("GET", "http://127.0.0.1/Leads")
    assert isinstance(idle, Observation) and idle.watch(request, 1) is None
    hook_ns = min(timeit.repeat(lambda: idle.watch(request, 1), number=100_000, repeat=5)) / 100_000 * 1e9
    logger.setLevel(logging.NOTSET)
    print(f"load average {os.getloadavg()[0]:.2f}; {options.requests} requests x {options.repeat} rounds")
    for name, micros in best.items():
        print(f"{name:>10}: {micros:7.1f} us/request  x{micros / best['unwatched']:.3f}")
    print(f"idle hook alone: {hook_ns:.0f} ns/request ({hook_ns / 10 / best['unwatched']:.2f}% of a request)")


if __name__ == "__main__":
    main()

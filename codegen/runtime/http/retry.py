"""When to send a request again, and how long to wait first: pure decisions shared by both sessions.

`Session` and `AsyncSession` run the same loop and differ only in how they send and sleep; every decision
is one of the functions here, which do no I/O.

- Idempotent methods (GET, HEAD, OPTIONS by default) are retried after a retryable status (429, 502, 503,
  504), a connection failure, a timeout of any kind, or a connection the server dropped.
- Every other method (POST, PATCH, PUT, DELETE, actions) is retried only when the request provably never
  reached the server: `httpx.ConnectError`, `httpx.ConnectTimeout`, `httpx.PoolTimeout`. Never after a
  status, a read or write timeout, or a dropped connection, since the server may have acted on it.
- The wait is the server's `Retry-After` (seconds or an HTTP date) when it sent one; a `Retry-After` longer
  than `max_retry_after` means "not now": no retry, the error is raised at once (`RateLimitedError` for
  429). Otherwise it is exponential backoff with full jitter: `uniform(0, min(backoff_max, backoff_base *
  backoff_factor ** (attempt - 1)))`, attempt counting from 1.
- `max_attempts` counts every attempt, the first included; after the last one its error is raised.
"""

from __future__ import annotations

import random as _random
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Final

import anyio
import attrs
import httpx

from .errors import retry_after_seconds

__all__ = [
    "IDEMPOTENT_METHODS",
    "NEVER_SENT",
    "RETRY_STATUSES",
    "RetryPolicy",
    "backoff_delay",
    "delay_after_error",
    "delay_after_response",
]

RETRY_STATUSES: Final = frozenset({429, 502, 503, 504})
IDEMPOTENT_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
# Failures before a single byte of the request left: safe to repeat for any method.
NEVER_SENT: Final = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Failures after which an idempotent request may be repeated.
_TRANSIENT: Final = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


def _methods(methods: Iterable[str]) -> frozenset[str]:
    return frozenset(method.upper() for method in methods)


def _non_negative(_instance: object, attribute: attrs.Attribute[Any], value: float) -> None:
    if not value >= 0:
        raise ValueError(f"RetryPolicy.{attribute.name} must be 0 or more, not {value!r}")


def _at_least_one(_instance: object, attribute: attrs.Attribute[Any], value: float) -> None:
    if not value >= 1:
        raise ValueError(f"RetryPolicy.{attribute.name} must be 1 or more, not {value!r}")


@attrs.frozen
class RetryPolicy:
    """How often and when a session repeats a failed request (see the module text for the rules).

    `random(low, high)` draws the jitter and `sleep`/`async_sleep` wait; tests replace them to record the
    waits instead of sleeping. `RetryPolicy(max_attempts=1)` never retries.
    """

    max_attempts: int = attrs.field(default=4, validator=_at_least_one)
    backoff_base: float = attrs.field(default=0.5, validator=_non_negative)
    backoff_factor: float = attrs.field(default=2.0, validator=_at_least_one)
    backoff_max: float = attrs.field(default=30.0, validator=_non_negative)
    max_retry_after: float = attrs.field(default=60.0, validator=_non_negative)
    retry_statuses: frozenset[int] = attrs.field(default=RETRY_STATUSES, converter=frozenset)
    idempotent_methods: frozenset[str] = attrs.field(default=IDEMPOTENT_METHODS, converter=_methods)
    random: Callable[[float, float], float] = attrs.field(default=_random.uniform, eq=False, repr=False)
    sleep: Callable[[float], object] = attrs.field(default=time.sleep, eq=False, repr=False)
    async_sleep: Callable[[float], Awaitable[object]] = attrs.field(default=anyio.sleep, eq=False, repr=False)


def backoff_delay(policy: RetryPolicy, attempt: int) -> float:
    """The jittered wait after failed attempt number `attempt` (1 for the first)."""
    try:
        cap = min(policy.backoff_max, policy.backoff_base * policy.backoff_factor ** (attempt - 1))
    except OverflowError:
        cap = policy.backoff_max
    return float(policy.random(0.0, cap))


def delay_after_response(policy: RetryPolicy, method: str, response: httpx.Response, attempt: int) -> float | None:
    """Seconds to wait before sending again after `response`, or None: do not retry, raise its error."""
    if response.status_code not in policy.retry_statuses or method.upper() not in policy.idempotent_methods:
        return None
    retry_after = retry_after_seconds(response)
    if retry_after is not None and retry_after > policy.max_retry_after:
        return None
    if attempt >= policy.max_attempts:
        return None
    return retry_after if retry_after is not None else backoff_delay(policy, attempt)


def delay_after_error(policy: RetryPolicy, method: str, error: httpx.HTTPError, attempt: int) -> float | None:
    """Seconds to wait before sending again after a transport `error`, or None: do not retry."""
    if attempt >= policy.max_attempts:
        return None
    if isinstance(error, NEVER_SENT):
        return backoff_delay(policy, attempt)
    if isinstance(error, _TRANSIENT) and method.upper() in policy.idempotent_methods:
        return backoff_delay(policy, attempt)
    return None

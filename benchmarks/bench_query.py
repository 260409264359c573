"""Time building and rendering a typed query: a 10-clause filter with a nested $expand, in microseconds.

    .venv/bin/python benchmarks/bench_query.py [--runs N]

Each run builds the query from the generated `aimbase` query classes and renders its whole URL, so both the
immutable builders and the renderer (literal formatting, percent-encoding) are measured. The peer, timed in
the same runs (interleaved, so both see the same machine load), writes the same URL by hand with f-strings
and one `urllib.parse.quote` per option: no type checks, no tree, the floor of what the typed API costs.
Figures are medians per call of CPU time (`time.process_time`: on a shared machine, waiting for a core is
not counted); the issue-11 target for the typed query is 100 us.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
import timeit
from collections.abc import Callable
from decimal import Decimal
from urllib.parse import quote

from aimbase import QLead, QProduct, QProspect
from codegen.runtime.query import Query, desc, expand

SINCE = dt.datetime(2025, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=-6)))
TARGET_US = 100.0


def build_and_render() -> str:
    conditions = (
        (QLead.score > 10)
        & (QLead.prospect.state == "CA")
        & QLead.medium.contains("O'Brien & Sons")
        & (QLead.lead_date >= SINCE)
        & QLead.is_active
        & QLead.lead_status_code.in_(["Pending", "Contacted", "Sold"])
        & (QLead.dealer_distance_miles < Decimal("250.5"))
        & ~QLead.external_id.is_null()
        & (QLead.lead_date.year() == 2025)
        & ((QLead.follow_up_status_code == "Not Contacted") | (QLead.prospect.email.endswith("@rollick.io")))
    )
    query = (
        Query(QLead)
        .filter(conditions)
        .expand(
            expand(QLead.prospect, QProspect.company, select=[QProspect.state, QProspect.email]),
            expand(QLead.product, QProduct.brand, QProduct.product_category),
        )
        .order_by(desc(QLead.lead_date), QLead.id)
        .top(100)
        .count()
    )
    return query.url("Leads")


# `/` is left alone: none of the literals below holds one, and the paths need it literal.
_HAND_SAFE = "/'(),:$@*!"


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def by_hand() -> str:
    statuses = ",".join(_quoted(status) for status in ["Pending", "Contacted", "Sold"])
    medium = _quoted("O'Brien & Sons")
    text = (
        f"Score gt {10} and Prospect/State eq {_quoted('CA')} and contains(Medium,{medium})"
        f" and LeadDate ge {SINCE.isoformat()} and IsActive and LeadStatusCode in ({statuses})"
        f" and DealerDistanceMiles lt {Decimal('250.5')} and not (ExternalId eq null) and year(LeadDate) eq {2025}"
        f" and (FollowUpStatusCode eq {_quoted('Not Contacted')} or endswith(Prospect/Email,{_quoted('@rollick.io')}))"
    )
    expanded = "Prospect($select=State,Email;$expand=Company),Product($expand=Brand,ProductCategory)"
    order = quote("LeadDate desc,Id", safe=_HAND_SAFE)
    return f"Leads?$filter={quote(text, safe=_HAND_SAFE)}&$expand={expanded}&$orderby={order}&$top={100}&$count=true"


def per_call_us(function: Callable[[], object], calls: int) -> float:
    return timeit.Timer(function, timer=time.process_time).timeit(number=calls) / calls * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timing runs (each many calls); default 7")
    args = parser.parse_args()
    print(f"$ {' '.join([sys.executable.rsplit('/', 1)[-1], *sys.argv])}")
    print(f"python {platform.python_version()}, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    url = build_and_render()
    if by_hand() != url:
        raise SystemExit(f"the hand-written peer builds another URL:\n  {by_hand()}\n  {url}")
    print(f"URL ({len(url)} characters): {url[:120]}...")
    typed_calls, _ = timeit.Timer(build_and_render, timer=time.process_time).autorange()
    hand_calls, _ = timeit.Timer(by_hand, timer=time.process_time).autorange()
    typed, hand = [], []
    for _ in range(args.runs):  # interleaved: a burst of load hits both columns alike
        typed.append(per_call_us(build_and_render, typed_calls))
        hand.append(per_call_us(by_hand, hand_calls))
    typed_median, hand_median = statistics.median(typed), statistics.median(hand)
    print(
        f"typed build + render, 10-clause filter with nested expand: median {typed_median:.1f} us"
        f" (min {min(typed):.1f}; {args.runs} runs of {typed_calls} calls),"
        f" {typed_median / TARGET_US:.2f}x the {TARGET_US:.0f} us target"
    )
    print(
        f"peer, the same URL by hand (f-strings + urllib.parse.quote): median {hand_median:.1f} us"
        f" (min {min(hand):.1f}); typed / peer = {typed_median / hand_median:.1f}x"
    )


if __name__ == "__main__":
    main()

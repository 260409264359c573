"""Time building and rendering a typed query: a 10-clause filter with a nested $expand, in microseconds.

    .venv/bin/python benchmarks/bench_query.py [--runs N]

Each run builds the query from the generated `aimbase` query classes and renders its whole URL, so both the
immutable builders and the renderer (literal formatting, percent-encoding) are measured.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import sys
import timeit
from decimal import Decimal

from aimbase import QLead, QProduct, QProspect
from codegen.runtime.query import Query, desc, expand

SINCE = dt.datetime(2025, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=-6)))


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timing runs (each many calls); default 7")
    args = parser.parse_args()
    print(f"$ {' '.join([sys.executable.rsplit('/', 1)[-1], *sys.argv])}")
    print(f"python {platform.python_version()}")
    url = build_and_render()
    print(f"URL ({len(url)} characters): {url[:120]}...")
    timer = timeit.Timer(build_and_render)
    calls, _ = timer.autorange()
    per_call = [seconds / calls * 1e6 for seconds in timer.repeat(repeat=args.runs, number=calls)]
    print(
        f"build + render, 10-clause filter with nested expand: min {min(per_call):.1f} us, "
        f"median {statistics.median(per_call):.1f} us ({args.runs} runs of {calls} calls)"
    )


if __name__ == "__main__":
    main()

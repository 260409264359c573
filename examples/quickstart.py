"""The quickstart: log in, stream leads page by page, read one lead with its product, update its status.

Run by `python3 run.py demo` against the bundled sandbox; against a real instance set AIMBASE_URL,
AIMBASE_USER and AIMBASE_PASSWORD.
"""

from __future__ import annotations

import os
import sys

from aimbase import AimbaseClient, Lead, QLead, QProduct, QProspect, desc, expand

BAR_WIDTH = 30


def progress(done: int, total: int | None, pages: int) -> str:
    if not total:
        return f"{done} leads, {pages} pages"
    filled = BAR_WIDTH * done // total
    return f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total} leads, {pages} pages"


def stream_hot_leads(client: AimbaseClient) -> Lead | None:
    """Every active lead scoring 25 or more, with its prospect and dealer, newest first."""
    hot = (
        client.leads.query()
        .filter((QLead.score >= 25) & QLead.is_active & (QLead.prospect.country_code == "US"))
        .expand(expand(QLead.prospect, select=[QProspect.first_name, QProspect.last_name, QProspect.state]))
        .expand(QLead.dealer)
        .order_by(desc(QLead.lead_date))
        .include_count()
    )
    print(f"GET {hot.url()}")
    total, done, pages, newest = None, 0, 0, None
    for page in hot.pages(max_page_size=250):
        total = page.count if page.count is not None else total
        done, pages = done + len(page.items), pages + 1
        newest = newest or (page.items[0] if page.items else None)
        # On a terminal the bar redraws in place; in a log each page gets its own line.
        start, end = ("\r", "\n" if page.next_link is None else "") if sys.stdout.isatty() else ("", "\n")
        sys.stdout.write(f"{start}  {progress(done, total, pages)}{end}")
        sys.stdout.flush()
    return newest


def main() -> None:
    base_url = os.environ.get("AIMBASE_URL", "http://127.0.0.1:8000")
    username = os.environ.get("AIMBASE_USER", "demo")
    with AimbaseClient(base_url, username=username, password=os.environ.get("AIMBASE_PASSWORD", "demo")) as client:
        print(f"1. Logging in to {base_url} as {username} and streaming hot leads")
        newest = stream_hot_leads(client)
        if newest is None:
            print("   no lead matched")
            return
        prospect = newest.prospect
        who = f"{prospect.first_name} {prospect.last_name} ({prospect.state})" if prospect else "unknown prospect"
        print(f"   newest: lead {newest.id} from {who}, dealer {newest.dealer.name if newest.dealer else '-'}")

        print(f"2. Reading lead {newest.id} with Product($expand=Brand,ProductCategory)")
        lead = client.leads.get(newest.id, expand=[expand(QLead.product, QProduct.brand, QProduct.product_category)])
        product = lead.product
        if product is not None:
            brand = product.brand.name if product.brand else "-"
            category = product.product_category.name if product.product_category else "-"
            print(f"   {product.name} by {brand}, category {category}; status {lead.follow_up_status_code!r}")

        new_status = "Contacted" if lead.follow_up_status_code != "Contacted" else "Not Contacted"
        print(f"3. Setting FollowUpStatusCode to {new_status!r}")
        client.leads.patch(lead, follow_up_status_code=new_status)
        again = client.leads.get(lead.id, select=[QLead.id, QLead.follow_up_status_code])
        print(f"   read back: {again.follow_up_status_code!r}")
        if again.follow_up_status_code != new_status:
            raise SystemExit("the change did not stick")
        print("Done.")


if __name__ == "__main__":
    main()

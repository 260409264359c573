"""Sync leads into a dealer system: log in, stream new leads, read one with its product, update its status.

AIMBASE_URL=https://acme.aimbase.com AIMBASE_USER=me AIMBASE_PASSWORD=secret python examples/sync_leads.py
"""

from __future__ import annotations

import datetime as dt
import os

from aimbase import AimbaseClient, NotFoundError, QLead, QProduct, desc, expand


def run(client: AimbaseClient, lead_id: int) -> None:
    since = dt.datetime(2025, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=-6)))
    new_leads = (
        client.leads.query()
        .filter((QLead.lead_date >= since) & (QLead.follow_up_status_code == "Not Contacted"))
        .expand(QLead.prospect, QLead.dealer)
        .order_by(desc(QLead.lead_date))
    )
    for lead in new_leads.iter(max_page_size=500):  # follows @odata.nextLink, one page in memory
        prospect = lead.prospect.email if lead.prospect else None
        dealer = lead.dealer.name if lead.dealer else None
        print(f"lead {lead.id} from {prospect} for {dealer}, score {lead.score}")

    try:
        lead = client.leads.get(lead_id, expand=[expand(QLead.product, QProduct.brand, QProduct.product_category)])
    except NotFoundError:
        print(f"lead {lead_id} does not exist")
        return
    brand = lead.product.brand.name if lead.product and lead.product.brand else None
    print(f"lead {lead.id}: {brand}, status {lead.follow_up_status_code!r}")
    client.leads.patch(lead, follow_up_status_code="Contacted")  # only this property is sent


if __name__ == "__main__":
    with AimbaseClient(
        os.environ["AIMBASE_URL"], username=os.environ["AIMBASE_USER"], password=os.environ["AIMBASE_PASSWORD"]
    ) as client:
        run(client, lead_id=int(os.environ.get("AIMBASE_LEAD_ID", "302383")))

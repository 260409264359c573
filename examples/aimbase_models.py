"""Read the Aimbase documentation's example responses into typed `aimbase` objects and write them back.

Run through `python3 run.py demo`, which regenerates the bindings first.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from aimbase import Lead, structure, unstructure

EXAMPLES = Path(__file__).resolve().parent.parent / "specs" / "aimbase" / "examples"


def main() -> None:
    for path in sorted(EXAMPLES.glob("*.json")):
        # parse_float=Decimal keeps Edm.Decimal values such as Latitude exact.
        wire = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
        lead = structure(wire, Lead)
        print(f"{path.name}:")
        print(f"  Lead {lead.id} ({lead.lead_uid}), score {lead.score}, status {lead.lead_status_code!r}")
        print(f"  lead_date   {lead.lead_date.isoformat()}  (offset kept: {lead.lead_date.tzinfo})")
        if lead.prospect is not None:
            p = lead.prospect
            print(f"  prospect    {p.first_name} {p.last_name}, {p.state}, at ({p.latitude}, {p.longitude})")
        if lead.dealer is not None:
            print(f"  dealer      {lead.dealer.name} (distance {lead.dealer_distance_miles} miles)")
        if lead.product is not None and lead.product.brand is not None:
            print(f"  product     {lead.product.name} by {lead.product.brand.name}")
        print(f"  customs     {lead.customs.dynamic_properties if lead.customs else None}")
        print(f"  annotations {sorted(lead.instance_annotations)}")
        same = unstructure(lead) == wire
        print(f"  written back to the wire unchanged: {same}")
        if not same:
            raise SystemExit(f"{path.name}: round trip changed the payload")


if __name__ == "__main__":
    main()

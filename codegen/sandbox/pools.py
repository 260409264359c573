"""The Aimbase flavour of seed data: row counts, key ranges and value pools where property names match.

Names include quotes and non-ASCII letters (O'Brien, Zoë, Müller, Coeur d'Alene, Montréal) so that
clients are exercised on escaping and UTF-8; dates are US Central Time (-05:00 in summer, -06:00 in
winter), latitudes exact decimals. Everything not named here falls back to the generic rules in `seed`.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
import uuid
from decimal import Decimal
from typing import Any

from ..runtime import edm
from .seed import GENERIC, Flavour, RowContext, central_time, datetime_text

__all__ = ["AIMBASE"]

FIRST_NAMES = (
    "John Mary Zoë José Siobhán Renée Chloé Björn Ana Liam Olivia Noah Emma Mateo Sofía Aiden Grace Łukasz"
    " François Wei Priya Ahmed Hannah Diego Ingrid Kofi Yuki Dmitri Amélie Connor"
).split()
LAST_NAMES = (
    "O'Brien",
    "Müller",
    "García",
    "Nguyen",
    "Smith",
    "Johnson",
    "D'Angelo",
    "Schäfer",
    "Núñez",
    "Kowalski",
    "Brown",
    "Williams",
    "O'Neil",
    "Lee",
    "Martínez",
    "Dubois",
    "Fischer",
    "Andersson",
    "Østergaard",
    "Doe",
    "Harris",
    "Patel",
    "Kim",
    "van der Berg",
    "MacDonald",
)
# (city, state, county, postal code, latitude, longitude, country, country code)
PLACES = (
    ("Dallas", "TX", "Dallas", "75225", "32.866227", "-96.784112", "United States", "US"),
    ("Miami", "FL", "Miami-Dade", "33131", "25.761681", "-80.191788", "United States", "US"),
    ("Tampa", "FL", "Hillsborough", "33602", "27.950575", "-82.457178", "United States", "US"),
    ("Orlando", "FL", "Orange", "32801", "28.538336", "-81.379234", "United States", "US"),
    ("Chicago", "IL", "Cook", "60601", "41.878113", "-87.629799", "United States", "US"),
    ("Minneapolis", "MN", "Hennepin", "55401", "44.977753", "-93.265011", "United States", "US"),
    ("Madison", "WI", "Dane", "53703", "43.073051", "-89.401230", "United States", "US"),
    ("Traverse City", "MI", "Grand Traverse", "49684", "44.762745", "-85.620631", "United States", "US"),
    ("Lake Havasu City", "AZ", "Mohave", "86403", "34.483901", "-114.322455", "United States", "US"),
    ("Seattle", "WA", "King", "98101", "47.606209", "-122.332071", "United States", "US"),
    ("Portland", "OR", "Multnomah", "97204", "45.515232", "-122.678385", "United States", "US"),
    ("Coeur d'Alene", "ID", "Kootenai", "83814", "47.677683", "-116.780466", "United States", "US"),
    ("Española", "NM", "Rio Arriba", "87532", "35.991131", "-106.080580", "United States", "US"),
    ("Nashville", "TN", "Davidson", "37203", "36.162664", "-86.781602", "United States", "US"),
    ("Charleston", "SC", "Charleston", "29401", "32.776475", "-79.931051", "United States", "US"),
    ("Austin", "TX", "Travis", "78701", "30.267153", "-97.743061", "United States", "US"),
    ("Houston", "TX", "Harris", "77586", "29.559885", "-95.039498", "United States", "US"),
    ("Denver", "CO", "Denver", "80202", "39.739236", "-104.990251", "United States", "US"),
    ("St. Louis", "MO", "St. Louis City", "63101", "38.627003", "-90.199404", "United States", "US"),
    ("Des Moines", "IA", "Polk", "50309", "41.586835", "-93.625000", "United States", "US"),
    ("Montréal", "QC", "Montréal", "H2X 1Y4", "45.501689", "-73.567256", "Canada", "CA"),
    ("Québec", "QC", "Capitale-Nationale", "G1R 4P5", "46.813878", "-71.207981", "Canada", "CA"),
)
STREETS = (
    "Main St.",
    "Lakeshore Dr.",
    "Harbor Blvd.",
    "O'Farrell St.",
    "Elm St.",
    "Example Blvd.",
    "Rue Saint-Denis",
    "Marina Way",
    "Bayview Ave.",
    "Cedar Ln.",
    "Schillerstraße",
)
DEALER_NAMES = (
    "Aaron's Yachts",
    "Müller Marine",
    "Zoë's Boat House",
    "Lakeside Marine & Sport",
    "Blue Water Boats",
    "O'Connor Powersports",
    "Harbor Point Marine",
    "Bayou Boats",
    "Nordic Watercraft",
    "Sunset Marina",
    "Great Lakes Outfitters",
    "Río Grande Marine",
    "Captain Jack's",
    "Crystal Lake Boats",
    "Evergreen Marine",
)
COMPANY_NAMES = (
    "Acme Marine Supply",
    "O'Connor & Sons",
    "Gärtner GmbH",
    "Blue Water LLC",
    "Lakeshore Holdings",
    "Northwind Traders",
    "Peña Logistics",
    "Riverbend Co-op",
    "Summit Outdoor Group",
    "Keel & Rudder Inc.",
)
MODELS = ("250 Sport", "Cruiser 22", "Angler 19", "Pontoon 24 LX", "Wake 23", "Bay 210", "Deck 26", "Trail 7")
PRODUCT_CATEGORIES: tuple[dict[str, Any], ...] = (
    {"Name": "Boats", "Code": "BOATS", "ParentId": None, "Level": 1},
    {"Name": "Pontoons", "Code": "PONTOON", "ParentId": 1, "Level": 2},
    {"Name": "Bowriders", "Code": "BOWRIDER", "ParentId": 1, "Level": 2},
    {"Name": "Fishing", "Code": "FISHING", "ParentId": 1, "Level": 2},
    {"Name": "Wake & Surf", "Code": "WAKE", "ParentId": 1, "Level": 2},
    {"Name": "Bikes", "Code": "BIKES", "ParentId": None, "Level": 1},
    {"Name": "E-Bikes", "Code": "EBIKE", "ParentId": 6, "Level": 2},
    {"Name": "Gravel", "Code": "GRAVEL", "ParentId": 6, "Level": 2},
    {"Name": "Engines", "Code": "ENGINES", "ParentId": None, "Level": 1},
    {"Name": "Outboards", "Code": "OUTBOARD", "ParentId": 9, "Level": 2},
    {"Name": "Accessories", "Code": "ACCESS", "ParentId": None, "Level": 1},
    {"Name": "Trailers", "Code": "TRAILER", "ParentId": 11, "Level": 2},
)
BRANDS: tuple[dict[str, Any], ...] = (
    {"Code": "INF", "Name": "Infinity Marine", "IsDefault": True, "ManufacturerCode": "INFMAR"},
    {"Code": "TRV", "Name": "Traverse Bikes", "IsDefault": False, "ManufacturerCode": "TRVBK"},
    {"Code": "LKS", "Name": "Lakeshore Pontoons", "IsDefault": False, "ManufacturerCode": "INFMAR"},
    {"Code": "NRD", "Name": "Nordström Outdoor", "IsDefault": False, "ManufacturerCode": "NRDOUT"},
    {"Code": "OBR", "Name": "O'Brien Watersports", "IsDefault": False, "ManufacturerCode": "INFMAR"},
)


def _clamp(low: int, high: int, divisor: int) -> Any:
    return lambda rows: max(low, min(high, rows // divisor))


def _person(ctx: RowContext) -> tuple[str, str]:
    if "person" not in ctx.memo:
        ctx.memo["person"] = (ctx.pick(FIRST_NAMES), ctx.pick(LAST_NAMES))
    person: tuple[str, str] = ctx.memo["person"]
    return person


def _place(ctx: RowContext) -> tuple[str, ...]:
    if "place" not in ctx.memo:
        ctx.memo["place"] = ctx.pick(PLACES)
    place: tuple[str, ...] = ctx.memo["place"]
    return place


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).replace("ø", "o").replace("Ø", "O").replace("ł", "l")
    return "".join(c for c in folded if c.isascii() and (c.isalnum() or c == " ")).replace(" ", "").lower()


def _phone(ctx: RowContext, null_rate: float) -> Any:
    if ctx.chance(null_rate):
        return None
    return f"({ctx.rng.randint(201, 989)}) {ctx.rng.randint(200, 999)}-{ctx.rng.randint(0, 9999):04d}"


def _numeric(phone: Any) -> Any:
    return None if phone is None else "1" + "".join(c for c in phone if c.isdigit())


def _coordinate(ctx: RowContext, index: int) -> Decimal:
    jitter = Decimal(ctx.rng.randint(-20000, 20000)).scaleb(-6)
    return Decimal(_place(ctx)[index]) + jitter


def _moment(ctx: RowContext, name: str, moment: dt.datetime) -> str:
    column = ctx.table.columns[name]
    return datetime_text(central_time(moment), column.prop.precision)


def _read(text: Any) -> dt.datetime:
    return edm.read_datetime(text)


def _lead_date(ctx: RowContext) -> str:
    return _moment(ctx, "LeadDate", ctx.moment(dt.datetime(2023, 7, 1, tzinfo=dt.timezone.utc), days=730))


def _create_date(ctx: RowContext) -> str:
    if "LeadDate" in ctx.table.columns:
        lead = _read(ctx.value("LeadDate"))
        return _moment(ctx, "CreateDate", lead + dt.timedelta(milliseconds=ctx.rng.randint(200, 5000)))
    return _moment(ctx, "CreateDate", ctx.moment())


def _later(name: str, source: str, null_rate: float, days: float) -> Any:
    def rule(ctx: RowContext) -> Any:
        if source not in ctx.table.columns:
            return GENERIC
        if ctx.chance(null_rate):
            return None
        start = _read(ctx.value(source))
        return _moment(ctx, name, start + dt.timedelta(seconds=60 + ctx.rng.random() * days * 86_400))

    return rule


def _pool(*values: Any) -> Any:
    return lambda ctx: ctx.pick(values)


def _flag(probability: float) -> Any:
    return lambda ctx: ctx.chance(probability)


def _email(ctx: RowContext) -> Any:
    if ctx.chance(0.05):
        return None
    first, last = _person(ctx)
    domain = ctx.pick(("example.com", "example.org", "example.net", "mail.example.com"))
    return f"{_ascii(first)}.{_ascii(last)}{ctx.index % 97}@{domain}"


def _lead_customs(ctx: RowContext) -> Any:
    customs: dict[str, Any] = {
        "PurchaseTimeframe": ctx.pick(("Not sure", "0-3 months", "3-6 months", "6-12 months", "12+ months")),
        "AppointmentMethod": ctx.pick(("Phone", "Email", "Text", "In person")),
    }
    if ctx.chance(0.3):
        customs["TradeIn"] = ctx.chance(0.5)
    if ctx.chance(0.2):
        customs["Budget"] = Decimal(ctx.rng.randint(150, 1200) * 100).scaleb(0) + Decimal("0.00")
    return customs


def _distance_miles(ctx: RowContext) -> Any:
    prospect, dealer = ctx.related("Prospect"), ctx.related("Dealer")
    if not prospect or not dealer or None in (prospect["Latitude"], dealer["Latitude"]):
        return None
    lat1, lon1, lat2, lon2 = (
        math.radians(float(v))
        for v in (prospect["Latitude"], prospect["Longitude"], dealer["Latitude"], dealer["Longitude"])
    )
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    miles = 3958.7613 * 2 * math.asin(math.sqrt(h))
    return Decimal(f"{miles:.9f}")


def _dealer_name(ctx: RowContext) -> str:
    base = DEALER_NAMES[ctx.index % len(DEALER_NAMES)]
    return base if ctx.index < len(DEALER_NAMES) else f"{base} of {_place(ctx)[0]}"


def _product_name(ctx: RowContext) -> str:
    brand = ctx.related("Brand")
    return f"{brand['Name'] if brand else 'Generic'} {ctx.value('Model')}"


def _related_value(navigation: str, prop: str) -> Any:
    def rule(ctx: RowContext) -> Any:
        row = ctx.related(navigation)
        return None if row is None else row.get(prop)

    return rule


def _category_code(ctx: RowContext) -> Any:
    """The code of the product's category: from its row, or (a service without a categories set, such as
    specs/aimbase-dealers) from the fixed category its ID numbers."""
    if "ProductCategory" in ctx.table.navigations:
        return _related_value("ProductCategory", "Code")(ctx)
    number = ctx.value("ProductCategoryId")
    known = isinstance(number, int) and 0 < number <= len(PRODUCT_CATEGORIES)
    return PRODUCT_CATEGORIES[number - 1]["Code"] if known else None


def _guid(ctx: RowContext) -> str:
    return str(uuid.UUID(int=ctx.rng.getrandbits(128), version=4))


_CATEGORY_TYPES = ("InfinityMarine.com", "Boat Show", "Third Party", "Dealer Website")

RULES: dict[str, Any] = {
    # people and places
    "FirstName": lambda ctx: _person(ctx)[0],
    "LastName": lambda ctx: _person(ctx)[1],
    "Email": _email,
    "Address1": lambda ctx: f"{ctx.rng.randint(1, 9999)} {ctx.pick(STREETS)}",
    "Address2": lambda ctx: ctx.pick(("Apt 4B", "Suite 200", "Unit 12", "", "Slip 7")) if ctx.chance(0.2) else None,
    "City": lambda ctx: _place(ctx)[0],
    "State": lambda ctx: _place(ctx)[1],
    "County": lambda ctx: _place(ctx)[2] if ctx.chance(0.9) else None,
    "PostalCode": lambda ctx: _place(ctx)[3],
    "Latitude": lambda ctx: _coordinate(ctx, 4),
    "Longitude": lambda ctx: _coordinate(ctx, 5),
    "Country": lambda ctx: _place(ctx)[6],
    "CountryCode": lambda ctx: _place(ctx)[7],
    "ZIP4": lambda ctx: f"{ctx.rng.randint(0, 9999):04d}" if ctx.chance(0.3) and _place(ctx)[7] == "US" else None,
    "HomePhone": lambda ctx: _phone(ctx, 0.3),
    "WorkPhone": lambda ctx: _phone(ctx, 0.7),
    "MobilePhone": lambda ctx: _phone(ctx, 0.4),
    "Phone": lambda ctx: _phone(ctx, 0.05),
    "Fax": lambda ctx: _phone(ctx, 0.85),
    "TollFree": lambda ctx: f"(800) 555-{ctx.rng.randint(0, 9999):04d}" if ctx.chance(0.2) else None,
    "HomePhoneNumeric": lambda ctx: _numeric(ctx.value("HomePhone")),
    "WorkPhoneNumeric": lambda ctx: _numeric(ctx.value("WorkPhone")),
    "MobilePhoneNumeric": lambda ctx: _numeric(ctx.value("MobilePhone")),
    "Title": lambda ctx: ctx.pick(("Mr.", "Ms.", "Dr.")) if ctx.chance(0.2) else None,
    "LangCode": lambda ctx: ctx.pick(("en", "es", "fr")) if ctx.chance(0.3) else None,
    "TimeZone": _pool(
        "Central Standard Time", "Eastern Standard Time", "Mountain Standard Time", "Pacific Standard Time"
    ),
    # dates (US Central Time)
    "LeadDate": _lead_date,
    "CreateDate": _create_date,
    "UpdateDate": _later("UpdateDate", "CreateDate", 0.55, 200),
    "ViewedDate": _later("ViewedDate", "LeadDate", 0.4, 10),
    "SentDate": _later("SentDate", "LeadDate", 0.3, 0.05),
    # flags
    "IsActive": _flag(0.92),
    "IsQualified": _flag(0.6),
    "IsNurtured": _flag(0.5),
    "IsInvalidEmail": _flag(0.04),
    "IsAddressCleaned": _flag(0.3),
    "IsPoorPerformer": _flag(0.1),
    "IsLeadHeld": _flag(0.05),
    "IsRerouteAwayDisabled": _flag(0.1),
    "PhoneRefused": _flag(0.08),
    "TextRefused": _flag(0.1),
    "MailRefused": _flag(0.06),
    "EmailRefused": _flag(0.07),
    "CassCertified": lambda ctx: None if ctx.chance(0.5) else ctx.chance(0.7),
    "CassOverride": lambda ctx: None if ctx.chance(0.8) else ctx.chance(0.5),
    "IsPsiDisabled": lambda ctx: None if ctx.chance(0.6) else ctx.chance(0.2),
    "IsNurtureStreamDisabled": lambda ctx: None if ctx.chance(0.6) else ctx.chance(0.2),
    "DealerMustCarryForLocator": lambda ctx: None if ctx.chance(0.5) else ctx.chance(0.5),
    # scores and accounts
    "Score": lambda ctx: ctx.rng.randrange(0, 105, 5) if ctx.type_name == "Lead" else ctx.rng.randint(0, 150),
    "ScoreText": lambda ctx: str(ctx.value("Score")),
    "CreateAccountId": lambda ctx: 0 if ctx.chance(0.8) else ctx.rng.randint(1000, 1500),
    "UpdateAccountId": lambda ctx: None if ctx.value("UpdateDate") is None else ctx.rng.randint(1000, 1500),
    "ApplicationContextId": _pool(1, 1, 1, 2),
    # leads
    "Lead.ExternalId": lambda ctx: f"EXT-{ctx.rng.randint(100000, 999999)}" if ctx.chance(0.3) else None,
    "Lead.LeadUid": _guid,
    "Lead.Event": _pool(None, None, "", "Miami International Boat Show", "Chicago Boat Show", "Lake Expo"),
    "Lead.Medium": _pool(None, None, "web", "cpc", "email", "social", "Phone"),
    "Lead.Term": lambda ctx: None if ctx.chance(0.9) else ctx.pick(("pontoon boats", "wake boat", "e-bike")),
    "Lead.Content": lambda ctx: None if ctx.chance(0.9) else ctx.pick(("banner-a", "video-1")),
    "Lead.ProspectInterestId": lambda ctx: ctx.rng.randint(1, 4),
    "Lead.StagingLeadId": lambda ctx: None if ctx.chance(0.2) else 60000 + ctx.index,
    "Lead.DealerDistanceMiles": _distance_miles,
    "Lead.DealerDistance": lambda ctx: (
        None
        if ctx.value("DealerDistanceMiles") is None
        else int(ctx.value("DealerDistanceMiles") * Decimal("1609.344"))
    ),
    "Lead.DealerMatchType": _pool("Preassigned", "Proximity", "Round Robin", None),
    "FollowUpStatusCode": _pool(
        "Not Contacted", "Not Contacted", "Contacted", "Attempted Contact", "Appointment Set", None
    ),
    "PurchaseStatusCode": _pool("Unknown", "Unknown", "Purchased", "Not Purchased", "Purchased Elsewhere"),
    "LeadTypeCode": _pool("Build a Boat", "Brochure Request", "Contact Dealer", "Request a Quote", "Test Ride"),
    "LeadCategoryCode": _pool(*_CATEGORY_TYPES),
    "LeadSourceCode": _pool("Organic", "Paid Search", "Social", "Email", "Referral", "Boat Show"),
    "LeadCampaignCode": _pool(None, None, None, "SPRING25", "BOATSHOW-MIA", "FALL24"),
    "LeadStatusCode": _pool("Pending", "Pending", "Sent", "Held", "Rejected"),
    "Program": lambda ctx: None if ctx.chance(0.85) else ctx.pick(("Loyalty", "OEM Co-op", "Demo Days")),
    "Lead.OemManufacturerCode": lambda ctx: None if ctx.chance(0.8) else "INFMAR",
    "Lead.OemDealerNumber": lambda ctx: None if ctx.chance(0.8) else _related_value("Dealer", "MfgDealerNbr")(ctx),
    "Lead.DeliveryOption": lambda ctx: None if ctx.chance(0.7) else ctx.pick(("Pickup", "Delivery")),
    "Lead.Customs": lambda ctx: None if ctx.chance(0.05) else _lead_customs(ctx),
    "Lead.Metadata": lambda ctx: (
        {} if ctx.chance(0.6) else {"FormId": ctx.rng.randint(1, 40), "Referrer": "https://www.example.com/build"}
    ),
    # prospects
    "Prospect.ExternalId": lambda ctx: f"CRM-{ctx.rng.randint(10000, 99999)}" if ctx.chance(0.2) else None,
    "Prospect.ProspectUid": _guid,
    "Prospect.ProspectAggregationId": lambda ctx: 218000 + ctx.index,
    "Prospect.CompanyName": _related_value("Company", "Name"),
    "Prospect.CompanyTitle": lambda ctx: None if ctx.value("CompanyId") is None else ctx.pick(("Owner", "Buyer", None)),
    "Prospect.FIPSCode": lambda ctx: None if ctx.chance(0.7) else f"{ctx.rng.randint(1000, 56999):05d}",
    "Prospect.CensusCode": lambda ctx: None,
    "Prospect.AddrStatus": lambda ctx: None if ctx.chance(0.7) else ctx.pick(("Valid", "Corrected")),
    "Prospect.AddrError": lambda ctx: None,
    "Prospect.LegacyCustomerId": lambda ctx: None if ctx.chance(0.9) else ctx.rng.randint(1, 99999),
    "OriginProspectType": _pool(*_CATEGORY_TYPES),
    "CurrentProspectType": _pool(*_CATEGORY_TYPES),
    "CompetitiveBrand": lambda ctx: None if ctx.chance(0.8) else ctx.pick(("Bayliner", "Sea Ray", "Bennington")),
    "Prospect.Customs": lambda ctx: {
        "ExampleProspectCustomField1": ctx.pick(("Yes", "No")),
        "PreferredContactTime": ctx.pick(("Morning", "Afternoon", "Evening")),
    },
    # companies
    "Company.Name": lambda ctx: COMPANY_NAMES[ctx.index % len(COMPANY_NAMES)]
    + ("" if ctx.index < len(COMPANY_NAMES) else f" {ctx.index // len(COMPANY_NAMES) + 1}"),
    # dealers
    "Dealer.Name": _dealer_name,
    "Dealer.DealerTypeCode": _pool("S", "S", "S", "D"),
    "Dealer.DealerTypeId": lambda ctx: 1014 if ctx.value("DealerTypeCode") == "S" else 1015,
    "Dealer.ManufacturerId": _pool(2),
    "Dealer.MfgDealerNbr": lambda ctx: str(4600 + ctx.index),
    "Dealer.MfgDealerSubNbr": lambda ctx: None if ctx.chance(0.9) else "A",
    "Dealer.DealerNbr": lambda ctx: str(4600 + ctx.index),
    "Dealer.Contact": lambda ctx: " ".join(_person(ctx)),
    "Dealer.ContactPreferenceId": lambda ctx: None if ctx.chance(0.6) else ctx.rng.randint(1, 3),
    "Dealer.ContactPreferenceCode": lambda ctx: (
        None if ctx.value("ContactPreferenceId") is None else ctx.pick(("Email", "Phone"))
    ),
    "Dealer.EMail": lambda ctx: f"{_ascii(_person(ctx)[0])}@{_ascii(ctx.value('Name'))[:20]}.example.com",
    "Dealer.EmailCC": lambda ctx: None if ctx.chance(0.7) else f"sales@{_ascii(ctx.value('Name'))[:20]}.example.com",
    "Dealer.WebsiteUrl": lambda ctx: f"www.{_ascii(ctx.value('Name'))[:24]}.example.com",
    "Dealer.FIPSCode": lambda ctx: None,
    "Dealer.CensusCode": lambda ctx: None,
    "Dealer.GeoResult": lambda ctx: None if ctx.chance(0.5) else "Rooftop",
    "Dealer.LegacyDealerId": lambda ctx: None if ctx.chance(0.8) else ctx.rng.randint(1, 9999),
    "Dealer.DealerGroupId": lambda ctx: None if ctx.chance(0.8) else ctx.rng.randint(1, 6),
    "Dealer.DealerGroupcode": lambda ctx: (
        None if ctx.value("DealerGroupId") is None else f"GRP{ctx.value('DealerGroupId')}"
    ),
    "Dealer.SalespersonAssignmentTypeId": _pool(1, 2, 3),
    "Dealer.SalespersonAssignmentTypeCode": lambda ctx: ("Manual", "RoundRobin", "Territory")[
        ctx.value("SalespersonAssignmentTypeId") - 1
    ],
    # products, brands, categories
    "Product.Model": _pool(*MODELS),
    "Product.Name": _product_name,
    "Product.ModelYear": lambda ctx: ctx.rng.randint(2019, 2026),
    "Product.Code": lambda ctx: f"{ctx.value('ProductBrandCode') or 'GEN'}-{ctx.index + 1:04d}",
    "Product.CodeOverride": lambda ctx: None,
    "Product.DisplayOrder": lambda ctx: ctx.index + 1,
    "Product.LegacyProductKey": lambda ctx: None if ctx.chance(0.7) else f"LP{ctx.rng.randint(1000, 9999)}",
    "Product.LegacyProductId": lambda ctx: None if ctx.chance(0.7) else ctx.rng.randint(1, 9999),
    "Product.ManufacturerPlantId": _pool(None, 1, 2),
    "Product.ManufacturerPlantCode": lambda ctx: (
        None if ctx.value("ManufacturerPlantId") is None else f"PLANT{ctx.value('ManufacturerPlantId')}"
    ),
    "Product.ProductTypeId": _pool(1, 2),
    "Product.ProductTypeCode": lambda ctx: ("Unit", "Part")[ctx.value("ProductTypeId") - 1],
    "Product.SkuId": lambda ctx: None if ctx.chance(0.5) else ctx.rng.randint(1, 5000),
    "Product.SkuCode": lambda ctx: None if ctx.value("SkuId") is None else f"SKU{ctx.value('SkuId')}",
    "Product.ProductBrandCode": _related_value("Brand", "Code"),
    # a foreign key (specs/aimbase) is filled before rules; this rule numbers a category where it is not one
    "Product.ProductCategoryId": lambda ctx: None if ctx.chance(0.05) else ctx.rng.randint(1, len(PRODUCT_CATEGORIES)),
    "Product.ProductCategoryCode": _category_code,
    "Product.ApplicationContextCode": lambda ctx: "Sales" if ctx.value("ApplicationContextId") == 1 else "Marketing",
    "Brand.IsActive": _flag(0.9),
    "ProductCategory.FlattenedCode": lambda ctx: ctx.value("Code"),
    "ProductCategory.FlattenedName": lambda ctx: ctx.value("Name"),
}

AIMBASE = Flavour(
    counts={
        "Lead": lambda rows: rows,
        "Prospect": lambda rows: max(1, rows * 2 // 3),
        "Dealer": _clamp(8, 60, 75),
        "Product": _clamp(12, 80, 50),
        "Company": _clamp(5, 40, 100),
        "Brand": lambda rows: len(BRANDS),
        "ProductCategory": lambda rows: len(PRODUCT_CATEGORIES),
    },
    key_start={"Lead": 80001, "Prospect": 260001, "Product": 1201, "Company": 501, "Dealer": 1},
    fixed_rows={"Brand": BRANDS, "ProductCategory": PRODUCT_CATEGORIES},
    rules=RULES,
    foreign_key_nulls={"Prospect.CompanyId": 0.7, "Lead.DealerId": 0.08, "Lead.ProductId": 0.05},
    links={"Dealer.Products": (3, 12)},
)

"""Per-request extras (`RequestOptions` through `with_options`) and request previews, sync and async, on a mock
transport: the exact URL and headers of every call kind (get, patch, create, navigation, operations, queries
and their pages, $ref links), merging with what the call itself sends, refusals, and secrets kept out of previews.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from aimbase import AimbaseClient, AsyncAimbaseClient
from client_support import Script, lead_json, no_content, ok
from codegen.runtime.http import ClientValidationError, RequestOptions, RequestPreview
from trippin import AsyncTripPinClient, Person, QPerson, TripPinClient

ROOT = "https://trippin.example/svc"
TRIP = "Microsoft.OData.SampleService.Models.TripPin"
PERSON = {"UserName": "x", "FirstName": "A", "LastName": "B"}
EXTRAS = RequestOptions(params={"custom": "a b"}, headers={"X-Trace": "t-1"}, format="json")
TAIL = "custom=a%20b&$format=json"  # what EXTRAS appends to every URL the client builds
TOKEN = "7d444840-9dc0-11d1-b245-5ffdce74fad2"


def run(result: Any) -> Any:
    """The value of a sync call, or of an async one (its coroutine run to the end)."""
    return asyncio.run(result) if inspect.iscoroutine(result) else result


@pytest.fixture(params=["sync", "async"])
def make(request: pytest.FixtureRequest) -> Callable[[Script], Any]:
    """Builds a TripPin client of either flavour over a script; the generated classes are the same API."""
    cls: Any = TripPinClient if request.param == "sync" else AsyncTripPinClient
    return lambda script: cls(ROOT, transport=script.transport)


def sent(script: Script, index: int = -1) -> tuple[str, str, str | None, str | None]:
    request = script.requests[index]
    return request.method, str(request.url), request.headers.get("X-Trace"), request.headers.get("Prefer")


# --- every call kind carries the options -------------------------------------------------------------------


def test_get_by_key_and_the_original_set_is_unchanged(make: Callable[[Script], Any]) -> None:
    script = Script(ok(PERSON), ok(PERSON))
    client = make(script)
    run(client.people.with_options(EXTRAS).get("x"))
    run(client.people.get("x"))
    assert sent(script, 0) == ("GET", f"{ROOT}/People('x')?{TAIL}", "t-1", None)
    assert sent(script, 1) == ("GET", f"{ROOT}/People('x')", None, None)


def test_get_with_expand_appends_after_the_calls_own_options(make: Callable[[Script], Any]) -> None:
    script = Script(ok(PERSON))
    people = make(script).people.with_options(EXTRAS)
    run(people.get("x", select=[QPerson.first_name]))
    assert script.urls == [f"{ROOT}/People('x')?$select=FirstName&{TAIL}"]


def test_patch_merges_prefer_once(make: Callable[[Script], Any]) -> None:
    script = Script(ok(PERSON))
    options = RequestOptions(prefer_return="representation", include_annotations="*", headers={"X-Trace": "p"})
    run(make(script).people.with_options(options).patch("x", first_name="Z", return_entity=True))
    assert sent(script) == ("PATCH", f"{ROOT}/People('x')", "p", 'return=representation, odata.include-annotations="*"')
    assert script.body() == {"FirstName": "Z"}


def test_patch_refuses_a_contradicting_prefer_before_sending(make: Callable[[Script], Any]) -> None:
    script = Script()  # no request may be sent
    people = make(script).people.with_options(RequestOptions(prefer_return="minimal"))
    with pytest.raises(ClientValidationError, match="return=minimal contradicts return=representation"):
        run(people.patch("x", first_name="Z", return_entity=True))


def test_patch_refuses_a_header_the_call_sets(make: Callable[[Script], Any]) -> None:
    people = make(Script()).people.with_options(RequestOptions(headers={"If-Match": "*"}))
    with pytest.raises(ClientValidationError, match="header 'If-Match' is already set by the call itself"):
        run(people.patch("x", first_name="Z", etag='W/"1"'))


def test_create_with_return_minimal_keeps_the_entity_sent(make: Callable[[Script], Any]) -> None:
    script = Script(no_content())
    person = Person(user_name="n", first_name="N", last_name="M", concurrency=1)
    options = RequestOptions(prefer_return="minimal", params={"custom": "1"})
    created = run(make(script).people.with_options(options).create(person))
    assert sent(script) == ("POST", f"{ROOT}/People?custom=1", None, "return=minimal")
    assert created is person


def test_navigation_reads_carry_the_options(make: Callable[[Script], Any]) -> None:
    script = Script(ok({"value": []}), ok({"Id": 1, "Name": "p"}))
    person = make(script).people.with_options(EXTRAS).navigate("x")
    run(person.trips.query().top(2).list())
    run(person.photo.get())
    assert script.urls == [f"{ROOT}/People('x')/Trips?$top=2&{TAIL}", f"{ROOT}/People('x')/Photo?{TAIL}"]
    assert [r.headers["X-Trace"] for r in script.requests] == ["t-1", "t-1"]


def test_bound_and_unbound_operations_carry_the_options(make: Callable[[Script], Any]) -> None:
    script = Script(no_content(), ok({"Name": "ap", "IcaoCode": "K", "IataCode": "K"}))
    client = make(script).with_options(EXTRAS)
    run(client.people.navigate("x").share_trip(user_name="u", trip_id=1))
    run(client.get_nearest_airport(lat=1.0, lon=2.0))
    assert script.urls == [
        f"{ROOT}/People('x')/{TRIP}.ShareTrip?{TAIL}",
        f"{ROOT}/GetNearestAirport(lat=@lat,lon=@lon)?@lat=1.0&@lon=2.0&{TAIL}",
    ]
    assert script.body(0) == {"userName": "u", "tripId": 1}


def test_a_parameter_alias_the_call_sets_is_refused(make: Callable[[Script], Any]) -> None:
    client = make(Script()).with_options(RequestOptions(params={"@lat": "9"}))
    with pytest.raises(ClientValidationError, match="query option '@lat' is already set by the call itself"):
        run(client.get_nearest_airport(lat=1.0, lon=2.0))


def test_pages_params_on_the_first_request_headers_and_prefer_on_every_page(make: Callable[[Script], Any]) -> None:
    link = f"{ROOT}/People?$skiptoken=1&custom=a%20b"
    script = Script(ok({"value": [PERSON], "@odata.nextLink": link}), ok({"value": [PERSON]}))
    query = make(script).people.query().with_options(EXTRAS).with_options(RequestOptions(max_page_size=1))
    assert len(run(query.list(max_page_size=1))) == 2
    assert script.urls == [f"{ROOT}/People?{TAIL}", link]  # the server's link is followed as written
    assert [sent(script, i)[2:] for i in (0, 1)] == [("t-1", "odata.maxpagesize=1")] * 2


def test_a_max_page_size_other_than_the_calls_is_refused(make: Callable[[Script], Any]) -> None:
    query = make(Script()).people.query().with_options(RequestOptions(max_page_size=5))
    with pytest.raises(ClientValidationError, match="odata.maxpagesize=5 contradicts odata.maxpagesize=7"):
        run(query.list(max_page_size=7))


def test_a_system_option_the_query_sets_is_refused_one_it_does_not_is_sent(make: Callable[[Script], Any]) -> None:
    script = Script(ok({"value": []}))
    people = make(script).people
    with pytest.raises(ClientValidationError, match=r"query option '\$top' is already set by the call itself"):
        run(people.query().top(1).with_options(RequestOptions(params={"$top": "2"})).list())
    run(people.query().with_options(RequestOptions(params={"$schemaversion": "2"})).list())
    assert script.urls == [f"{ROOT}/People?$schemaversion=2"]


def test_count_gets_no_format(make: Callable[[Script], Any]) -> None:
    script = Script(httpx.Response(200, text="3"))
    assert run(make(script).people.query().with_options(EXTRAS).count()) == 3
    assert script.urls == [f"{ROOT}/People/$count?custom=a%20b"]
    assert script.requests[0].headers["Accept"] == "text/plain"


def test_refs_carry_the_options_but_the_odata_id_does_not(make: Callable[[Script], Any]) -> None:
    script = Script(no_content())
    refs = make(script).people.navigate("x").friends_refs.with_options(EXTRAS)
    run(refs.add("y"))
    assert script.urls == [f"{ROOT}/People('x')/Friends/$ref?{TAIL}"]
    assert script.body() == {"@odata.id": f"{ROOT}/People('y')"}


def test_options_given_twice_merge_the_later_winning() -> None:
    first = RequestOptions(params={"a": "1", "b": "1"}, headers={"X-A": "1"}, format="json", max_page_size=3)
    later = RequestOptions(params={"b": "2"}, headers={"x-a": "2"}, prefer_return="minimal")
    merged = first.merged(later)
    assert dict(merged.params) == {"a": "1", "b": "2"}
    assert merged.headers == (("x-a", "2"),)
    assert (merged.format, merged.max_page_size, merged.prefer_return) == ("json", 3, "minimal")


def test_closing_a_view_leaves_the_client_open() -> None:
    script = Script(ok(PERSON))
    client = TripPinClient(ROOT, transport=script.transport)
    client.with_options(EXTRAS).close()
    client.people.get("x")
    assert script.urls == [f"{ROOT}/People('x')"]


# --- refusals when the options are made ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"headers": {"Authorization": "Bearer x"}}, "header 'Authorization' is set by the client"),
        ({"headers": {"authenticate": "u:t"}}, "header 'authenticate' is set by the client"),
        ({"headers": {"Content-Type": "text/plain"}}, "header 'Content-Type' is set by the client"),
        ({"headers": {"Host": "evil.example"}}, "header 'Host' is set by the client"),
        ({"headers": {"Prefer": "return=minimal"}}, "use prefer_return, max_page_size or include_annotations"),
        ({"headers": {"X-A": "1\r\nX-Injected: 1"}}, "header 'X-A' has a value with CR, LF"),
        ({"headers": {"X-A": "caf\u00e9"}}, "header 'X-A' has a value with CR, LF"),
        ({"headers": {"X A": "1"}}, "header name 'X A' is not an HTTP token"),
        ({"headers": {"X-A\n": "1"}}, "is not an HTTP token"),
        ({"headers": {"X-A": "1", "x-a": "2"}}, "header 'x-a' is given twice"),
        ({"params": {"$custom": "1"}}, r"query option '\$custom' is not an OData system query option"),
        ({"params": {"$format": "json"}}, "is set with format=, not in params"),
        ({"params": {"@1": "1"}}, "is not a parameter alias"),
        ({"params": {"a&b": "1"}}, "custom query option 'a&b' may hold only"),
        ({"params": {"filter": "x"}}, r"would be read as \$filter"),
        ({"params": {"a": 1}}, "query options are str names and str values"),
        ({"format": "xml"}, "format 'xml' is not json"),
        ({"format": "application/json;odata.metadata=bogus"}, "is not json"),
        ({"prefer_return": "everything"}, "prefer_return is 'minimal' or 'representation'"),
        ({"max_page_size": 0}, "max_page_size is an int of 1 or more"),
        ({"max_page_size": True}, "max_page_size is an int of 1 or more"),
        ({"include_annotations": '*"; x'}, "include_annotations"),
    ],
)
def test_bad_options_are_refused_in_one_line_naming_them(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ClientValidationError, match=message) as caught:
        RequestOptions(**options)
    assert "\n" not in str(caught.value)


def test_with_options_takes_only_request_options() -> None:
    with pytest.raises(ClientValidationError, match="with_options\\(\\) takes a RequestOptions, not dict"):
        TripPinClient(ROOT).people.with_options({"params": {}})  # type: ignore[arg-type]


def test_accepted_formats_and_annotations() -> None:
    for value in ("json", "application/json;odata.metadata=minimal;odata.streaming=true", "JSON"):
        assert RequestOptions(format=value).format == value
    for value in ("*", "odata.*", "-Core.Description,Org.OData.*", "-*"):
        assert RequestOptions(include_annotations=value).preferences() == [f'odata.include-annotations="{value}"']


# --- previews ----------------------------------------------------------------------------------------------


def test_previews_of_every_call_kind_send_nothing(make: Callable[[Script], Any]) -> None:
    script = Script()  # any request would fail the test
    client = make(script)
    person = Person(user_name="n", first_name="N", last_name="M", concurrency=1)
    views = {
        "get": client.people.with_options(EXTRAS).preview(lambda s: s.get("x")),
        "patch": client.people.preview(lambda s: s.patch("x", first_name="Z", return_entity=True)),
        "create": client.people.preview(lambda s: s.create(person)),
        "navigation": client.people.navigate("x").trips.preview(lambda s: s.get(1)),
        "item": client.me.preview(lambda s: s.get()),
        "action": client.people.navigate("x").preview(lambda s: s.share_trip(user_name="u", trip_id=1)),
        "import": client.preview(lambda c: c.get_nearest_airport(lat=1.0, lon=2.0)),
        "query": client.people.query().top(3).preview(lambda q: q.list()),
        "pages": client.people.query().preview(lambda q: q.pages(max_page_size=4)),
        "refs": client.people.navigate("x").friends_refs.preview(lambda r: r.remove("y")),
    }
    assert {kind: str(preview) for kind, preview in views.items()} == {
        "get": f"GET {ROOT}/People('x')?{TAIL}",
        "patch": f"PATCH {ROOT}/People('x')",
        "create": f"POST {ROOT}/People",
        "navigation": f"GET {ROOT}/People('x')/Trips(1)",
        "item": f"GET {ROOT}/Me",
        "action": f"POST {ROOT}/People('x')/{TRIP}.ShareTrip",
        "import": f"GET {ROOT}/GetNearestAirport(lat=@lat,lon=@lon)?@lat=1.0&@lon=2.0",
        "query": f"GET {ROOT}/People?$top=3",
        "pages": f"GET {ROOT}/People",
        "refs": f"DELETE {ROOT}/People('x')/Friends/$ref?$id=https:%2F%2Ftrippin.example%2Fsvc%2FPeople('y')",
    }
    assert script.requests == []
    patch = views["patch"]
    assert (patch.header("prefer"), patch.header("Content-Type"), patch.content) == (
        "return=representation",
        "application/json",
        b'{"FirstName":"Z"}',
    )
    assert views["get"].header("X-Trace") == "t-1"
    assert views["pages"].header("Prefer") == "odata.maxpagesize=4"
    assert views["action"].content == b'{"userName":"u","tripId":1}'


def test_a_preview_is_immutable_and_typed() -> None:
    preview = TripPinClient(ROOT).people.preview(lambda s: s.get("x"))
    assert isinstance(preview, RequestPreview)
    with pytest.raises(AttributeError):
        preview.url = "https://evil.example"  # type: ignore[misc]


def test_a_preview_of_a_call_that_sends_nothing_is_refused() -> None:
    with pytest.raises(ClientValidationError, match="the call sent no request"):
        TripPinClient(ROOT).people.preview(lambda s: s.navigate("x"))


def test_a_preview_refuses_what_sending_would_refuse() -> None:
    people = TripPinClient(ROOT).people.with_options(RequestOptions(prefer_return="minimal"))
    with pytest.raises(ClientValidationError, match="contradicts"):
        people.preview(lambda s: s.patch("x", first_name="Z", return_entity=True))


@pytest.mark.parametrize("cls", [AimbaseClient, AsyncAimbaseClient])
def test_previews_hold_no_secret_and_log_nobody_in(cls: Any) -> None:
    script = Script()  # not even the login may be sent
    client = cls(
        "https://acme.aimbase.com",
        username="u",
        password="Hunter2-correct-horse",
        token=TOKEN,
        transport=script.transport,
        headers={"Authorization": f"Bearer {TOKEN}", "X-Echo": TOKEN, "X-Api-Key": "k-not-known-as-a-secret"},
    )
    leads = client.leads.with_options(RequestOptions(params={"echo": TOKEN}))
    previews = [leads.preview(lambda s: s.get(114)), leads.preview(lambda s: s.patch(114, event=TOKEN))]
    for preview in previews:
        text = repr(preview)
        assert TOKEN not in text and "Hunter2" not in text and "Authenticate" not in text
        assert preview.header("Authorization") == "***"
        assert preview.header("X-Echo") == "***"
        assert preview.header("X-Api-Key") == "***"  # by its name: the runtime was never told it is a secret
    assert previews[0].url == "https://acme.aimbase.com/odata/V2/Leads(114)?echo=***"
    assert previews[1].content == b'{"Event":"***"}'
    assert script.requests == []


def test_a_sent_request_still_carries_the_auth_and_the_options() -> None:
    script = Script(ok(lead_json(114)))
    client = AimbaseClient("https://acme.aimbase.com", username="u", token=TOKEN, transport=script.transport)
    client.leads.with_options(RequestOptions(headers={"X-Trace": "1"})).get(114)
    assert script.requests[0].headers["Authenticate"] == f"Avala-Api u:{TOKEN}"
    assert script.requests[0].headers["X-Trace"] == "1"

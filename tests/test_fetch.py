"""`codegen fetch`: $metadata downloaded from the sandbox (Avala-Api login, bearer) over real HTTP on 127.0.0.1,
and every refusal (401, connection refused, timeout, HTML, non-XML, OData V2, oversized, a redirect elsewhere)
leaving the old document byte for byte in place, no temporary file behind, and no credential in any output.

Answers the sandbox cannot give come from `Canned`, a tiny loopback HTTP server that says what it is told.
"""

from __future__ import annotations

import getpass
import io
import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import httpx
import pytest

from codegen import cli
from codegen.csdl.limits import MAX_DOCUMENT_BYTES
from codegen.errors import CodegenError, MetadataError, SpecError
from codegen.fetch import ENV_PASSWORD, ENV_TOKEN, ENV_USERNAME, EXIT_UNREACHABLE, FetchError, fetch
from codegen.runtime.http.auth import login
from codegen.sandbox import SandboxServer, create_app
from codegen.spec import Spec, load_spec

from loopback_servers import Answer, Canned, canned, closed_port

REPO = Path(__file__).resolve().parents[1]
AIMBASE = load_spec(REPO / "specs" / "aimbase" / "codegen.toml")
CURRENT = AIMBASE.metadata.read_bytes()  # what the sandbox serves
OLD = CURRENT.replace(b'Name="Medium"', b'Name="Channel"', 1)  # the document as it was before a schema change
USER, PASSWORD = "demo", "s3cret-Pa55word"
SECRETS = (PASSWORD, "wrong-Pa55word")
V2 = b"""<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx">
  <edmx:DataServices m:DataServiceVersion="2.0" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">
    <Schema Namespace="Old" xmlns="http://schemas.microsoft.com/ado/2008/09/edm"/>
  </edmx:DataServices>
</edmx:Edmx>
"""
HTML = b"<!DOCTYPE html>\n<html><body><form action='/sso'>Sign in</form></body></html>"


# --- servers ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    app = create_app(AIMBASE, rows=5, seed=1, username=USER, password=PASSWORD)
    with SandboxServer(app) as running:
        yield running
    app.state.sandbox.store.close()


@pytest.fixture(scope="module")
def bearer_sandbox() -> Iterator[SandboxServer]:
    app = create_app(attrs.evolve(AIMBASE, auth="bearer"), rows=5, seed=1, username=USER, password=PASSWORD)
    with SandboxServer(app) as running:
        yield running
    app.state.sandbox.store.close()


# --- a spec in a fresh directory, and what must hold after a failure ---------------------------------------


def write_spec(directory: Path, *, auth: str = "avala-api", base_url: str | None = None) -> Path:
    lines = [
        "[metadata]",
        'source = "metadata.xml"',
        "[output]",
        'directory = "out"',
        'package = "aimbase"',
        "[service]",
        'name = "Aimbase"',
        'path = "/odata/V2"',
        f'auth = "{auth}"',
    ]
    if base_url is not None:
        lines.append(f'base_url = "{base_url}"')
    (directory / "codegen.toml").write_text("\n".join(lines) + "\n")
    (directory / "metadata.xml").write_bytes(OLD)
    return directory / "codegen.toml"


@pytest.fixture
def spec_file(tmp_path: Path) -> Path:
    return write_spec(tmp_path)


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (ENV_USERNAME, ENV_PASSWORD, ENV_TOKEN):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(ENV_USERNAME, USER)
    monkeypatch.setenv(ENV_PASSWORD, PASSWORD)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["fetch", *args])
    out, err = capsys.readouterr()
    for secret in SECRETS:
        assert secret not in out + err
    return code, out, err


def assert_untouched(spec_file: Path) -> None:
    """The old document byte for byte, and nothing else written beside it."""
    assert (spec_file.parent / "metadata.xml").read_bytes() == OLD
    assert sorted(p.name for p in spec_file.parent.iterdir()) == ["codegen.toml", "metadata.xml"]


def assert_refused(result: tuple[int, str, str], code: int, *fragments: str) -> None:
    status, out, err = result
    assert status == code, err
    assert out == ""
    assert len(err.splitlines()) == 1 and err.startswith("codegen: error: "), err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err, err


# --- success -------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("credentials")
def test_fetch_logs_in_writes_the_document_and_reports_the_change(
    sandbox: SandboxServer, spec_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, str(spec_file), "--url", sandbox.url)
    assert (status, err) == (0, "")
    assert (spec_file.parent / "metadata.xml").read_bytes() == CURRENT
    assert "the document changed" in out
    # The schema diff against the file it replaced: Channel (old) is gone, Medium (served) is new.
    assert "AimbaseOData.Lead/Channel: property-removed (Lead.channel," in out
    assert "AimbaseOData.Lead/Medium: property-added (Lead.medium," in out
    assert out.rstrip().endswith("codegen: 2 changes: 1 breaking, 1 compatible\ncodegen: regenerate to apply it")
    assert sorted(p.name for p in spec_file.parent.iterdir()) == ["codegen.toml", "metadata.xml"]
    assert sandbox.app.state.sandbox.tokens.logins >= 1

    status, out, err = run(capsys, str(spec_file), "--url", sandbox.url)
    assert (status, err) == (0, "")
    assert "is unchanged" in out and str(len(CURRENT)) in out


@pytest.mark.usefixtures("credentials")
def test_the_base_url_comes_from_the_spec(sandbox: SandboxServer, tmp_path: Path) -> None:
    spec_file = write_spec(tmp_path, base_url=sandbox.url)
    (tmp_path / "metadata.xml").unlink()
    assert cli.main(["fetch", str(spec_file)]) == 0
    assert (tmp_path / "metadata.xml").read_bytes() == CURRENT


def test_a_new_file_is_readable_like_any_other(sandbox: SandboxServer, spec_file: Path) -> None:
    (spec_file.parent / "metadata.xml").unlink()
    old_umask = os.umask(0o022)
    try:
        done = fetch(load_spec(spec_file), sandbox.url, environ={ENV_USERNAME: USER, ENV_PASSWORD: PASSWORD})
    finally:
        os.umask(old_umask)
    assert done.changed and "new file" in done.report
    assert (spec_file.parent / "metadata.xml").stat().st_mode & 0o777 == 0o644


def test_an_existing_token_is_used_without_logging_in(sandbox: SandboxServer, spec_file: Path) -> None:
    with httpx.Client() as client:
        token = login(client, f"{sandbox.url}/api/Security/Login", USER, PASSWORD)
    logins = sandbox.app.state.sandbox.tokens.logins
    done = fetch(load_spec(spec_file), sandbox.url, environ={ENV_TOKEN: token})  # the username is in the pair
    assert done.changed
    assert sandbox.app.state.sandbox.tokens.logins == logins


def test_bearer_scheme(bearer_sandbox: SandboxServer, tmp_path: Path) -> None:
    spec_file = write_spec(tmp_path, auth="bearer")
    with httpx.Client() as client:
        token = login(client, f"{bearer_sandbox.url}/api/Security/Login", USER, PASSWORD)
    done = fetch(load_spec(spec_file), bearer_sandbox.url, environ={ENV_TOKEN: token.rpartition(":")[2]})
    assert done.changed and (tmp_path / "metadata.xml").read_bytes() == CURRENT


def test_missing_credentials_are_asked_for_on_a_terminal(sandbox: SandboxServer, spec_file: Path) -> None:
    asked: list[tuple[str, bool]] = []

    def prompt(label: str, secret: bool) -> str:
        asked.append((label, secret))
        return PASSWORD if secret else USER

    assert fetch(load_spec(spec_file), sandbox.url, environ={}, prompt=prompt).changed
    assert asked == [("Username", False), (f"Password for {USER}", True)]


def test_the_cli_asks_on_a_terminal_without_echoing_the_password(
    sandbox: SandboxServer, spec_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for name in (ENV_USERNAME, ENV_PASSWORD, ENV_TOKEN):
        monkeypatch.delenv(name, raising=False)
    asked: list[str] = []
    monkeypatch.setattr(sys, "stdin", Terminal(f"{USER}\n"))

    def hidden(label: str) -> str:
        asked.append(label)
        return PASSWORD

    monkeypatch.setattr(getpass, "getpass", hidden)
    status, out, err = run(capsys, str(spec_file), "--url", sandbox.url)
    assert status == 0 and "the document changed" in out
    assert err == "Username: " and asked == [f"Password for {USER}: "]


def test_the_request_asks_for_xml(spec_file: Path) -> None:
    with canned(200, CURRENT) as server:
        fetch(load_spec(write_spec(spec_file.parent, auth="none")), server.url, environ={})
    ((path, headers),) = server.seen
    assert path == "/odata/V2/$metadata"
    assert headers["Accept"] == "application/xml"


def test_a_same_origin_redirect_is_followed(spec_file: Path) -> None:
    spec = load_spec(write_spec(spec_file.parent, auth="none"))
    moved: Answer = (302, {"Location": "/v4/$metadata"}, b"")
    with Canned(lambda path: moved if path == "/odata/V2/$metadata" else (200, {}, CURRENT)) as server:
        assert fetch(spec, server.url, environ={}).changed
    assert [path for path, _ in server.seen] == ["/odata/V2/$metadata", "/v4/$metadata"]


def test_a_document_the_spec_no_longer_fits_is_written_and_the_report_says_why(spec_file: Path) -> None:
    """fetch's job is the document: a spec that no longer fits it is reported, as `generate` will refuse it."""
    spec_file.write_text(spec_file.read_text() + '[client]\nentity_sets = ["Leads"]\n')
    served = CURRENT.replace(b'EntitySet Name="Leads"', b'EntitySet Name="Opportunities"', 1)
    assert served != CURRENT
    with canned(200, served) as server:
        fetched = fetch(load_spec(spec_file), server.url, environ={ENV_TOKEN: f"{USER}:token"})
    assert fetched.changed and (spec_file.parent / "metadata.xml").read_bytes() == served
    assert "no API diff: the spec does not fit the new document" in fetched.report and "Leads" in fetched.report


# --- refusals: nothing written, one line, the right exit code ---------------------------------------------


@pytest.mark.usefixtures("credentials")
def test_wrong_password_is_401_and_exit_4(
    sandbox: SandboxServer, spec_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_PASSWORD, "wrong-Pa55word")
    result = run(capsys, str(spec_file), "--url", sandbox.url)
    assert_refused(result, EXIT_UNREACHABLE, "refused the credentials: 401", "/api/Security/Login", ENV_PASSWORD)
    assert_untouched(spec_file)


def test_a_rejected_token_is_401(sandbox: SandboxServer, spec_file: Path) -> None:
    token = f"{USER}:00000000-0000-0000-0000-000000000000"
    with pytest.raises(FetchError, match=r"refused the credentials: 401 .*\$metadata") as raised:
        fetch(load_spec(spec_file), sandbox.url, environ={ENV_TOKEN: token})
    assert "00000000-0000" not in str(raised.value)
    assert_untouched(spec_file)


def test_no_credentials_and_no_terminal(spec_file: Path, sandbox: SandboxServer) -> None:
    with pytest.raises(CodegenError, match=f"no credentials: set {ENV_USERNAME} and {ENV_PASSWORD}") as raised:
        fetch(load_spec(spec_file), sandbox.url, environ={})
    assert raised.value.exit_code == 2
    assert_untouched(spec_file)


def test_the_sandbox_like_the_service_wants_credentials_for_metadata(sandbox: SandboxServer) -> None:
    assert httpx.get(f"{sandbox.url}/odata/V2/$metadata").status_code == 401


def test_a_credential_that_cannot_be_sent_is_bad_input(spec_file: Path, sandbox: SandboxServer) -> None:
    with pytest.raises(CodegenError, match="unusable credentials: username contains a control character") as raised:
        fetch(load_spec(spec_file), sandbox.url, environ={ENV_USERNAME: "de\x07mo", ENV_PASSWORD: PASSWORD})
    assert raised.value.exit_code == 2 and PASSWORD not in str(raised.value)
    assert_untouched(spec_file)


@pytest.mark.usefixtures("credentials")
def test_connection_refused(spec_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    result = run(capsys, str(spec_file), "--url", url)
    assert_refused(result, EXIT_UNREACHABLE, "ConnectError", url)
    assert_untouched(spec_file)


def test_timeout(spec_file: Path) -> None:
    with socket.socket() as listening:  # accepts the connection, never answers
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        url = "http://127.0.0.1:%d" % listening.getsockname()[1]
        spec = load_spec(write_spec(spec_file.parent, auth="none"))
        with pytest.raises(FetchError, match="timed out|deadline"):
            fetch(spec, url, environ={}, timeout=httpx.Timeout(0.3), deadline=5)
    assert_untouched(spec_file)


@pytest.mark.parametrize(
    ("server", "code", "fragment"),
    [
        pytest.param(lambda: canned(200, V2), 2, "OData V1-V3 document (EDMX 1.0)", id="odata-v2"),
        pytest.param(lambda: canned(200, b'{"value": []}', "application/json"), 2, "not XML", id="json"),
        pytest.param(lambda: canned(200, b""), 2, "the answer is empty", id="empty"),
        pytest.param(lambda: canned(200, HTML, "text/html"), 2, "HTML page", id="html-login-page"),
        pytest.param(lambda: canned(200, HTML, "application/xml"), 2, "HTML page", id="html-called-xml"),
        pytest.param(lambda: canned(500, HTML, "text/html"), 4, "500", id="html-error-page"),
        pytest.param(lambda: canned(404, b"", "text/plain"), 4, "404", id="not-found"),
        pytest.param(lambda: canned(200, CURRENT[:-200]), 2, "not usable $metadata: line", id="truncated"),
        pytest.param(
            lambda: canned(200, b"", **{"Content-Length": str(MAX_DOCUMENT_BYTES + 1)}),
            2,
            f"larger than {MAX_DOCUMENT_BYTES} bytes (MAX_DOCUMENT_BYTES)",
            id="oversized",
        ),
        pytest.param(
            lambda: canned(302, b"", Location="http://evil.example/$metadata"),
            4,
            "refusing to follow the redirect: it leads to another origin",
            id="redirect-elsewhere",
        ),
    ],
)
def test_answers_that_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], server: Callable[[], Canned], code: int, fragment: str
) -> None:
    spec_file = write_spec(tmp_path, auth="none")
    with server() as running:
        result = run(capsys, str(spec_file), "--url", running.url)
    assert_refused(result, code, fragment)
    assert_untouched(spec_file)


def test_a_body_larger_than_the_limit_is_refused_while_read(spec_file: Path) -> None:
    """No Content-Length to refuse it by: the size is counted as the body arrives."""
    spec = load_spec(write_spec(spec_file.parent, auth="none"))
    with Canned(lambda _path: (200, {}, CURRENT), send_length=False) as server:
        with pytest.raises(MetadataError, match="larger than 1000 bytes"):
            fetch(spec, server.url, environ={}, max_bytes=1000)
        assert fetch(spec, server.url, environ={}).changed  # the same answer, within the limit
    assert (spec_file.parent / "metadata.xml").read_bytes() == CURRENT


def test_an_echoed_secret_is_blanked_out(tmp_path: Path) -> None:
    token = "tok-0123456789abcdef"
    spec = load_spec(write_spec(tmp_path, auth="bearer"))
    with Canned(lambda _path: (500, {"Content-Type": "text/plain"}, f"bad token {token}".encode())) as server:
        with pytest.raises(FetchError) as raised:
            fetch(spec, server.url, environ={ENV_TOKEN: token})
    assert token not in str(raised.value) and "***" in str(raised.value)
    assert server.seen[0][1]["Authorization"] == f"Bearer {token}"


def test_a_secret_echoed_into_the_document_is_blanked_out_of_the_parser_s_message(tmp_path: Path) -> None:
    token = "tok-0123456789abcdef"
    spec = load_spec(write_spec(tmp_path, auth="bearer"))
    echoed = CURRENT.replace(b'Version="4.0"', f'Version="{token}"'.encode(), 1)
    with canned(200, echoed) as server:
        with pytest.raises(MetadataError, match=r"unsupported EDMX Version '\*\*\*'") as raised:
            fetch(spec, server.url, environ={ENV_TOKEN: token})
    assert token not in str(raised.value)
    assert_untouched(tmp_path / "codegen.toml")


def test_credentials_never_follow_a_redirect_to_another_origin(tmp_path: Path) -> None:
    spec = load_spec(write_spec(tmp_path, auth="bearer"))
    with canned(200, CURRENT) as other:
        with canned(307, b"", Location=f"{other.url}/odata/V2/$metadata") as first:
            with pytest.raises(FetchError, match="another origin"):
                fetch(spec, first.url, environ={ENV_TOKEN: "tok-0123456789abcdef"})
    assert other.seen == []
    assert_untouched(tmp_path / "codegen.toml")


# --- the spec's base_url and --url ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("ftp://acme.aimbase.com", "must be an http:// or https:// URL with a host"),
        ("https://", "must be an http:// or https:// URL with a host"),
        ("https://user:pw@acme.aimbase.com", "must not hold a username or password"),
        ("https://acme.aimbase.com/?tenant=1", "must not have a query or fragment"),
        ("https://acme.aimbase.com/#x", "must not have a query or fragment"),
        ("https://acme.aimbase.com:http", "is not a valid URL"),
        ("https://acme aimbase.com", "without spaces"),
    ],
)
def test_base_url_is_checked(tmp_path: Path, url: str, problem: str) -> None:
    with pytest.raises(SpecError, match=problem) as raised:
        load_spec(write_spec(tmp_path, base_url=url))
    assert raised.value.line == 10
    with pytest.raises(CodegenError, match=f"--url .* {problem}") as from_option:
        fetch(load_spec(write_spec(tmp_path)), url, environ={})
    for error in (raised.value, from_option.value):
        assert ":pw@" not in str(error)


def test_without_any_url(spec_file: Path) -> None:
    spec: Spec = load_spec(spec_file)
    with pytest.raises(SpecError, match=r"no service URL: set \[service\] base_url in the spec, or pass --url"):
        fetch(spec, environ={})


def test_help_documents_the_variables_and_exit_codes() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "codegen", "fetch", "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    for name in (ENV_USERNAME, ENV_PASSWORD, ENV_TOKEN, "Exit codes", f"; {EXIT_UNREACHABLE} the service"):
        assert name in result.stdout
    assert f"{EXIT_UNREACHABLE} `fetch` could not reach the service" in (cli.__doc__ or "")


def test_end_to_end_in_a_subprocess_without_a_terminal(sandbox: SandboxServer, spec_file: Path) -> None:
    env = {**os.environ, ENV_USERNAME: USER, ENV_PASSWORD: PASSWORD}
    result = subprocess.run(
        [sys.executable, "-m", "codegen", "fetch", str(spec_file), "--url", sandbox.url],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert PASSWORD not in result.stdout
    assert (spec_file.parent / "metadata.xml").read_bytes() == CURRENT

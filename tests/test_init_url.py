"""`codegen init NAME --url URL`: the document downloaded from the sandbox over loopback HTTP (Avala-Api login),
the spec keeping the URL as `[service] base_url` so `codegen fetch` works next, and every refusal writing nothing.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from codegen import cli
from codegen.fetch import ENV_PASSWORD, ENV_TOKEN, ENV_USERNAME, EXIT_UNREACHABLE
from codegen.sandbox import SandboxServer, create_app
from codegen.spec import load_spec

from loopback_servers import canned, closed_port

REPO = Path(__file__).resolve().parents[1]
AIMBASE = load_spec(REPO / "specs" / "aimbase" / "codegen.toml")
USER, PASSWORD = "demo", "init-Pa55word"
HTML = b"<!DOCTYPE html>\n<html><body>Sign in</body></html>"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    app = create_app(AIMBASE, rows=3, seed=1, username=USER, password=PASSWORD)
    with SandboxServer(app) as running:
        yield running
    app.state.sandbox.store.close()


@pytest.fixture(autouse=True)
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_TOKEN, raising=False)
    monkeypatch.setenv(ENV_USERNAME, USER)
    monkeypatch.setenv(ENV_PASSWORD, PASSWORD)


def init(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["init", "dealers", *args, "--specs", str(tmp_path / "specs"), "--output", str(tmp_path / "out")])
    out, err = capsys.readouterr()
    assert PASSWORD not in out + err
    assert "Traceback" not in err
    return code, out, err


def written(tmp_path: Path) -> list[str]:
    return sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))


def test_init_downloads_the_document_and_keeps_the_base_url(
    tmp_path: Path, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = init(tmp_path, capsys, "--url", sandbox.url, "--service-path", "/odata/V2", "--auth", "avala-api")
    assert code == 0, err
    spec_dir = tmp_path / "specs" / "dealers"
    assert (spec_dir / "metadata.xml").read_bytes() == AIMBASE.metadata.read_bytes()
    service = tomllib.loads((spec_dir / "codegen.toml").read_text())["service"]
    assert service["base_url"] == sandbox.url and service["path"] == "/odata/V2"
    assert (tmp_path / "out" / "dealers" / "dealers" / "__init__.py").is_file()
    assert "next steps:" in out
    assert sandbox.app.state.sandbox.tokens.logins >= 1
    # The spec is ready for the next schema change: fetch finds the service without --url.
    assert cli.main(["fetch", str(spec_dir / "codegen.toml")]) == 0
    assert "is unchanged" in capsys.readouterr().out


def test_a_metadata_url_is_split_into_base_url_and_service_path(
    tmp_path: Path, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = init(tmp_path, capsys, "--url", f"{sandbox.url}/odata/V2/$metadata", "--auth", "avala-api")
    assert code == 0, err
    service = tomllib.loads((tmp_path / "specs" / "dealers" / "codegen.toml").read_text())["service"]
    assert (service["base_url"], service["path"]) == (sandbox.url, "/odata/V2")


def test_a_service_path_that_contradicts_the_metadata_url_is_refused(
    tmp_path: Path, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = init(tmp_path, capsys, "--url", f"{sandbox.url}/odata/V2/$metadata", "--service-path", "/v3")
    assert (code, out) == (2, "")
    assert err.strip() == "codegen: error: --url names the service path '/odata/V2', --service-path '/v3'"
    assert written(tmp_path) == []


def test_refused_credentials_exit_4_and_write_nothing(
    tmp_path: Path, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_PASSWORD, "wrong-Pa55word")
    code, _, err = init(tmp_path, capsys, "--url", sandbox.url, "--service-path", "/odata/V2", "--auth", "avala-api")
    assert code == EXIT_UNREACHABLE
    assert "refused the credentials" in err and "wrong-Pa55word" not in err
    assert written(tmp_path) == []


def test_an_unreachable_service_exits_4_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = init(tmp_path, capsys, "--url", f"http://127.0.0.1:{closed_port()}")
    assert code == EXIT_UNREACHABLE, err
    assert len(err.splitlines()) == 1
    assert written(tmp_path) == []


@pytest.mark.parametrize(
    ("status", "body", "content_type", "fragment"),
    [
        (200, HTML, "text/html", "HTML page"),
        (200, b'{"value": []}', "application/json", "not XML"),
        (200, b"<edmx:Edmx Version='4.0' xmlns:edmx='urn:wrong'/>", "application/xml", "$metadata:1: root element"),
    ],
)
def test_an_answer_that_is_not_v4_metadata_exits_2_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], status: int, body: bytes, content_type: str, fragment: str
) -> None:
    with canned(status, body, content_type) as server:
        code, _, err = init(tmp_path, capsys, "--url", server.url)
    assert code == 2, err
    assert len(err.splitlines()) == 1 and fragment in err, err
    assert written(tmp_path) == []


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("https://user:pw@acme.example", "must not hold a username or password"),
        ("https://acme.example/odata?x=1", "must not have a query or fragment"),
        ("ftp://acme.example", "must be an http:// or https:// URL"),
    ],
)
def test_a_bad_url_is_refused_before_anything_is_sent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], url: str, fragment: str
) -> None:
    code, _, err = init(tmp_path, capsys, "--url", url)
    assert code == 2
    assert err.startswith("codegen: error: --url ") and fragment in err and "pw@" not in err
    assert written(tmp_path) == []


def test_metadata_and_url_are_exclusive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["init", "dealers", "--metadata", "m.xml", "--url", "http://127.0.0.1:9"])
    assert exit_.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_missing_credentials_without_a_terminal_are_one_line_and_write_nothing(
    tmp_path: Path, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_USERNAME)
    monkeypatch.delenv(ENV_PASSWORD)
    code, _, err = init(tmp_path, capsys, "--url", sandbox.url, "--auth", "avala-api")
    assert code == 2
    assert err.strip().startswith("codegen: error: no credentials: set CODEGEN_USERNAME and CODEGEN_PASSWORD")
    assert written(tmp_path) == []

"""`[service] path` and `login_path` are absolute URL paths on the service's own origin (issue 8, deliverable 2).

Credentials are sent to them, so a spec (or `--service-path`) must not be able to point them at another host
(`//evil.example`, `http://evil.example/`), out of the service (`..`, also percent-encoded), or smuggle a
query, fragment, backslash or header line into the request. Each is refused with the spec file and line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen.errors import SpecError
from codegen.spec import load_spec, spec_from_arguments

HOSTILE_PATHS: dict[str, str] = {
    # (A relative path such as "odata" was refused before: tests/test_spec.py.)
    "scheme-relative-host": "//evil.example/odata",
    "dot-dot": "/odata/../admin",
    "dot": "/odata/./x",
    "encoded-dot-dot": "/odata/%2e%2E/admin",
    "query": "/odata?redirect=http://evil.example",
    "fragment": "/odata#x",
    "backslash": "/odata\\..\\admin",
    "backslash-host": "/\\evil.example",
    "newline": "/odata\r\nX-Evil: 1",
    "nul": "/odata\x00",
    "tab": "/od\tata",
    "delete-character": "/odata\x7f",
}
# Not starting with "/": the service path refused these before, the login path did not.
NOT_PATHS = {"absolute-url": "http://evil.example/login", "scheme-only": "https:/evil", "relative": "login"}
LOGIN_PATHS = {**HOSTILE_PATHS, **NOT_PATHS}
GOOD_PATHS = ["/", "/odata/V2", "/api/Security/Login", "/odata/%20space", "/a.b/c..d/...", "/ünicode"]


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(c if 0x20 <= ord(c) != 0x7F else f"\\u{ord(c):04x}" for c in escaped) + '"'


def _spec_file(tmp_path: Path, path: str = "/odata", login_path: str = "/login") -> Path:
    spec = tmp_path / "codegen.toml"
    spec.write_text(
        "[metadata]\n"
        'source = "metadata.xml"\n'
        "[output]\n"
        'directory = "out"\n'
        'package = "pkg"\n'
        "[service]\n"
        'name = "S"\n'
        f"path = {_toml_string(path)}\n"
        'auth = "bearer"\n'
        f"login_path = {_toml_string(login_path)}\n",
        encoding="utf-8",
    )
    return spec


@pytest.mark.parametrize("path", list(HOSTILE_PATHS.values()), ids=list(HOSTILE_PATHS))
def test_hostile_service_paths_are_refused(tmp_path: Path, path: str) -> None:
    spec = _spec_file(tmp_path, path=path)
    with pytest.raises(SpecError) as caught:
        load_spec(spec)
    assert str(caught.value).startswith(f"{spec}:8: service path "), caught.value
    assert "\n" not in str(caught.value).replace("\\n", "")


@pytest.mark.parametrize("path", list(LOGIN_PATHS.values()), ids=list(LOGIN_PATHS))
def test_hostile_login_paths_are_refused(tmp_path: Path, path: str) -> None:
    spec = _spec_file(tmp_path, login_path=path)
    with pytest.raises(SpecError) as caught:
        load_spec(spec)
    assert str(caught.value).startswith(f"{spec}:10: login path "), caught.value


@pytest.mark.parametrize("path", list(HOSTILE_PATHS.values()), ids=list(HOSTILE_PATHS))
def test_hostile_service_path_arguments_are_refused(tmp_path: Path, path: str) -> None:
    with pytest.raises(SpecError, match="^service path "):
        spec_from_arguments(tmp_path / "m.xml", "pkg", tmp_path, path)


@pytest.mark.parametrize("path", GOOD_PATHS)
def test_ordinary_paths_are_accepted(tmp_path: Path, path: str) -> None:
    spec = load_spec(_spec_file(tmp_path, path=path, login_path=path))
    assert (spec.service_path, spec.login_path) == (path, path)

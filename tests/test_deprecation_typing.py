"""What mypy --strict reports about deprecated elements (tests/fixtures/csdl/deprecations.xml) in user code.

Each line of USER marked `# E: <fragment>` must be reported as deprecated with that fragment and no other line
may be; the generated package itself must check clean, its own uses of its deprecated names included. Without
`--enable-error-code deprecated` mypy says nothing (README.md of a generated project says to turn it on).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "csdl" / "deprecations.xml"
USER = """\
import depsvc
from depsvc import Color, Person, QPerson
from depsvc.client import AsyncClient, Client

person = Person(id=1, age=3, name="n")
age = person.age  # E: Person/Age is deprecated: use BirthDate
person.middle_name = "x"  # E: Person/MiddleName is deprecated since 2.0: use "Names"
friends = person.friends  # E: Person/Friends is deprecated: ask BestFriend
name = person.name
best = person.best_friend
colour = QPerson.favourite  # E: Person/Favourite is deprecated since 3: colours are out
path = QPerson.best_friend.age  # E: Person/Age is deprecated
ok = QPerson.name == "n"
relic = depsvc.Relic(code="a")  # E: Relic is deprecated since 1.5: relics are gone
colour_ok = Color.RED


def use(client: Client) -> None:
    client.relics  # E: Relics is deprecated: the set goes too
    client.me  # E: Me is deprecated: use People
    client.census()  # E: Census is deprecated: count People
    client.people.navigate(1).poke()  # E: Poke is deprecated since 4: do not poke
    client.people.poke(1)  # E: Poke is deprecated since 4: do not poke
    client.people.oldest()  # E: Oldest is deprecated: sort instead
    client.people.navigate(1).get()
    client.people.patch(1, name="n")


async def use_async(client: AsyncClient) -> None:
    await client.census()  # E: Census is deprecated: count People
    await client.people.navigate(1).poke()  # E: Poke is deprecated since 4: do not poke
"""
MARK = re.compile(r"#\s*E:\s*(.+?)\s*$")
REPORT = re.compile(r"^(?P<path>.+?):(?P<line>[0-9]+): error: (?P<message>.*?)  \[(?P<code>[a-z-]+)\]$")


def _mypy(directory: Path, *flags: str) -> list[re.Match[str]]:
    command = [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--no-pretty", "--hide-error-context"]
    command += [*flags, "--cache-dir", str(directory / ".mypy_cache"), "user.py", "depsvc"]
    result = subprocess.run(command, cwd=directory, capture_output=True, text=True, check=False)
    assert result.returncode in (0, 1), f"mypy failed to run:\n{result.stdout}\n{result.stderr}"
    reports = [REPORT.match(line) for line in result.stdout.splitlines()]
    assert all(reports), f"unexpected mypy output:\n{result.stdout}"
    return [r for r in reports if r]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("deprecation_typing")
    command = [sys.executable, "-m", "codegen", "generate", "--metadata", str(FIXTURE), "--package", "depsvc"]
    result = subprocess.run([*command, "--out", str(out), "--package-only"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    (out / "user.py").write_text(USER, encoding="utf-8")
    return out


def test_each_deprecated_use_is_reported_and_nothing_else(project: Path) -> None:
    expected = {n: m[1] for n, line in enumerate(USER.splitlines(), 1) if (m := MARK.search(line))}
    assert len(expected) == 14
    reports = _mypy(project, "--enable-error-code", "deprecated")
    assert all(Path(r["path"]).name == "user.py" for r in reports), [r[0] for r in reports]  # the package is clean
    by_line = {int(r["line"]): r for r in reports}
    assert set(by_line) == set(expected), {n: by_line[n][0] for n in set(by_line) ^ set(expected) if n in by_line}
    for line, fragment in expected.items():
        assert by_line[line]["code"] == "deprecated" and fragment in by_line[line]["message"], by_line[line][0]


def test_mypy_is_silent_without_the_error_code(project: Path) -> None:
    assert _mypy(project) == []

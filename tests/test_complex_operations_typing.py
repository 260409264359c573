"""mypy --strict over the package generated from COMPLEX_OPERATIONS_CSDL, and over code using its complex paths:
the package is clean, correct uses type-check with the results' types, and each marked mistake is reported.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from synthetic_csdl import COMPLEX_OPERATIONS_CSDL

REPO = Path(__file__).resolve().parents[1]
PACKAGE = "geo_typing"

USES = """\
from __future__ import annotations

import asyncio

from geo_typing import Address, AsyncClient, AsyncCityAddressItem, CityAddressItem, Client, Location, Person

client = Client("https://geo.example.com")
person = client.people.navigate("russell")
distance: float | None = person.home_address.distance(to="Oslo")
normalized: Address | None = person.info.address.normalized()
owner: Person | None = client.me.home_address.owner()
residents: list[Person] = person.home_address.residents().query().top(2).list()
zip_area: str | None = person.home_address.cast(CityAddressItem).zip_area()
sorted_locations: list[Location | None] = person.address_info.sorted_(by="Name")
person.home_address.verify(strict=True)


async def run() -> float | None:
    async with AsyncClient("https://geo.example.com") as a:
        await a.me.home_address.cast(AsyncCityAddressItem).zip_area()
        return await a.people.navigate("x").info.favourite.address.distance(to="y")


asyncio.run(run())
person.home_address.distance(to=1)  # E: Argument "to"
person.plain  # E: has no attribute "plain"
person.address_info.distance(to="x")  # E: has no attribute "distance"
wrong: Address = person.home_address.describe()  # E: Incompatible types in assignment
person.home_address.cast(Location)  # E: Value of type variable
"""
MARK = re.compile(r"# E: (.+)$")
MARKS = [(number, m[1]) for number, line in enumerate(USES.splitlines(), 1) if (m := MARK.search(line))]


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[int, list[str]], str]:
    out = tmp_path_factory.mktemp("complex_typing")
    source = out / "metadata.xml"
    source.write_text(COMPLEX_OPERATIONS_CSDL, encoding="utf-8")
    command = [sys.executable, "-m", "codegen", "generate", "--metadata", str(source), "--package", PACKAGE]
    generated = subprocess.run(
        [*command, "--out", str(out), "--package-only"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert generated.returncode == 0, generated.stderr
    (out / "uses.py").write_text(USES, encoding="utf-8")
    mypy = [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--no-pretty", "--hide-error-context"]
    env = dict(os.environ, MYPYPATH=str(out))
    result = subprocess.run([*mypy, PACKAGE, "uses.py"], cwd=out, env=env, capture_output=True, text=True, check=False)
    assert result.returncode in (0, 1), result.stdout + result.stderr
    by_line: dict[int, list[str]] = {}
    for line in result.stdout.splitlines():
        path, _, rest = line.partition(":")
        number, _, message = rest.partition(":")
        by_line.setdefault(int(number) if path == "uses.py" else -1, []).append(f"{path}: {message.strip()}")
    return by_line, result.stdout


def test_the_file_has_marks() -> None:
    assert len(MARKS) == 5


def test_the_generated_package_and_correct_uses_are_clean(checked: tuple[dict[int, list[str]], str]) -> None:
    by_line, output = checked
    marked = {number for number, _ in MARKS}
    unexpected = {number: found for number, found in by_line.items() if number not in marked}
    assert not unexpected, output


@pytest.mark.parametrize("number, fragment", MARKS)
def test_mistake_is_reported(checked: tuple[dict[int, list[str]], str], number: int, fragment: str) -> None:
    by_line, output = checked
    assert any(fragment in message for message in by_line.get(number, [])), output

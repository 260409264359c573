"""The OASIS OData ABNF (OData ABNF Construction Rules 4.01) as a parser: parse a string under a named rule.

The grammar file and its test cases are copies in tests/fixtures/odata-spec/ (origin and licence in its
SOURCES.md). They are read with the `abnf` package (PyPI `abnf`, RFC 5234 + RFC 7405, with its
Rust backend from the `abnf[rust]` extra; without that backend, or with ABNF_NO_RUST=1, everything still
works, only loading the grammar takes about 5 s instead of under 1 s).

How the file is loaded: it is plain ABNF (its header is `;` comments) and self-contained: it carries its
own copies of the RFC 3986 URI rules (appendix A), IRI stubs (B) and the RFC 5234 core rules (C). The only
change needed is to drop the core rules of appendix C: the `abnf` package supplies RFC 5234's core rules to
every grammar and refuses to let a grammar redefine them. Each dropped definition is first checked to be
the RFC 5234 one (appendix C writes `HEXDIG = DIGIT / A-to-F` with `A-to-F = "A" / ... / "F"`, which is
RFC 5234's HEXDIG), so a changed file fails loudly here. The rest is loaded as one rule list with the
package's own `Rule.load_grammar`, warnings (such as a rule defined twice) turned into errors, and every
rule that is referenced is checked to be defined. The grammar is built once per process (`grammar()` is
cached).
"""

from __future__ import annotations

import functools
import json
import re
import warnings
from pathlib import Path
from typing import Any

from abnf import GrammarWarning, ParseError, Rule
from abnf.parser import _BACKEND as BACKEND  # "rust" or "python"

SPEC_DIR = Path(__file__).resolve().parent / "fixtures" / "odata-spec"
ABNF_FILE = SPEC_DIR / "odata-abnf-construction-rules.txt"
TESTCASES_FILE = SPEC_DIR / "odata-abnf-testcases.yaml"

__all__ = [
    "ABNF_FILE",
    "BACKEND",
    "TESTCASES_FILE",
    "ParseError",
    "constrained_grammar",
    "failure_offset",
    "grammar",
    "has_rule",
    "matches",
    "parse",
    "section_rules",
    "testcases",
]

# RFC 5234 appendix B.1 core rules restated in the OASIS file's appendix C, with the definition it gives.
_CORE_RULES = {
    "ALPHA": "%x41-5A / %x61-7A",
    "DIGIT": "%x30-39",
    "HEXDIG": "DIGIT / A-to-F",
    "DQUOTE": "%x22",
    "SP": "%x20",
    "HTAB": "%x09",
    "VCHAR": "%x21-7E",
}
_RULE_START = re.compile(r"(?P<name>[A-Za-z][A-Za-z0-9-]*)\s*=/?\s*(?P<body>.*)$")
# Section headings are "; 7. Literal Data Values" (one space; the table of contents indents its entries).
_SECTION = re.compile(r"; (?P<number>[0-9]+|[A-Z])\. (?P<title>\S.*?)\s*")


# Constrained in the test suite but defined in the OData Data Aggregation ABNF, which is not among the fixtures.
_OTHER_GRAMMAR_RULES = frozenset({"customAggregate", "expressionAlias"})


class ODataABNF(Rule):
    """The rules of odata-abnf-construction-rules.txt, as written (a registry separate from other grammars)."""


class ConstrainedODataABNF(Rule):
    """The same rules, with the test suite's `Constraints` applied (see `constrained_grammar`)."""


def _strip_comment(line: str) -> str:
    """The line without its `;` comment; a `;` inside a quoted string is not a comment."""
    out, quoted = [], False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == ";" and not quoted:
            break
        out.append(char)
    return "".join(out)


def _rule_sources(text: str) -> list[tuple[str, list[str], str | None]]:
    """(rule name, its source lines, the section number it is in), in file order."""
    rules: list[tuple[str, list[str], str | None]] = []
    section: str | None = None
    for line in text.splitlines():
        heading = _SECTION.fullmatch(line)
        if heading:
            section = heading["number"]
        start = _RULE_START.match(line)
        if start and not line[0].isspace():
            rules.append((start["name"], [line], section))
        elif line[:1].isspace() and _strip_comment(line).strip() and rules:
            rules[-1][1].append(line)  # continuation line of the rule above
    return rules


@functools.cache
def _prepared() -> tuple[str, tuple[tuple[str, str | None], ...]]:
    text = ABNF_FILE.read_text(encoding="ascii")
    kept: list[str] = []
    sources = _rule_sources(text)
    names = {name for name, _lines, _section in sources}
    for name, lines, _section in sources:
        if name in _CORE_RULES:
            body = _strip_comment(_RULE_START.match(lines[0])["body"]).strip()  # type: ignore[index]
            if len(lines) != 1 or body != _CORE_RULES[name]:
                raise RuntimeError(f"{ABNF_FILE.name}: core rule {name} is not the RFC 5234 one: {lines}")
            continue
        kept.extend(lines)
    # Every rule name used on a right-hand side must be defined (in the file or as an RFC 5234 core rule).
    defined = {n.casefold() for n in names}
    used: set[str] = set()
    for line in kept:
        rhs = _strip_comment(line)
        rhs = rhs.split("=", 1)[1] if _RULE_START.match(rhs) and not rhs[0].isspace() else rhs
        rhs = re.sub(r'%[sSiI]?"[^"]*"|"[^"]*"|%[xdbXDB][0-9A-Fa-f.\-]+|<[^>]*>', " ", rhs)
        used.update(m.casefold() for m in re.findall(r"[A-Za-z][A-Za-z0-9-]*", rhs))
    core = {
        n.casefold() for n in ("ALPHA BIT CHAR CR CRLF CTL DIGIT DQUOTE HEXDIG HTAB LF LWSP OCTET SP VCHAR WSP").split()
    }
    undefined = sorted(used - defined - core)
    if undefined:
        raise RuntimeError(f"{ABNF_FILE.name}: rules used but not defined: {undefined}")
    return "\n".join(kept), tuple((name, section) for name, _lines, section in sources)


@functools.cache
def grammar() -> type[Rule]:
    """Load the grammar once; returns the Rule class whose registry holds its rules."""
    return _load(ODataABNF)


@functools.cache
def constrained_grammar() -> type[Rule]:
    """The grammar as the OASIS test tool runs its test cases: with the YAML file's `Constraints` applied.

    `Constraints` maps a rule (`entitySetName`, `enumerationMember`, `keyPathLiteral`, ...) to the values it
    may take in the test suite's imaginary service: `entitySetName` is any odataIdentifier in the grammar,
    but only `Categories`, `Products`, ... in the tests, and some negative cases (`Categories(1)/ID/$value/foo`)
    fail only because of that. Each constrained rule is redefined as the case-sensitive alternation of its
    values (an empty list matches nothing). Kept apart from `grammar()`, which is the spec as written.
    """
    from abnf.parser import Alternation, Literal

    rules = _load(ConstrainedODataABNF)
    for name, values in _testsuite()["Constraints"].items():
        rule = rules.get(name)
        if rule is None or getattr(rule, "_definition", None) is None:
            if name in _OTHER_GRAMMAR_RULES:
                continue
            raise RuntimeError(f"{TESTCASES_FILE.name}: constraint on unknown rule {name!r}")
        rule.definition = Alternation(*(Literal(value, case_sensitive=True) for value in values))
    return rules


def _load(rules: type[Rule]) -> type[Rule]:
    source, _names = _prepared()
    with warnings.catch_warnings():
        warnings.simplefilter("error", GrammarWarning)
        rules.load_grammar(source)
    return rules


def _rule(name: str, constrained: bool = False) -> Rule:
    rule = (constrained_grammar() if constrained else grammar()).get(name)
    if rule is None or getattr(rule, "_definition", None) is None:
        raise KeyError(f"no rule {name!r} in {ABNF_FILE.name}")
    return rule


def has_rule(name: str) -> bool:
    try:
        _rule(name)
    except KeyError:
        return False
    return True


def parse(rule: str, text: str, *, constrained: bool = False) -> None:
    """Parse all of `text` under `rule` (names are case-insensitive, as in ABNF); raise ParseError if not."""
    _rule(rule, constrained).parse_all(text)


def matches(rule: str, text: str, *, constrained: bool = False) -> bool:
    try:
        parse(rule, text, constrained=constrained)
    except ParseError:
        return False
    return True


def failure_offset(rule: str, text: str, *, constrained: bool = False) -> int | None:
    """None if `text` parses under `rule`, else the offset the `abnf` package reports for the failure."""
    try:
        parse(rule, text, constrained=constrained)
    except ParseError as exc:
        return int(exc.start)
    return None


def section_rules(number: str) -> frozenset[str]:
    """Names (casefolded) of the rules defined in one numbered section of the file, e.g. "7"."""
    _source, names = _prepared()
    return frozenset(name.casefold() for name, section in names if section == number)


def testcases() -> tuple[dict[str, Any], ...]:
    """The `TestCases` list of odata-abnf-testcases.yaml: Name, Rule, Input, optional FailAt (an int) and
    Expect (parse-tree nodes the tool checks; not used here)."""
    return tuple(_testsuite()["TestCases"])


@functools.cache
def _testsuite() -> dict[str, Any]:
    """odata-abnf-testcases.yaml as loaded by PyYAML.

    PyYAML reads YAML 1.1 (the file is YAML 1.2). YAML 1.1 does not allow a TAB inside a plain (unquoted)
    scalar, YAML 1.2 does: such a line (one `$orderby` input has a TAB) is rewritten as the equivalent
    double-quoted scalar before loading; a TAB anywhere else is an error.
    """
    import yaml

    lines = TESTCASES_FILE.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        if "\t" in line:
            plain = re.fullmatch(r"(?P<key>\s+Input: )(?P<value>[^\"'\s][^#]*)", line)
            if plain is None:
                raise RuntimeError(f"{TESTCASES_FILE.name}:{index + 1}: TAB outside a plain Input scalar")
            lines[index] = plain["key"] + json.dumps(plain["value"].strip(" "))
    # BaseLoader keeps every scalar a string: YAML 1.1's implicit types would turn `Input: 2012-09-03` into a
    # date (and fail on year 0000) and `true` into a bool. FailAt is converted back to an int.
    document: dict[str, Any] = yaml.load("\n".join(lines), Loader=yaml.BaseLoader)
    for case in document["TestCases"]:
        if "FailAt" in case:
            case["FailAt"] = int(case["FailAt"])
    return document

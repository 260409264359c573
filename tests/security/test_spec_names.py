"""Names the spec chooses (`[naming] renames`, `[service] name`) cannot break the generated package.

Python NFKC-normalises identifiers in source (`ｓｅｌｆ` is `self`, `ﬁ` is `fi`) while `__all__` and the
generator's reserved-name and collision checks see the raw string, so spec names must be ASCII. And whatever
ASCII renames a user picks, every generated signature gets distinct parameter names.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from codegen import cli
from codegen.errors import SpecError
from codegen.spec import load_spec

METADATA = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<edmx:Edmx xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx" Version="4.0"><edmx:DataServices>\n'
    '<Schema xmlns="http://docs.oasis-open.org/odata/ns/edm" Namespace="NS">\n'
    '<ComplexType Name="Other"><Property Name="A" Type="Edm.String"/></ComplexType>\n'
    '<EntityType Name="Thing"><Key><PropertyRef Name="Id"/></Key><Property Name="Id" Type="Edm.Int32" Nullable="false"/>'
    '<Property Name="Name" Type="Edm.String"/><Property Name="Count" Type="Edm.Int32"/>'
    '<Property Name="Label" Type="Edm.String"/></EntityType>\n'
    '<EntityContainer Name="C"><EntitySet Name="Things" EntityType="NS.Thing"/></EntityContainer>\n'
    "</Schema></edmx:DataServices></edmx:Edmx>\n"
)


def _spec(tmp_path: Path, renames: dict[str, str], service: str = "Svc") -> Path:
    (tmp_path / "metadata.xml").write_text(METADATA, encoding="utf-8")
    pairs = ", ".join(f'"{target}" = "{name}"' for target, name in renames.items())
    spec = tmp_path / "codegen.toml"
    spec.write_text(
        '[metadata]\nsource = "metadata.xml"\n[output]\ndirectory = "out"\npackage = "pkg"\n'
        f'[service]\nname = "{service}"\npath = "/odata"\n[naming]\nrenames = {{ {pairs} }}\n',
        encoding="utf-8",
    )
    return spec


# Each normalises (NFKC) to a name the checks refuse or that collides; unrefused, each gave a broken package.
NON_ASCII_RENAMES: dict[str, tuple[str, str]] = {
    "fullwidth-self": ("NS.Thing/Name", "ｓｅｌｆ"),
    "fullwidth-existing-field": ("NS.Thing/Name", "ｃｏｕｎｔ"),
    "fullwidth-key-field": ("NS.Thing/Name", "ｉｄ"),
    "fullwidth-dynamic-properties": ("NS.Thing/Name", "ｄｙｎａｍｉｃ_ｐｒｏｐｅｒｔｉｅｓ"),
    "fullwidth-builtin-type": ("NS.Other", "ｓｔｒ"),
    "fullwidth-existing-class": ("NS.Other", "Ｔｈｉｎｇ"),
    "fullwidth-future-import": ("NS.Other", "ａｎｎｏｔａｔｉｏｎｓ"),
    "ligature": ("NS.Other", "ﬁle"),
}


@pytest.mark.parametrize("target, name", list(NON_ASCII_RENAMES.values()), ids=list(NON_ASCII_RENAMES))
def test_non_ascii_renames_are_refused(tmp_path: Path, target: str, name: str) -> None:
    """Reproduces adversarial findings 4, 5 and 6 (NFKC names past the reserved-name and collision checks)."""
    spec = _spec(tmp_path, {target: name})
    with pytest.raises(SpecError) as caught:
        load_spec(spec)
    assert str(caught.value).startswith(f"{spec}:10: rename of {target!r} to {name!r}: not ASCII"), caught.value


@pytest.mark.parametrize("service", ["ﬁ", "ｓｅｌｆ", "Ｓｖｃ"])
def test_non_ascii_service_names_are_refused(tmp_path: Path, service: str) -> None:
    """Reproduces adversarial finding 5 (a non-ASCII service name gave a client module `import *` breaks on)."""
    spec = _spec(tmp_path, {}, service=service)
    with pytest.raises(SpecError) as caught:
        load_spec(spec)
    assert str(caught.value).startswith(f"{spec}:7: service name {service!r} is not ASCII"), caught.value


# Renames to the patch method's own parameters and locals, and to the names the generator would give them.
CLASHING_RENAMES: dict[str, dict[str, str]] = {
    "etag": {"NS.Thing/Name": "etag", "NS.Thing/Count": "etag_"},
    "key": {"NS.Thing/Name": "key", "NS.Thing/Count": "key_"},
    "changes": {"NS.Thing/Name": "changes", "NS.Thing/Count": "changes_"},
    "return-entity": {"NS.Thing/Name": "return_entity", "NS.Thing/Count": "return_entity_"},
    "suffix-chain": {"NS.Thing/Name": "etag_", "NS.Thing/Count": "etag", "NS.Thing/Label": "etag_2"},
}


@pytest.mark.parametrize("renames", list(CLASHING_RENAMES.values()), ids=list(CLASHING_RENAMES))
def test_renames_never_give_a_signature_two_parameters_of_one_name(tmp_path: Path, renames: dict[str, str]) -> None:
    """Reproduces adversarial finding 4 (`SyntaxError: duplicate argument 'etag_'` in client.py, exit 0)."""
    assert cli.main(["generate", str(_spec(tmp_path, renames))]) == 0
    client = (tmp_path / "out" / "pkg" / "pkg" / "client" / "thing.py").read_text(encoding="utf-8")
    tree = ast.parse(client)  # a duplicate argument is a SyntaxError only at compile time
    compile(client, "thing.py", "exec")
    patches = [f for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) if f.name == "patch"]
    assert len(patches) == 4  # the entity set's (by key) and the item's, sync and async
    for patch in patches:
        names = [a.arg for a in [*patch.args.args, *patch.args.kwonlyargs]]
        assert len(names) == len(set(names)), names
        assert {"self", "etag", "return_entity"} <= set(names)
        assert "changes" not in names  # the method's own local
    assert sum("key" in [a.arg for a in patch.args.args] for patch in patches) == 2
    probe = "import pkg.client.thing, pkg.models"
    subprocess.run([sys.executable, "-c", probe], cwd=tmp_path / "out" / "pkg", check=True, timeout=30)


@pytest.mark.parametrize("name", ["dynamic_properties", "instance_annotations", "self"])
def test_renames_to_model_attributes_are_refused(tmp_path: Path, name: str) -> None:
    """Reproduces adversarial finding 6 in ASCII: a field named like a model attribute would swallow extra data."""
    spec = _spec(tmp_path, {"NS.Thing/Name": name})
    with pytest.raises(SpecError, match="reserved by the generated classes"):
        load_spec(spec)

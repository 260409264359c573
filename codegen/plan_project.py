"""The distribution around a generated package: its name, version and the runtime it depends on.

What `pyproject.toml` and `README.md` of a generated project say; the names and the version were checked when
the spec was read (spec.py), so only derived values are made here.
"""

from __future__ import annotations

import hashlib

import attrs

from .runtime.version import DISTRIBUTION, __version__, compatible_range
from .spec import Spec, default_distribution

RUNTIME_REQUIREMENT = f"{DISTRIBUTION}{compatible_range(__version__)}"
# A version derived from the schema sorts below any version a user sets, and says which schema it was made from
# (its local part is a hash: it does not grow from one schema to the next; set [project] version to publish).
_SCHEMA_VERSION = "0.0.0+schema.{digest}"


@attrs.frozen
class ProjectPlan:
    distribution: str
    version: str
    description: str
    runtime_requirement: str  # `odata-codegen-runtime>=0.1.0,<0.2`
    packages: tuple[str, ...]  # the import packages the distribution holds
    schema_sha256: str


def plan_project(spec: Spec, source: bytes) -> ProjectPlan:
    digest = hashlib.sha256(source).hexdigest()
    description = spec.description or f"Typed Python client for the {spec.service_name} OData service (odata-codegen)."
    return ProjectPlan(
        distribution=spec.distribution or default_distribution(spec.package),
        version=spec.version or _SCHEMA_VERSION.format(digest=digest[:12]),
        description=description,
        runtime_requirement=RUNTIME_REQUIREMENT,
        packages=(spec.package, f"{spec.package}.client", f"{spec.package}.models"),
        schema_sha256=digest,
    )

"""The generation pipeline: spec -> CSDL model -> package plan -> rendered files -> disk."""

from __future__ import annotations

import attrs

from .changelog import history
from .csdl import Document, parse_metadata
from .diff import Change, build_surface
from .errors import MetadataError, SpecError
from .extensions import UserModule, check_free, user_module
from .fingerprint import fingerprint
from .output import Cache, Difference, compare_package, layout_change, recorded_cache, with_manifest, write_package
from .plan import PackagePlan, build_plan
from .plan_project import plan_project
from .plan_select import Selection, select_for_spec
from .render import render_output
from .spec import Spec


@attrs.frozen
class Generated:
    document: Document
    plan: PackagePlan
    files: dict[str, str]
    selection: Selection | None = None  # what [select] kept; None without one
    notice: str | None = None  # set by write() when the output changed between package and project
    user: UserModule | None = None  # the spec's [extensions] module: the user's, carried over, never compared
    # The API changes since the output on disk was generated (codegen/changelog.py); None: nothing to compare.
    changes: tuple[Change, ...] | None = None


@attrs.frozen
class Unchanged:
    """The output on disk is what these very inputs produced: found without parsing or rendering."""

    warnings: int  # how many the metadata had when it was generated


def up_to_date(spec: Spec, *, strict: bool = False) -> Unchanged | None:
    """Unchanged when the manifest at the target records this run's fingerprint and every file still has the
    bytes it lists; None sends the caller to the full run (as does `strict` with warnings, to refuse them)."""
    inputs = fingerprint(spec)
    if inputs is None:
        return None
    try:
        source = spec.metadata.read_bytes()  # fingerprint() found it bounded, an instant ago
    except OSError:
        return None
    cache = recorded_cache(
        spec.target_dir, source_name=spec.metadata.name, source=source, fingerprint=inputs, user=_user(spec)
    )
    if cache is None or (strict and cache.warnings):
        return None
    return Unchanged(cache.warnings)


def generate(spec: Spec, *, strict: bool = False) -> Generated:
    """Parse, plan and render in memory; nothing is written. `strict` refuses a document with warnings."""
    inputs = fingerprint(spec)
    document = parse_metadata(spec.metadata, spec.references)
    if strict and document.warnings:
        first = document.warnings[0]
        count = len(document.warnings)
        message = f"{first.message} (--strict: {count} warning{'s' if count > 1 else ''}, each an error)"
        raise MetadataError(message, path=first.path, line=first.line)
    _check_entity_sets(document, spec)
    document, selection = select_for_spec(document, spec)
    source = spec.metadata.read_bytes()  # after parsing, which refused a document too large to read
    plan = build_plan(document, spec, plan_project(spec, source) if spec.project else None)
    # An input edited while it was read leaves no fingerprint: the next run must not trust this output.
    cache = Cache(inputs if fingerprint(spec) == inputs else None, len(document.warnings))
    if spec.extension_module is not None:
        names = {name for _, name in plan.exports + plan.runtime_exports}
        check_free(spec.extension_module, names, str(spec.source) if spec.source else None, None)
    rendered = render_output(plan, templates=spec.templates, extension_module=spec.extension_module)
    log = history(spec.target_dir, build_surface(document, spec, plan), source_name=spec.metadata.name, source=source)
    files = with_manifest({**rendered, **log.files}, source_name=spec.metadata.name, source=source, cache=cache)
    return Generated(document, plan, files, selection, user=_user(spec), changes=log.changes)


def write(spec: Spec, *, strict: bool = False) -> Generated:
    result = generate(spec, strict=strict)
    notice = layout_change(result.files, spec.target_dir)
    write_package(result.files, spec.target_dir, result.user)
    return attrs.evolve(result, notice=notice)


def check(spec: Spec) -> list[Difference]:
    result = generate(spec)
    return compare_package(result.files, spec.target_dir, result.user)


def _user(spec: Spec) -> UserModule | None:
    if spec.extension_module is None:
        return None
    return user_module(spec.package, spec.extension_module, project=spec.project)


def _check_entity_sets(document: Document, spec: Spec) -> None:
    if spec.entity_sets is None:
        return
    known = {s.name for c in document.containers() for s in c.entity_sets}
    for name in spec.entity_sets:
        if name not in known:
            raise SpecError(
                f"[client] entity_sets names {name!r}, which {spec.metadata.name} does not define "
                f"(it has {', '.join(sorted(known)) or 'none'})",
                path=str(spec.source) if spec.source else None,
            )

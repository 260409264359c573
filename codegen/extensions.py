"""The user's extension module (`[extensions] module = "custom"`): part of the package, never codegen's.

The generated `__init__` imports `<package>.<module>` last, so subclasses it registers are in place before any
data is read. codegen writes a commented starter file only when neither `<module>.py` nor a `<module>/` package
exists; it never lists it in the manifest, never writes over it and never deletes it, and a regeneration carries
it into the new package directory untouched (output.py). `--check` ignores its content.
"""

from __future__ import annotations

import keyword
import re

import attrs

from .errors import SpecError

# The modules every generated package has at its top (render.py): an extension module must not replace one.
GENERATED_MODULES = frozenset({"client", "models"})
# A letter first: `__init__` (or any `_` name: `__main__`, the `_`-prefixed aliases generated code imports)
# would replace or shadow what the package is made of.
_MODULE_NAME = re.compile(r"[a-z][a-z0-9_]*")


@attrs.frozen
class UserModule:
    """Where the user's module lives, relative to the output target, and what to write when it is absent."""

    path: str  # without suffix: `custom` (package alone) or `aimbase/custom` (project); `.py` or a folder
    starter: str

    def owns(self, relative: str) -> bool:
        """True for the module's file, or anything below its folder: the user's, not codegen's."""
        return relative == f"{self.path}.py" or relative == self.path or relative.startswith(f"{self.path}/")


def module_problem(name: str) -> str | None:
    """Why `name` cannot be the extension module, or None."""
    if not _MODULE_NAME.fullmatch(name) or keyword.iskeyword(name):
        return "must be a lower-case Python module name starting with a letter (a-z, 0-9, _), not a keyword"
    if name in GENERATED_MODULES:
        return f"is a module codegen generates ({', '.join(sorted(GENERATED_MODULES))} are taken)"
    return None


def check_free(name: str, package_names: set[str], spec_path: str | None, line: int | None) -> None:
    """An extension module named after a name the package exports would hide it: `aimbase.desc` the module, not
    the function."""
    if name in package_names:
        message = f"[extensions] module {name!r} is a name the generated package exports; choose another"
        raise SpecError(message, path=spec_path, line=line)


def user_module(package: str, module: str, *, project: bool) -> UserModule:
    return UserModule(path=f"{package}/{module}" if project else module, starter=starter(package, module))


def starter(package: str, module: str) -> str:
    """The commented file codegen writes once: it imports nothing, so the package imports as before."""
    return f'''"""Your own code for the {package} package: codegen wrote this file once and never touches it again.

`import {package}` imports this module last (the spec's [extensions] module), so what it registers is in place
before the first request. Nothing here is generated: regenerating the package leaves this file as it is.

A subclass of a generated model, registered, is what the client returns wherever the server sends that type
(entity sets, $expand, navigation, operation results):

    from codegen.runtime import register_subclass

    from {package} import SomeEntity


    @register_subclass
    class MyEntity(SomeEntity):
        @property
        def label(self) -> str:
            return f"{{self.name}} ({{self.id}})"

Clients are extended by subclassing them (see "Customising generated code" in codegen's README).
"""
'''

"""The lazy command table cannot lose a command: `cli.COMMAND_MODULES` (which `main`
reads to import only the module of the command typed) names exactly the commands and
groups that the cli modules define, each in its own module (issue 11)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

from yiguan import cli


def _modules_with_commands() -> dict[str, object]:
    found = {}
    for info in pkgutil.iter_modules(cli.__path__):
        module = importlib.import_module(f"yiguan.cli.{info.name}")
        if hasattr(module, "COMMANDS") or hasattr(module, "GROUPS"):
            found[info.name] = module
    return found


MODULES = _modules_with_commands()


def test_the_command_table_names_every_command_of_every_module() -> None:
    defined = {}
    for name, module in MODULES.items():
        for command in [*getattr(module, "COMMANDS", {}), *getattr(module, "GROUPS", {})]:
            assert command not in defined, f"{command} is defined in {defined.get(command)} too"
            defined[command] = name
    assert defined == cli.COMMAND_MODULES


@pytest.mark.parametrize("module", sorted(MODULES))
def test_every_command_function_says_what_it_does_in_one_line(module: str) -> None:
    for name, func in getattr(MODULES[module], "COMMANDS", {}).items():
        doc = (func.__doc__ or "").strip()
        assert doc and "\n" not in doc and doc.isascii(), f"{module}.{name}: {doc!r}"

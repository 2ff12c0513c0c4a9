"""Documentation that cannot drift: help for every command in both languages, catalogues
in step, the README's commands exist, the format document names every key, one version.
"""

from __future__ import annotations

import re
import string
import tomllib
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

import yiguan
from yiguan.cli import make_app
from yiguan.record import model
from yiguan.text.messages import languages, locale

REPO = Path(__file__).resolve().parents[1]
ZH, EN = locale("zh").messages, locale("en").messages
# every language shipped (a module text/locale_<code>.py): each has Chinese's keys
SHIPPED = [code for code in languages() if code != "zh"]


def _commands() -> list[tuple[tuple[str, ...], Any]]:
    """(path, click command) for every command and sub-command of the full app."""
    found = []

    def walk(path: tuple[str, ...], command: Any) -> None:
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            found.append(((*path, name), sub))
            walk((*path, name), sub)

    walk((), typer.main.get_command(make_app()))
    return found


COMMANDS = _commands()
COMMAND_IDS = [" ".join(path) for path, _ in COMMANDS]


def test_the_issue_commands_are_all_registered() -> None:
    names = set(COMMAND_IDS)
    for expected in ("init", "member add", "member list", "member remove", "new", "list", "show",
                     "check", "undo", "agenda add", "agenda list", "open", "close", "sign",
                     "leave", "speak", "propose", "second", "amend", "withdraw", "postpone",
                     "reconsider", "vote", "action", "done", "status", "strike", "fix"):
        assert expected in names, expected


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=COMMAND_IDS)
def test_every_command_has_help_in_both_catalogues(path: tuple[str, ...], command: Any) -> None:
    key = "help." + ".".join(path)
    for catalogue in (ZH, EN):
        assert catalogue.get(key, "").strip(), key
    assert (command.help or "").strip() == ZH[key].strip()


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=COMMAND_IDS)
def test_every_option_and_argument_is_explained(path: tuple[str, ...], command: Any) -> None:
    for param in command.params:
        if param.name in ("help",):
            continue
        assert (getattr(param, "help", None) or "").strip(), (path, param.name)


@pytest.mark.parametrize("path", [path for path, _ in COMMANDS], ids=COMMAND_IDS)
def test_every_command_answers_help(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(make_app(), [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "用法：yiguan " in result.output


@pytest.mark.parametrize("lang", SHIPPED)
def test_the_catalogues_have_the_same_keys(lang: str) -> None:
    other = locale(lang).messages
    assert sorted(set(ZH) - set(other)) == [] and sorted(set(other) - set(ZH)) == []


def test_the_languages_shipped_are_found() -> None:
    """The tests above run over every language module found: English at least."""
    assert "en" in SHIPPED


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(ZH))
def test_each_message_has_the_same_placeholders_in_both_languages(key: str) -> None:
    for lang in SHIPPED:
        assert _fields(ZH[key]) == _fields(locale(lang).messages.get(key, "")), (lang, key)


_KEY_IN_SOURCE = re.compile(r"""["']((?:[a-z_]+)\.[a-z_][a-z0-9_.+>=]*)["']""")


# Every module of the package but the languages themselves (text/locale_<code>.py: their
# catalogues name every key).
_SOURCE = REPO / "src" / "yiguan"
_MODULES = sorted(str(path.relative_to(_SOURCE)) for path in _SOURCE.rglob("*.py")
                  if not path.name.startswith("locale_"))


def test_the_key_check_reads_every_module() -> None:
    assert {"record/model.py", "record/schema.py", "text/safety.py", "cli/across.py",
            "rules/words.py", "git/support.py", "store/index.py", "git/merge.py",
            "text/messages.py"} <= set(_MODULES)
    assert not {"text/locale_zh.py", "text/locale_en.py"} & set(_MODULES)


# strings in the source that look like keys but name files: settings, assets, browsers
FILE_SUFFIXES = (".toml", ".sqlite", ".html", ".css", ".js", ".exe")


@pytest.mark.parametrize("module", _MODULES)
def test_every_message_key_used_in_the_source_exists(module: str) -> None:
    prefixes = {key.split(".")[0] for key in ZH}
    missing = []
    for path in [REPO / "src" / "yiguan" / module]:
        for match in _KEY_IN_SOURCE.finditer(path.read_text(encoding="utf-8")):
            key = match.group(1)
            if key.endswith(FILE_SUFFIXES) or ".yiguan." in key:
                continue  # a file name or a git setting (diff.yiguan.textconv), not a message
            if key.split(".")[0] in prefixes and not key.endswith(".") and key not in ZH:
                if any(k.startswith(key + ".") for k in ZH):
                    continue  # a prefix completed at run time, e.g. "status." + outcome
                missing.append(f"{path.name}: {key}")
    assert missing == []


def test_the_version_is_the_one_in_pyproject() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert yiguan.__version__ == project["version"]
    result = CliRunner().invoke(make_app(), ["--version"])
    assert result.stdout.strip() == f"yiguan {project['version']}"


# --- README -----------------------------------------------------------------------------

def _readme_commands() -> list[list[str]]:
    readme = REPO / "README.md"
    assert readme.is_file(), f"{readme} is missing: the README is checked, not skipped"
    text = readme.read_text(encoding="utf-8")
    code = re.findall(r"```[a-z]*\n(.*?)```", text, re.DOTALL) + re.findall(r"`([^`\n]+)`", text)
    found = []
    for block in code:
        for match in re.finditer(r"(?:^|[\s/(])yiguan((?:\s+--dir\s+\S+)?(?:\s+[a-z][a-z-]*)+)",
                                 block, re.MULTILINE):
            words = match.group(1).split()
            if words[:1] == ["--dir"]:
                words = words[2:]
            found.append(words)
    return found


def test_every_yiguan_command_in_the_readme_exists() -> None:
    commands = _readme_commands()
    assert commands, "the README shows some commands"
    root = typer.main.get_command(make_app())
    unknown = []
    for words in commands:
        command, known = root, []
        for word in words:
            sub = getattr(command, "commands", {}).get(word)
            if sub is None:
                break
            command, known = sub, [*known, word]
        if not known:
            unknown.append(" ".join(words))
        elif getattr(command, "commands", None) and len(words) > len(known):
            unknown.append(" ".join(words))  # a group followed by a sub-command it lacks
    assert unknown == []


# --- the format document -------------------------------------------------------------------

def test_the_format_document_names_every_table_and_key() -> None:
    doc = REPO / "docs" / "format.md"
    assert doc.is_file(), f"{doc} is missing: the format document is checked, not skipped"
    text = doc.read_text(encoding="utf-8")
    missing = []
    for record_type in (*model.KINDS.all, model.Member, model.Calendar):
        if f"`{record_type.TABLE}`" not in text and f"[[{record_type.TABLE}]]" not in text:
            missing.append(record_type.TABLE)
        for key in record_type.SPEC:
            if f"`{key.name}`" not in text and f"`{record_type.TABLE}.{key.name}`" not in text:
                missing.append(f"{record_type.TABLE}.{key.name}")
    for key in (*model.Meeting.TOP, *model.Rules.SPEC):
        if f"`{key.name}`" not in text and f"`rules.{key.name}`" not in text:
            missing.append(key.name)
    assert missing == []


def test_every_message_in_the_catalogues_is_used() -> None:
    """A key no module names, literally or as the start of one built at run time
    (f"status.{outcome}", "check." from "store."), is a message nobody can see."""
    source = "\n".join((_SOURCE / module).read_text(encoding="utf-8") for module in _MODULES)
    built = set(re.findall(r"""f["']([a-z_]+(?:\.[a-z_0-9+]+)*\.)\{""", source))
    built |= set(re.findall(r"""["']([a-z_]+(?:\.[a-z_0-9]+)*\.)["']\s*\+""", source))
    built |= {"check."}  # store.* refusals reported by check (check_file)
    built |= set(re.findall(r"""f["']([a-z_]+\.[a-z_]+)\{""", source))  # f"clock.hint_{source}"
    unused = [key for key in ZH if f'"{key}"' not in source and f"'{key}'" not in source
              and not key.startswith(tuple(built))]
    assert unused == []


# --- the catalogues' sections ------------------------------------------------------------------

_SECTION = re.compile(r"^    # --- ([a-z_/]+\.py) -+$")
# families of keys kept with the module that owns what they name, whoever says them
_FAMILIES = {"record/model.py": ("table", "field", "status", "stance", "meeting_status", "role",
                                 "what"),
             "text/messages.py": ("list", "punct", "time"),
             "render/document.py": ("documents",)}


def _sections(lang: str) -> list[tuple[str, list[str]]]:
    """The catalogue of `lang` as (module, its keys) in file order."""
    out: list[tuple[str, list[str]]] = []
    path = _SOURCE / "text" / f"locale_{lang}.py"
    for line in path.read_text(encoding="utf-8").splitlines():
        header = _SECTION.match(line)
        if header:
            out.append((header.group(1), []))
        elif (entry := re.match(r'^    "([^"]+)": ', line)) and out:
            out[-1][1].append(entry.group(1))
    return out


def _says(module: str, key: str) -> bool:
    """Whether `module` names `key`, literally or as a prefix completed at run time."""
    source = (_SOURCE / module).read_text(encoding="utf-8")
    if f'"{key}"' in source or f"'{key}'" in source:
        return True
    built = set(re.findall(r"""f["']([a-z_]+(?:\.[a-z_0-9+]+)*\.)\{""", source))
    built |= set(re.findall(r"""["']([a-z_]+(?:\.[a-z_0-9]+)*\.)["']\s*\+""", source))
    built |= set(re.findall(r"""f["']([a-z_]+\.[a-z_]+)\{""", source))
    if module == "meeting/check.py":
        built.add("check.")  # store.* refusals, reported as check.* (check_file)
    return key.startswith(tuple(built))


def test_each_message_sits_with_a_module_that_says_it() -> None:
    """So the words of render/minutes.py are under its header, in both languages: a key
    sits with a module that names it, with the command whose help it is, or with the
    module that owns its family (field.*: record/model.py)."""
    from yiguan.cli import COMMAND_MODULES

    sections = _sections("zh")
    assert sum(len(keys) for _, keys in sections) == len(ZH)
    astray = [f"{module}: {key}" for module, keys in sections for key in keys
              if key.split(".")[0] not in _FAMILIES.get(module, ()) and not _says(module, key)
              and module != f"cli/{COMMAND_MODULES.get(key.removeprefix('help.'))}.py"]
    assert astray == []


@pytest.mark.parametrize("lang", SHIPPED)
def test_every_language_has_the_same_sections_in_the_same_order(lang: str) -> None:
    assert _sections(lang) == _sections("zh")

"""Git around the data folder: readable diffs (textconv), semantic diffs, and setup.

`textconv` turns a meeting into one line per record in a stable order, so `git diff` and
`git log -p` read like minutes: a changed vote count is one changed line. `semantic_diff`
compares two versions record by record ("vote V1: yes 12 → 13"). Both work on the parsed
TOML, not the validated model, so they also show files that `check` would refuse. The
merge driver is in `merge.py`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..record.kinds import KINDS
from ..record.model import (
    COUNCIL_FILE,
    COUNCIL_KEYS,
    SIGNED,
    Calendar,
    Meeting,
    Member,
    meeting_names,
)
from ..text.errors import YiguanError
from ..text.messages import catalogue, current_language, listed, locale, t
from ..text.safety import printable

GITATTRIBUTES_LINES = [
    "# yiguan: git diff reads meetings as records; merges go record by record",
    "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*.toml diff=yiguan merge=yiguan",
]
# `git-setup --lfs` (opt-in): the photos and scans of files/ (store/attachments.py) kept in
# Git LFS, so that the repository's history does not carry every photo's bytes
GITATTRIBUTES_LFS_LINES = [
    "# yiguan: photos and scans (files/) in Git LFS (git lfs install)",
    "files/** filter=lfs diff=lfs merge=lfs -text",
]

# the council's pool of topics (议题征集): the same textconv and merge driver
GITATTRIBUTES_LINES.append("topics.toml diff=yiguan merge=yiguan")


def find_git_root(start: Path) -> Path | None:
    """The top of the git work tree containing `start`, if any (no git process run)."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return None


def tracked_in(folder: Path) -> list[Path] | None:
    """The files git tracks in `folder` and below, or None outside a repository (or
    when git cannot say)."""
    if find_git_root(folder) is None:
        return None
    try:
        done = subprocess.run(["git", "-C", str(folder), "ls-files", "-z", "--", "."],
                              capture_output=True, check=False,
                              env={**os.environ, "GIT_TERMINAL_PROMPT": "0"})
    except OSError:
        return None
    if done.returncode != 0:
        return None
    names = done.stdout.decode("utf-8", "surrogateescape").split("\0")
    return [folder / name for name in names if name]


# --- one line per record ----------------------------------------------------------------

def _flat(value: Any) -> str:
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\n", " ⏎ ")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return listed(_flat(v) for v in value)
    return str(value)


def _get(record: dict[str, Any], key: str) -> str:
    value = record.get(key)
    return "" if value is None else _flat(value)


def _status(kind: str, value: Any) -> str:
    try:
        return t(f"{kind}.{value}")
    except KeyError:
        return _flat(value)


def _attendee(record: dict[str, Any], g: Callable[[str], str]) -> str:
    role = t("textconv.guest") if record.get("role") == "guest" else t("textconv.member")
    org = locale().bracketed(g("org")) if record.get("org") else ""
    return t("textconv.attendee", id=g("id"), name=g("name"), role=role, org=org,
             arrived=g("arrived"), left=g("left"))


def _excused(record: dict[str, Any], g: Callable[[str], str]) -> str:
    reason = locale().bracketed(g("reason")) if record.get("reason") else ""
    return t("textconv.excused", id=g("id"), name=g("name"), reason=reason)


def _item(record: dict[str, Any], g: Callable[[str], str]) -> str:
    by = t("textconv.by", name=g("by")) if record.get("by") else ""
    line = t("textconv.item", id=g("id"), title=g("title"), by=by)
    if any(record.get(key) is not None for key in ("topic", "via", "from", "raised")):
        # made from a resident's topic: where it came from, so a diff hides nothing
        line += t("textconv.item_topic", topic=g("topic") or "-", via=g("via") or "-",
                  name=g("from") or "-", raised=g("raised") or "-")
    return line


def _speech(record: dict[str, Any], g: Callable[[str], str]) -> str:
    extra = " ".join(x for x in (
        _status("stance", record["stance"]) if record.get("stance") else "",
        t("textconv.minutes", n=g("minutes")) if record.get("minutes") else "") if x)
    return t("textconv.speech", id=g("id"), item=g("item") or "-", at=g("at"),
             speaker=g("speaker"), extra=extra, text=g("text"))


def _motion(record: dict[str, Any], g: Callable[[str], str]) -> str:
    second = t("textconv.second", name=g("second")) if record.get("second") else ""
    rule = f" [{g('rule')}]" if record.get("rule") else ""
    return t("textconv.motion", id=g("id"), item=g("item") or "-", at=g("at"), by=g("by"),
             second=second, status=_status("status", record.get("status")), rule=rule,
             text=g("text"))


def _amendment(record: dict[str, Any], g: Callable[[str], str]) -> str:
    return t("textconv.amendment", id=g("id"), motion=g("motion"), at=g("at"), by=g("by"),
             text=g("text"), previous=g("previous"))


def _vote(record: dict[str, Any], g: Callable[[str], str]) -> str:
    recused = t("textconv.recused", names=g("recused")) if record.get("recused") else ""
    if record.get("tellers"):
        recused += t("textconv.tellers", names=g("tellers"))
    again = t("textconv.reconsidered", at=g("reconsidered")) if record.get(
        "reconsidered") else ""
    return t("textconv.vote", id=g("id"), motion=g("motion"), at=g("at"), yes=g("yes"),
             no=g("no"), abstain=g("abstain"), present=g("present"),
             eligible=g("eligible"), not_voting=g("not_voting"), recused=recused,
             rule=g("rule"), outcome=_status("status", record.get("outcome")),
             again=again)


def _action(record: dict[str, Any], g: Callable[[str], str]) -> str:
    state = t("action.done") if record.get("done") else t("action.open")
    note = locale().bracketed(g("note")) if record.get("note") else ""
    return t("textconv.action", id=g("id"), motion=g("motion") or "-", text=g("text"),
             owner=g("owner"), due=g("due") or "-", state=state, note=note)


def _conflict(record: dict[str, Any], g: Callable[[str], str]) -> str:
    text = t("textconv.conflict", id=g("id"), record=g("record"), field=g("field"),
             ours=g("ours"), theirs=g("theirs"))
    if record.get("problem"):  # what check said of the merged meeting
        text += " | " + g("problem")
    return text


# How each kind of record reads as one line: its rendering, by table. A kind without one
# is shown by its catalogue line `textconv.<table>` (every key of its schema a
# placeholder) or, without that, as its word and its keys in schema order.
LINES: dict[str, Callable[[dict[str, Any], Callable[[str], str]], str]] = {
    "attendee": _attendee, "excused": _excused, "item": _item, "speech": _speech,
    "motion": _motion, "amendment": _amendment, "vote": _vote, "action": _action,
    "conflict": _conflict,
}


def record_line(table: str, record: dict[str, Any]) -> str:
    """One record as one readable line (also for records with unknown keys)."""

    def g(key: str) -> str:
        return _get(record, key)

    kind = KINDS.by_table.get(table)
    spec = [k.name for k in kind.SPEC] if kind is not None else []
    line = LINES.get(table)
    if line is not None:
        text = line(record, g)
    elif kind is not None and f"textconv.{table}" in catalogue(current_language()):
        text = t(f"textconv.{table}", **{key: g(key) for key in spec})
    elif kind is not None:
        text = " ".join([t(f"table.{table}"), *(f"{k}={g(k)}" for k in spec if k in record)])
        spec = [k for k in spec if k in record]  # shown already
    else:
        text = f"{table} " + " ".join(f"{k}={_flat(v)}" for k, v in record.items())
    unknown = [k for k in record if k not in spec] if kind is not None else []
    if unknown:  # keys the schema does not know still show, so a diff hides nothing
        text += " " + " ".join(f"{k}={_flat(record[k])}" for k in sorted(unknown))
    return text


def textconv_lines(data: dict[str, Any]) -> list[str]:
    """A parsed meeting (or council) file as readable lines in a stable order."""
    if "topic" in data and "title" not in data and "member" not in data:
        return _topic_lines(data)  # topics.toml
    lines = []
    council = "member" in data and "title" not in data
    if council:  # council.toml
        lines.append(t("textconv.council", name=_get(data, "name")))
        described = [(k.name, f"council.key.{k.name}") for k in COUNCIL_KEYS]
    else:
        head = t("textconv.meeting", title=_get(data, "title"), date=_get(data, "date"),
                 status=_status("meeting_status", data.get("status")),
                 time=_get(data, "time") or "-", opened=_get(data, "opened") or "-",
                 closed=_get(data, "closed") or "-")
        lines.append(head)
        described = [(key, f"textconv.key.{key}") for key in (
            "place", "host", "recorder", "announce_number", "notice_number", "results_number",
            "note")]
    for key, label in described:
        if data.get(key) is not None:
            lines.append(t(label) + locale().colon + _get(data, key))
    if council:
        for member in data["member"] if isinstance(data["member"], list) else []:
            if isinstance(member, dict):  # phone and note stay out, as everywhere
                lines.append(t("textconv.roster", name=_get(member, "name"),
                               initials=_get(member, "initials")))
    elif "members" in data:
        members = data["members"] if isinstance(data["members"], list) else []
        lines.append(t("textconv.members", n=len(members), names=_get(data, "members")))
    for name in _SETTINGS[council]:
        lines += _setting_lines(name, data.get(name))
    known, tables = (set(COUNCIL_FILE), {Member.TABLE}) if council else (
        meeting_names(), set(KINDS.tables))
    # keys the schema does not know, tables that are no list of records (`speech = 5`) and
    # settings that are no table, as they are: a diff hides nothing
    for key in sorted(k for k in data if k not in known or (k in tables and not (
            isinstance(data[k], list) and all(isinstance(r, dict) for r in data[k])))
            or (k in _SETTINGS[council] and not isinstance(data[k], dict))):
        lines.append(f"{key} = {_flat(data[key])}")
    for record_type in () if council else KINDS.all:
        records = data.get(record_type.TABLE)
        if isinstance(records, list) and all(isinstance(r, dict) for r in records):
            lines += [record_line(record_type.TABLE, record) for record in records]
    if not council and isinstance(data.get(SIGNED), dict):
        lines.append(t("textconv.signed", n=_signed_count(data[SIGNED])))
    return lines


def _topic_lines(data: dict[str, Any]) -> list[str]:
    """topics.toml as readable lines: one per topic (keys the schema does not know show
    too, so a diff hides nothing)."""
    lines = [f"{key} = {_flat(value)}" for key, value in data.items()
             if key not in ("format", "topic")]
    topics = data["topic"]
    if not isinstance(topics, list) or not all(isinstance(r, dict) for r in topics):
        return [*lines, f"topic = {_flat(topics)}"]
    return lines + [topic_line(record) for record in topics]


def topic_line(record: dict[str, Any]) -> str:
    """One topic as one readable line: 征集议题 T1 2024-04-02 心愿墙 王阿姨：text [state]."""
    known = ("id", "text", "from", "via", "date", "status", "reason", "into")
    via = record.get("via")
    try:
        state = t(f"topics.status.{record.get('status')}")
    except KeyError:
        state = _get(record, "status")
    if record.get("reason"):
        state += locale().bracketed(_get(record, "reason"))
    if record.get("into"):
        state += " → " + _get(record, "into")
    text = t("textconv.topic", id=_get(record, "id"), date=_get(record, "date"),
             via=_status("topics.via", via) if via else "-",
             by=_get(record, "from") or "-", text=_get(record, "text"), state=state)
    extra = [k for k in record if k not in known]
    return text + "".join(f" {k}={_flat(record[k])}" for k in sorted(extra))


# The tables of settings a file holds, shown key by key: a meeting's rules; a council's
# rules and its own calendar.
_SETTINGS = {False: ("rules",), True: ("rules", Calendar.TABLE)}


def _setting_lines(name: str, table: Any) -> list[str]:
    """`规则 quorum = >1/2`, `规则 presets.nantang = …`, `日历 holidays = 2024-05-20`."""
    if not isinstance(table, dict):
        return []  # (shown as it is among the keys the schema does not know)
    word = t(f"textconv.{name}")
    lines = []
    for key, value in table.items():
        if isinstance(value, dict):
            for inner, setting in value.items():
                lines.append(f"{word} {key}.{inner} = {_flat(setting)}")
        else:
            lines.append(f"{word} {key} = {_flat(value)}")
    return lines


def _signed_count(signed: dict[str, Any]) -> int:
    """How many records a `[signed]` table fingerprints (the meeting's own keys count as
    one): its fingerprints are for `check`, not for a person reading a diff."""
    return sum(len(v) if isinstance(v, dict) else 1 for v in signed.values())


def textconv(data: bytes) -> str:
    """Readable lines for a file's bytes; the text as it is when it does not parse, so
    `git diff` still shows something for a broken file. Either way every line is safe
    for a terminal: control characters (an ESC that would retitle the window or hide a
    line) and direction overrides are shown as escapes, as `check` shows them."""
    try:
        parsed = tomllib.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        text = data.decode("utf-8", "replace")
        return "".join(printable(line) + "\n" for line in text.split("\n")).removesuffix("\n")
    return "".join(printable(line) + "\n" for line in textconv_lines(parsed))


# --- semantic diff -------------------------------------------------------------------------

def read_version(spec: str) -> tuple[str, bytes]:
    """A file path, or `REV:path` read through `git show`."""
    from ..store.files import read_regular

    path = Path(spec)
    if path.exists():
        return spec, read_regular(path)
    if ":" in spec:
        if spec.startswith("-"):  # `--output=FILE`: never handed to git as an option
            raise YiguanError("git.no_version", spec=spec)
        try:
            shown = subprocess.run(["git", "show", "--end-of-options", spec],
                                   capture_output=True, check=False)
        except FileNotFoundError:
            raise YiguanError("git.not_installed") from None
        if shown.returncode == 0:
            return spec, shown.stdout
        raise YiguanError("git.show_failed", spec=spec,
                          detail=shown.stderr.decode("utf-8", "replace").strip())
    raise YiguanError("git.no_version", spec=spec)


def _parse(spec: str, data: bytes) -> dict[str, Any]:
    from ..record.fileformat import parse_toml

    return parse_toml(data, spec)


def semantic_diff(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What changed between two parsed versions of a meeting (or of council.toml), record
    by record."""
    out = []
    tables = [*KINDS.tables, Member.TABLE, "topic"]
    settings = [name for name in ("rules", Calendar.TABLE)
                if isinstance(old.get(name, {}), dict) and isinstance(new.get(name, {}), dict)]
    order = _top_order()
    for key in sorted(set(old) | set(new), key=lambda k: (order.get(k, len(order)), k)):
        if key in tables or key in settings:
            continue
        if key == SIGNED and old.get(key) != new.get(key):
            before, after = old.get(key), new.get(key)
            out.append(t("diff.signed", before=_signed_count(before) if isinstance(
                before, dict) else 0, after=_signed_count(after) if isinstance(
                after, dict) else 0))
            continue
        if old.get(key) != new.get(key):
            out.append(_change(t("textconv.top"), key, old.get(key), new.get(key)))
    for name in settings:
        old_table, new_table = _table(old.get(name)), _table(new.get(name))
        for key in sorted(set(old_table) | set(new_table)):
            if old_table.get(key) != new_table.get(key):
                out.append(_change(t(f"textconv.{name}"), key, old_table.get(key),
                                   new_table.get(key)))
    for table in tables:
        before = _by_id(old.get(table))
        after = _by_id(new.get(table))
        for record_id in after:
            if record_id not in before:
                out.append(t("diff.added", line=_line(table, after[record_id])))
        for record_id, record in before.items():
            if record_id not in after:
                out.append(t("diff.removed", line=_line(table, record)))
                continue
            changed = after[record_id]
            label = f"{t('table.' + table)} {record_id}"
            for key in _field_order(table, record, changed):
                if record.get(key) != changed.get(key):
                    out.append(_change(label, key, record.get(key), changed.get(key)))
    return out


def _line(table: str, record: dict[str, Any]) -> str:
    return topic_line(record) if table == "topic" else record_line(table, record)


def _table(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _top_order() -> dict[str, int]:
    """The keys at the top of a file in the order the files hold them: a council's, then
    a meeting's."""
    names = dict.fromkeys(["format", "name", *(k.name for k in COUNCIL_KEYS),
                           *(k.name for k in Meeting.TOP)])
    return {name: index for index, name in enumerate(names)}


def _field_order(table: str, a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    kind = KINDS.by_table.get(table)
    spec = [k.name for k in kind.SPEC] if kind is not None else []
    rest = sorted((set(a) | set(b)) - set(spec))
    return [k for k in spec if k in a or k in b] + rest


def _by_id(records: Any) -> dict[Any, dict[str, Any]]:
    out: dict[Any, dict[str, Any]] = {}
    if not isinstance(records, list):
        return out
    for index, record in enumerate(records):
        if isinstance(record, dict):
            key = record.get("id", record.get("name", f"#{index}"))
            out[key if isinstance(key, (str, int)) else _flat(key)] = record
    return out


def _change(label: str, key: str, before: Any, after: Any) -> str:
    if before is None:
        return t("diff.field_set", label=label, key=key, after=_flat(after))
    if after is None:
        return t("diff.field_unset", label=label, key=key, before=_flat(before))
    return t("diff.field_changed", label=label, key=key, before=_flat(before), after=_flat(after))


def diff_specs(first: str, second: str) -> list[str]:
    a_name, a_bytes = read_version(first)
    b_name, b_bytes = read_version(second)
    return semantic_diff(_parse(a_name, a_bytes), _parse(b_name, b_bytes))


def merge_lines(base: Path, ours: Path, theirs: Path) -> bytes | None:
    """git's own line-by-line three-way merge of the files (`git merge-file`), with
    conflict markers where both sides changed the same lines: what git would have left
    without yiguan's driver. None when git cannot do it."""
    try:
        done = subprocess.run(["git", "merge-file", "-p", "-L", "ours", "-L", "base",
                               "-L", "theirs", "--", str(ours), str(base), str(theirs)],
                              capture_output=True, check=False)
    except OSError:
        return None
    # the exit status is the number of conflicts (at most 127), negative on an error
    return done.stdout if 0 <= done.returncode <= 127 else None


# --- setup ---------------------------------------------------------------------------------

def yiguan_command() -> str:
    """How git should call this yiguan: the Python that runs it now, with `-m yiguan`, so
    that it works whether or not `yiguan` is on the PATH git sees (a venv that is not
    activated, a GUI client). Git runs the command through a shell: the interpreter's
    path is quoted for it, so a space or a `$(…)` in the path is only a path."""
    import shlex

    return f"{shlex.quote(sys.executable or 'python3')} -m yiguan"


def setup(data_root: Path, *, lfs: bool = False) -> tuple[Path, list[str]]:
    """Write the data folder's .gitattributes and the repository's local git config
    (with `lfs`, the lines that keep files/ in Git LFS too).

    Idempotent: lines already present are not added again. Returns the repository and
    what was changed.
    """
    repo = find_git_root(data_root)
    if repo is None:
        raise YiguanError("git.not_a_repo", path=str(data_root))
    from ..store.files import atomic_write, read_regular

    changed = []
    attributes = data_root / ".gitattributes"
    if attributes.is_symlink():
        # rewriting it would copy whatever it points at (a key, say) into the repository
        raise YiguanError("store.linked_file", path=str(attributes))
    try:
        existing = read_regular(attributes).decode("utf-8", "replace")
    except FileNotFoundError:
        existing = ""
    wanted_lines = GITATTRIBUTES_LINES + (GITATTRIBUTES_LFS_LINES if lfs else [])
    missing = [line for line in wanted_lines if line not in existing.splitlines()]
    if missing:
        text = existing + ("" if not existing or existing.endswith("\n") else "\n")
        atomic_write(attributes, (text + "\n".join(missing) + "\n").encode("utf-8"))
        changed.append(str(attributes))
    command = yiguan_command()
    wanted = {
        "diff.yiguan.textconv": f"{command} textconv",
        "merge.yiguan.name": "yiguan: merge meeting records by id",
        "merge.yiguan.driver": f"{command} merge-driver %O %A %B %P",
    }
    for key, value in wanted.items():
        current = _git(repo, "config", "--local", "--get", key)
        if current.returncode == 0 and current.stdout.strip() == value:
            continue
        result = _git(repo, "config", "--local", key, value)
        if result.returncode != 0:
            raise YiguanError("git.config_failed", key=key, detail=result.stderr.strip())
        changed.append(f"{key} = {value}")
    return repo, changed


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                              check=False, env={**os.environ, "GIT_TERMINAL_PROMPT": "0"})
    except FileNotFoundError:
        raise YiguanError("git.not_installed") from None

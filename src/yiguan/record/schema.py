"""The schema mini-language of the files: `Key` (one TOML key: its kind and limits), the
check of each kind, and `Record`, the base of every record class (keyword construction,
schema-driven load that collects every problem, ordered dump). Also the parsing of the
typed values whose kinds it defines (text, times, dates). No I/O, no typer, no rich.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any, ClassVar, Self, dataclass_transform

from ..rules import engine as rules
from ..text.errors import Problem, YiguanError
from ..text.safety import Failure, check_text

# A stored time: HH:MM on the meeting's date, 24:00–35:59 for the small hours of the next
# day (a meeting past midnight). A typed time is 00:00–23:59; `on_meeting_day` places it.
TIME_RE = re.compile(r"^([01]\d|2\d|3[0-5]):([0-5]\d)\Z")
TYPED_TIME_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)\Z")
INITIALS_RE = re.compile(r"^[a-z0-9]{1,12}\Z")
# ASCII digits only: \d would also take ٠ or ２, which no date parser reads
MEETING_ID_RE = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})(?:-([2-9]|[1-9][0-9]+))?\Z")


def valid_text(value: str, kind: str, what: str) -> str:
    """`value` if it is acceptable, else raise YiguanError naming `what`. A name comes back
    in the one form yiguan stores (names.normal_form: NFC, NFKC where safe)."""
    if kind == "name" and not value.isascii():
        from ..rules.names import normal_form

        value = normal_form(value)
    problem = check_text(value, kind)
    if problem:
        key, params = problem
        raise YiguanError("input.bad_text", what_key=f"what.{what}", why_key=key, **params)
    return value


# The largest whole numbers a file may hold, by kind (a key may set its own): TOML allows
# no integer beyond 64 bits, and no council needs numbers near that.
MOST = {"int": 9_999, "count": 1_000_000}


class Key:
    """One TOML key of a record: its attribute, kind and constraints. Its `check` is
    chosen once from the kind: files are validated on every load of every command."""

    __slots__ = ("name", "kind", "required", "choices", "attribute", "prefix", "check",
                 "most")

    def __init__(self, name: str, kind: str, required: bool = False,
                 choices: tuple[str, ...] = (), attr: str = "", prefix: str = "",
                 most: int | None = None) -> None:
        self.name = name
        # name line text time date int count bool choice names rule quorum id ref notice dates
        self.kind = kind
        self.required = required
        self.choices = choices
        self.attribute = attr or name  # the Python attribute: `pass` is `pass_rule`
        self.prefix = prefix  # for id / ref kinds
        self.most = most if most is not None else MOST.get(kind, 0)  # int and count kinds
        self.check: Callable[[Any, Key], Failure | None] = _CHECKS[kind]


def _text_check(kind: str) -> Callable[[Any, Key], Failure | None]:
    def check(value: Any, key: Key) -> Failure | None:
        if type(value) is not str:
            return ("schema.want_string", {})
        return check_text(value, kind)
    return check


def _pattern_check(pattern: re.Pattern[str], message: str) -> Callable[[Any, Key], Failure | None]:
    def check(value: Any, key: Key) -> Failure | None:
        return None if type(value) is str and pattern.match(value) else (message, {})
    return check


def _date_check(value: Any, key: Key) -> Failure | None:
    return None if type(value) is dt.date else ("schema.want_date", {})


def _int_check(value: Any, key: Key) -> Failure | None:
    if type(value) is not int or value < 1:
        return ("schema.want_int", {})
    return None if value <= key.most else ("schema.too_large", {"most": key.most})


def _count_check(value: Any, key: Key) -> Failure | None:
    if type(value) is not int or value < 0:
        return ("schema.want_count", {})
    return None if value <= key.most else ("schema.too_large", {"most": key.most})


def most(record_type: type[Record], name: str) -> int:
    """The largest whole number a record's key takes (for commands that take one)."""
    return next(key.most for key in record_type.SPEC if key.name == name)


def _bool_check(value: Any, key: Key) -> Failure | None:
    return None if type(value) is bool else ("schema.want_bool", {})


def _choice_check(value: Any, key: Key) -> Failure | None:
    if type(value) is str and value in key.choices:
        return None
    return ("schema.want_choice", {"choices": " | ".join(key.choices)})


def _rule_check(value: Any, key: Key) -> Failure | None:
    if type(value) is not str:
        return ("schema.want_string", {})
    try:
        parsed = str(rules.parse_threshold(value, quorum=key.kind == "quorum"))
    except YiguanError as error:
        return ("schema.bad_rule", {"why": error.message()})
    return None if parsed == value else ("schema.rule_not_canonical", {"canonical": parsed})


def _notice_check(value: Any, key: Key) -> Failure | None:
    """notice_days: whole days (7) or working days ("7 workdays", 民法典 art. 204)."""
    if type(value) is int:
        return _int_check(value, key)
    if type(value) is not str:
        return ("schema.want_notice_days", {})
    from ..rules.deadline import parse_length

    try:
        canonical = parse_length(value).canonical()
    except YiguanError:
        return ("schema.want_notice_days", {})
    if canonical != value:
        shown = f'"{canonical}"' if isinstance(canonical, str) else str(canonical)
        return ("schema.notice_not_canonical", {"canonical": shown})
    return None


def _dates_check(value: Any, key: Key) -> Failure | None:
    """A list of TOML dates, each once (the council's [calendar] lists)."""
    if type(value) is not list:
        return ("schema.want_list", {})
    if len(value) > MOST_DATES:
        return ("schema.too_many", {"most": MOST_DATES})
    seen: set[dt.date] = set()
    for index, item in enumerate(value):
        if type(item) is not dt.date:
            return ("schema.want_date_at", {"n": index + 1})
        if item in seen:
            return ("schema.duplicate_date", {"date": item.isoformat()})
        seen.add(item)
    return None


MOST_DATES = 10_000  # ~27 years of every day: no council lists more

_ID_NUMBER = re.compile(r"[1-9]\d*\Z")


def _id_check(value: Any, key: Key) -> Failure | None:
    if type(value) is str and value.startswith(key.prefix) and _ID_NUMBER.match(
            value, len(key.prefix)):
        return None
    return ("schema.want_id", {"example": f"{key.prefix}1"})


def _names_check(value: Any, key: Key) -> Failure | None:
    raise AssertionError("lists of names are checked element by element")


_CHECKS: dict[str, Callable[[Any, Key], Failure | None]] = {
    "name": _text_check("name"), "line": _text_check("line"), "text": _text_check("text"),
    "record": _text_check("record"),
    "initials": _pattern_check(INITIALS_RE, "schema.want_initials"),
    "time": _pattern_check(TIME_RE, "schema.want_time"),
    "date": _date_check, "int": _int_check, "count": _count_check, "bool": _bool_check,
    "choice": _choice_check, "rule": _rule_check, "quorum": _rule_check,
    "id": _id_check, "ref": _id_check, "names": _names_check,
    "notice": _notice_check, "dates": _dates_check,
}
_NAME_KEY_CHECK = _CHECKS["name"]


def validate_value(key: Key, value: Any, where: str, path: str, problems: list[Problem]) -> Any:
    """Return the value if valid for the key, else record a problem and return None."""
    if key.kind == "names":
        if type(value) is not list:
            problems.append(Problem(path, "schema.want_list", {}, where))
            return None
        good = []
        for index, item in enumerate(value):
            failure = _NAME_KEY_CHECK(item, key)
            if failure:
                problems.append(Problem(path, failure[0], failure[1], f"{where}[{index}]"))
            else:
                good.append(item)
        if len(good) != len(value):
            return None
        if len(set(good)) != len(good):
            problems.append(Problem(path, "schema.duplicate_names", {}, where))
            return None
        return good
    failure = key.check(value, key)
    if failure:
        problems.append(Problem(path, failure[0], failure[1], where))
        return None
    return value


_MISSING = object()


def _at(where: str, key: Key) -> str:
    return f"{where}.{key.name}" if where else key.name


@dataclass_transform(kw_only_default=True)
class Record:
    """Base for every record: keyword construction, equality, schema-driven load and
    ordered dump.

    Records are plain classes whose fields are their SPEC keys (plus EXTRA): a
    dataclass costs ~0.4 ms to create at import, and yiguan starts on every keystroke of
    the meeting. A field's default is the class attribute of that name (lists and dicts
    are copied per record); a field without one must be given. `dataclass_transform`
    tells the type checker the same (it costs nothing at run time), so a misspelt or
    missing field in a construction is a mypy error.
    """

    SPEC: ClassVar[tuple[Key, ...]] = ()
    EXTRA: ClassVar[tuple[str, ...]] = ()
    TABLE: ClassVar[str] = ""
    # The record's times of day (`at`; `arrived`, `left` …). Each has a key `<time>_noted`:
    # false when the time came from the meeting clock rather than from anyone's note.
    TIMES: ClassVar[tuple[str, ...]] = ()
    FIELDS: ClassVar[tuple[str, ...]] = ()
    _FIELD_SET: ClassVar[frozenset[str]] = frozenset()
    _KEY_NAMES: ClassVar[frozenset[str]] = frozenset()
    _DEFAULTS: ClassVar[dict[str, Any]] = {}
    _MUTABLE: ClassVar[tuple[str, ...]] = ()
    _REQUIRED: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        cls.FIELDS = tuple(key.attribute for key in cls.SPEC) + cls.EXTRA
        cls._FIELD_SET = frozenset(cls.FIELDS)
        cls._KEY_NAMES = frozenset(key.name for key in cls.SPEC)
        cls._DEFAULTS = {f: getattr(cls, f) for f in cls.FIELDS if hasattr(cls, f)}
        cls._MUTABLE = tuple(f for f, v in cls._DEFAULTS.items() if isinstance(v, (list, dict)))
        cls._REQUIRED = cls._FIELD_SET - cls._DEFAULTS.keys()

    def __init__(self, **values: Any) -> None:
        cls = type(self)
        if not cls._FIELD_SET.issuperset(values):
            raise TypeError(f"{cls.__name__} has no field "
                            f"{', '.join(sorted(set(values) - cls._FIELD_SET))}")
        if not cls._REQUIRED.issubset(values):
            missing = ", ".join(sorted(cls._REQUIRED - set(values)))
            raise TypeError(f"{cls.__name__} needs {missing}")
        fields = self.__dict__
        fields.update(cls._DEFAULTS)
        for name in cls._MUTABLE:
            if name not in values:
                fields[name] = type(fields[name])(fields[name])
        fields.update(values)

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and all(
            getattr(self, f) == getattr(other, f) for f in self.FIELDS)

    def __repr__(self) -> str:
        shown = ", ".join(f"{f}={getattr(self, f)!r}" for f in self.FIELDS)
        return f"{type(self).__name__}({shown})"

    def copy(self, **changes: Any) -> Self:
        """A new record with the same fields (lists and dicts copied) and `changes`."""
        values = {f: getattr(self, f) for f in self.FIELDS}
        values = {k: type(v)(v) if isinstance(v, (list, dict)) else v for k, v in values.items()}
        values.update(changes)
        return type(self)(**values)

    @classmethod
    def from_table(cls, table: Any, where: str, path: str,
                   problems: list[Problem]) -> Self | None:
        if not isinstance(table, dict):
            problems.append(Problem(path, "schema.want_table", {}, where))
            return None
        before = len(problems)
        values: dict[str, Any] = {}
        if not cls._KEY_NAMES.issuperset(table):
            for name in table:
                if name not in cls._KEY_NAMES:
                    problems.append(Problem(path, "schema.unknown_key", {"key": name}, where))
        for key in cls.SPEC:
            value = table.get(key.name, _MISSING)
            if value is _MISSING:
                if key.required:
                    problems.append(Problem(path, "schema.missing", {"key": key.name}, where))
                continue
            if key.kind == "names":
                value = validate_value(key, value, _at(where, key), path, problems)
                if value is None:
                    continue
            else:
                failure = key.check(value, key)
                if failure:  # the key path is built only for a problem
                    problems.append(Problem(path, failure[0], failure[1], _at(where, key)))
                    continue
            values[key.attribute] = value
        if len(problems) > before:
            return None
        return cls(**values)

    def to_table(self) -> dict[str, Any]:
        """Keys in SPEC order; absent optional values (None, empty lists) are left out."""
        return table_of(self.SPEC, self)


def table_of(keys: tuple[Key, ...], source: object) -> dict[str, Any]:
    """The TOML table of `source`'s attributes for `keys`, in their order; absent optional
    values (None, empty lists) are left out. A record's table, and a meeting's top keys."""
    out: dict[str, Any] = {}
    for key in keys:
        value = getattr(source, key.attribute)
        if value is None or (isinstance(value, list) and not value):
            continue
        out[key.name] = value
    return out


"""The schema mini-language of the files: `Key` (one TOML key: its kind and limits), the
check of each kind, and `Record`, the base of every record class (keyword construction,
schema-driven load that collects every problem, ordered dump).

A record class declares each field once, as an annotation whose default is `key(...)`
(a TOML key: its kind, limits, whether the file must hold it) or `held(...)` (a field
that is no key of the record's own table); the class's `SPEC`, its times of day and its
links to other kinds are derived from those when the class is made. A kind of record a
meeting holds also says, as class attributes, its table, its id prefix, what `fix` may
change and whether `strike` may remove it; `Kinds` is the list of them that everything
reading or writing a meeting walks (the meeting's own list is `record.kinds.KINDS`).
Also the parsing of the typed values whose kinds it defines (text, times, dates). No
I/O, no typer, no rich.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Self, TypeVar, dataclass_transform

from ..rules import engine as rules
from ..text.errors import Problem, YiguanError
from ..text.safety import Failure, check_text

# A stored time: HH:MM on the meeting's date, 24:00–35:59 for the small hours of the next
# day (a meeting past midnight). A typed time is 00:00–23:59; `on_meeting_day` places it.
TIME_RE = re.compile(r"^([01]\d|2\d|3[0-5]):([0-5]\d)\Z")
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


# The kinds of value a key holds. `record`: a whole record as TOML lines (a correction's
# before/after); `id`: the record's own id (its kind's prefix and a number); `ref`: the id
# of a record of another kind; `names`: a list of names; `notice`: days or "N workdays";
# `dates`: a list of dates; `number_pattern`: a council's pattern of 文号 (`numbers.py`).
# (For the type checker only: each has its check in `_CHECKS`.)
if TYPE_CHECKING:
    KeyKind = Literal["name", "line", "text", "record", "initials", "time", "date", "int",
                      "count", "bool", "choice", "rule", "quorum", "id", "ref", "names",
                      "notice", "dates", "number_pattern"]


class Key:
    """One TOML key of a record: its attribute, kind and constraints. Its `check` is
    chosen once from the kind: files are validated on every load of every command."""

    __slots__ = ("name", "kind", "required", "choices", "attribute", "prefix", "check",
                 "most", "target", "default", "to")

    def __init__(self, name: str, kind: KeyKind, required: bool = False,
                 choices: tuple[str, ...] = (), attr: str = "", prefix: str = "",
                 most: int | None = None, target: str = "") -> None:
        self.name = name
        self.kind = kind
        self.required = required
        self.choices = choices
        self.attribute = attr or name  # the Python attribute: `pass` is `pass_rule`
        self.prefix = prefix  # for id / ref kinds
        self.most = most if most is not None else MOST.get(kind, 0)  # int and count kinds
        self.target = target  # the table whose records a ref (or an item number) names
        self.check: Callable[[Any, Key], Failure | None] = _CHECKS[kind]
        # as a field declares it (`key()`), until its class is made
        self.default: Any = _MISSING
        self.to: type[Record] | None = None


def _text_check(kind: KeyKind) -> Callable[[Any, Key], Failure | None]:
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


def _number_pattern_check(value: Any, key: Key) -> Failure | None:
    """number_pattern: one line with {year} and {n} once each (record/numbers.py)."""
    if type(value) is not str:
        return ("schema.want_string", {})
    from .numbers import pattern_problem

    return check_text(value, "line") or pattern_problem(value)

_ID_NUMBER = re.compile(r"[1-9]\d*\Z")


def _id_check(value: Any, key: Key) -> Failure | None:
    if type(value) is str and value.startswith(key.prefix) and _ID_NUMBER.match(
            value, len(key.prefix)):
        return None
    return ("schema.want_id", {"example": f"{key.prefix}1"})


def _names_check(value: Any, key: Key) -> Failure | None:
    raise AssertionError("lists of names are checked element by element")


_CHECKS: dict[KeyKind, Callable[[Any, Key], Failure | None]] = {
    "name": _text_check("name"), "line": _text_check("line"), "text": _text_check("text"),
    "record": _text_check("record"),
    "initials": _pattern_check(INITIALS_RE, "schema.want_initials"),
    "time": _pattern_check(TIME_RE, "schema.want_time"),
    "date": _date_check, "int": _int_check, "count": _count_check, "bool": _bool_check,
    "choice": _choice_check, "rule": _rule_check, "quorum": _rule_check,
    "id": _id_check, "ref": _id_check, "names": _names_check,
    "notice": _notice_check, "dates": _dates_check, "number_pattern": _number_pattern_check,
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


_MISSING: Any = object()


def _at(where: str, key: Key) -> str:
    return f"{where}.{key.name}" if where else key.name


class Held:
    """A field that is no TOML key of its record (`held()`)."""

    __slots__ = ("default", "factory", "init")

    def __init__(self, default: Any, factory: Callable[[], Any] | None, init: bool) -> None:
        self.default = default
        self.factory = factory
        self.init = init


def key(kind: KeyKind, *, default: Any = _MISSING, required: bool | None = None,
        choices: tuple[str, ...] = (), toml: str = "", most: int | None = None,
        to: type[Record] | None = None) -> Any:
    """A TOML key of the record, declared as its field's default: `speaker: str =
    key("name")`. The file must hold it when the field has no default, or with
    `required=True` (a motion's status: written on every motion, "pending" when made).
    `toml`: its name in the file when that is no Python name (`pass`); `most`: the largest
    number it takes; `to`: the kind whose records it names (a `ref` by id, an item by its
    number), which check, strike and the merge follow. The class completes the key (its
    attribute, its id prefix) when it is made."""
    made = Key(toml, kind, default is _MISSING if required is None else required, choices,
               most=most)
    made.default = default
    made.to = to
    return made


def held(*, default: Any = _MISSING, factory: Callable[[], Any] | None = None,
         init: bool = True) -> Any:
    """A field that is no key of the record's own table: the rules' presets (a table of
    their own), a meeting's rules, format and `[signed]`. `init=False`: not given to the
    constructor (a meeting's record tables, set from the kinds)."""
    return Held(default, factory, init)


@dataclass_transform(kw_only_default=True, field_specifiers=(key, held))
class Record:
    """Base for every record: keyword construction, equality, schema-driven load and
    ordered dump.

    Records are plain classes whose fields are declared with `key()` and `held()`: a
    dataclass costs ~0.4 ms to create at import, and yiguan starts on every keystroke of
    the meeting. A field's default is the declaration's (lists and dicts are copied per
    record, `factory` is called per record); a field without one must be given. The class
    attribute of a field stays its declaration (`Speech.item` is the key); a record holds
    every field's value itself. `dataclass_transform` tells the type checker the same (it
    costs nothing at run time), so a misspelt or missing field in a construction is a
    mypy error.
    """

    # What a kind of record a meeting holds says of itself (see record/kinds.py):
    TABLE: ClassVar[str] = ""  # its table in the file: [[speech]]
    PREFIX: ClassVar[str] = ""  # its ids, S1, S2 …; "" for a kind numbered 1, 2 … (items)
    FIX: ClassVar[Mapping[str, str]] = {}  # what `fix` may change: flag → field
    STRIKE: ClassVar[bool] = False  # whether `strike` may remove one entered by mistake
    TRAIL: ClassVar[bool] = True  # whether a closed meeting's trail covers it
    # the field holding what the record says, as the 更正说明 quotes a struck one; "" for a
    # kind named by who and when alone (a sign-in, a vote)
    CONTENT: ClassVar[str] = "text"
    # What makes two versions one record in a merge, besides the id: derived (its required
    # names, times and references: who, when, on what) unless the kind says
    IDENTITY: ClassVar[tuple[str, ...]] = ()

    # Derived from the fields when the class is made:
    SPEC: ClassVar[tuple[Key, ...]] = ()  # the TOML keys, in file order
    FIELDS: ClassVar[tuple[str, ...]] = ()  # what a construction takes
    # The record's times of day (`at`; `arrived`, `left` …): each time key with a key
    # `<time>_noted`, false when the time came from the meeting clock rather than from
    # anyone's note.
    TIMES: ClassVar[tuple[str, ...]] = ()
    # A record of the session: made at `at`, in entry order `seq` (`Meeting.next_seq`),
    # between the opening and the close.
    TIMED: ClassVar[bool] = False
    LINKS: ClassVar[tuple[Key, ...]] = ()  # the keys naming a record of another kind
    SEQS: ClassVar[tuple[str, ...]] = ()  # entry-order numbers: seq, left_seq
    _FIELD_SET: ClassVar[frozenset[str]] = frozenset()
    _KEY_NAMES: ClassVar[frozenset[str]] = frozenset()
    _DEFAULTS: ClassVar[dict[str, Any]] = {}
    _FACTORIES: ClassVar[dict[str, Callable[[], Any]]] = {}
    _MUTABLE: ClassVar[tuple[str, ...]] = ()
    _REQUIRED: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        body = cls.__dict__
        if "SPEC" in body or "FIELDS" in body:
            raise TypeError(f"{cls.__name__}: declare each field once, with key() or held()")
        keys, fields = list(cls.SPEC), list(cls.FIELDS)
        defaults, factories = dict(cls._DEFAULTS), dict(cls._FACTORIES)
        annotations = body.get("__annotations__", {})
        for name in annotations:  # the fields in the order declared: the file's order
            field = body.get(name)
            if isinstance(field, Key):
                field.attribute = name
                field.name = field.name or name
                if field.kind == "id":
                    field.prefix = cls.PREFIX
                elif field.to is not None:
                    field.target, field.prefix = field.to.TABLE, field.to.PREFIX
                keys.append(field)
                fields.append(name)
            elif isinstance(field, Held):
                if field.factory is not None:
                    factories[name] = field.factory
                if field.init:
                    fields.append(name)
            elif str(annotations[name]).startswith(("ClassVar", "typing.ClassVar")):
                continue
            else:
                raise TypeError(f"{cls.__name__}.{name}: declare it with key() or held()")
            if field.default is not _MISSING:
                defaults[name] = field.default
        names = {k.name for k in keys}
        cls.SPEC = tuple(keys)
        cls.FIELDS = tuple(fields)
        cls.TIMES = tuple(k.name for k in keys if k.kind == "time" and f"{k.name}_noted" in names)
        cls.TIMED = "at" in cls.TIMES and "seq" in names
        cls.LINKS = tuple(k for k in keys if k.target)
        cls.SEQS = tuple(k.attribute for k in keys if k.kind == "int"
                         and (k.name == "seq" or k.name.endswith("_seq")))
        if "IDENTITY" not in body:
            cls.IDENTITY = tuple(k.name for k in keys if k.required
                                 and k.kind in ("name", "time", "ref"))
        field_set = cls._FIELD_SET = frozenset(fields)
        cls._KEY_NAMES = frozenset(names)
        cls._DEFAULTS = defaults = {f: v for f, v in defaults.items() if f in field_set}
        cls._FACTORIES = {f: v for f, v in factories.items() if f in field_set}
        cls._MUTABLE = tuple(f for f, v in defaults.items() if isinstance(v, (list, dict)))
        cls._REQUIRED = field_set - defaults.keys() - cls._FACTORIES.keys()
        if cls.FIX and not field_set.issuperset(cls.FIX.values()):
            raise TypeError(f"{cls.__name__}.FIX names a field it does not have")

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
        for name, make in cls._FACTORIES.items():
            if name not in values:
                fields[name] = make()
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


K = TypeVar("K", bound=type[Record])


class Kinds:
    """The kinds of record a meeting holds, in the order of their tables in the file, and
    what is read off them: which tables there are, which kind an id prefix means, which
    kinds are on the meeting's clock, which `fix` may change, which the trail covers,
    which records name which. Everything that walks a meeting's records asks this list
    when it runs, so a kind declared into it is loaded, written, checked, merged,
    corrected and shown with no edit elsewhere. (The views are worked out on first use
    and again after a kind is declared: yiguan starts on every keystroke.)"""

    def __init__(self) -> None:
        self.all: tuple[type[Record], ...] = ()

    def declare(self, kind: K) -> K:
        """Add a kind of record (a class decorator): its table follows those declared
        before it in the file."""
        if not kind.TABLE or "id" not in kind._KEY_NAMES:
            raise TypeError(f"{kind.__name__}: a kind of record needs a TABLE and an id key")
        if any(k.TABLE == kind.TABLE or (kind.PREFIX and k.PREFIX == kind.PREFIX)
               for k in self.all):
            raise TypeError(f"{kind.__name__}: table {kind.TABLE!r} or prefix "
                            f"{kind.PREFIX!r} is taken")
        self.all += (kind,)
        self._forget()
        return kind

    def withdraw(self, kind: type[Record]) -> None:
        """Take a kind out again (a test that declared one for itself)."""
        self.all = tuple(k for k in self.all if k is not kind)
        self._forget()

    def _forget(self) -> None:
        """Drop the views worked out so far (each a cached_property below)."""
        for name, view in vars(Kinds).items():
            if isinstance(view, cached_property):
                self.__dict__.pop(name, None)

    def __iter__(self) -> Iterator[type[Record]]:
        return iter(self.all)

    @cached_property
    def tables(self) -> tuple[str, ...]:
        return tuple(k.TABLE for k in self.all)

    @cached_property
    def by_table(self) -> dict[str, type[Record]]:
        return {k.TABLE: k for k in self.all}

    @cached_property
    def by_prefix(self) -> dict[str, type[Record]]:
        return {k.PREFIX: k for k in self.all if k.PREFIX}

    @cached_property
    def timed(self) -> tuple[type[Record], ...]:
        """The kinds on the meeting's clock: made at `at`, in entry order `seq`."""
        return tuple(k for k in self.all if k.TIMED)

    @cached_property
    def with_times(self) -> tuple[type[Record], ...]:
        """The kinds with a time of day (`TIMES`)."""
        return tuple(k for k in self.all if k.TIMES)

    @cached_property
    def times(self) -> frozenset[str]:
        """Every key that holds a time of day, of any kind (a correction shows it as one)."""
        return frozenset(name for k in self.all for name in k.TIMES)

    @cached_property
    def fixable(self) -> tuple[type[Record], ...]:
        """The kinds `fix` changes: compared before and after a correction."""
        return tuple(k for k in self.all if k.FIX)

    @cached_property
    def trail(self) -> tuple[str, ...]:
        """The tables the trail of a closed meeting covers."""
        return tuple(k.TABLE for k in self.all if k.TRAIL)

    @cached_property
    def references(self) -> dict[str, list[tuple[str, str]]]:
        """table → the (table, key) pairs whose values name its records: vote.motion
        names a motion, speech.item an item."""
        found: dict[str, list[tuple[str, str]]] = {}
        for kind in self.all:
            for link in kind.LINKS:
                found.setdefault(link.target, []).append((kind.TABLE, link.name))
        return found


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


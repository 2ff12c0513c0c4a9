"""Who is meant by a name: roster lookup by full name or stored initials, and initials.

Lookup never guesses: a full name, or initials that fit exactly one person, or an error
that lists the candidates. Initials are computed once, when a member is added, with
pypinyin (imported only there: it costs ~250 ms) and a table of surname readings that
differ from the everyday reading of the character (曾 zēng, 单 shàn, 区 ōu …).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..text.errors import YiguanError
from ..text.messages import Listed, t

# Surnames whose reading as a surname is not the character's commonest reading.
# Compound surnames first; applied only to names of three or more characters.
COMPOUND_SURNAMES = {
    "尉迟": "yc", "万俟": "mq", "长孙": "zs", "单于": "cy", "澹台": "tt", "欧阳": "oy",
    "令狐": "lh", "司马": "sm", "上官": "sg", "诸葛": "zg", "东方": "df", "皇甫": "hf",
    "慕容": "mr", "宇文": "yw", "公孙": "gs", "夏侯": "xh", "司徒": "st", "端木": "dm",
    "轩辕": "xy", "呼延": "hy", "乐正": "yz", "钟离": "zl", "闻人": "wr", "赫连": "hl",
}
SURNAMES = {
    "曾": "z", "单": "s", "解": "x", "仇": "q", "区": "o", "朴": "p", "查": "z", "覃": "q",
    "翟": "z", "尉": "w", "乐": "y", "缪": "m", "盖": "g", "种": "c", "重": "c", "长": "c",
    "秘": "b", "繁": "p", "召": "s", "员": "y", "贠": "y", "宿": "s", "句": "g", "隗": "w",
    "华": "h", "纪": "j", "折": "s", "那": "n", "藏": "z", "柏": "b", "牟": "m", "都": "d",
    "沈": "s", "石": "s", "薄": "b", "贾": "j", "六": "l", "冼": "x", "瞿": "q", "過": "g",
    "过": "g", "能": "n", "洗": "x", "阚": "k", "殷": "y", "强": "q", "莫": "m", "车": "c",
}

# a disambiguating suffix as people type it after a name, 王芳（3栋） or 王芳(3栋): typed
# input, read the same whatever the language yiguan speaks
_SUFFIX = re.compile(r"\s*[（(][^（）()]*[）)]\s*$")


# --- one name, one spelling ---------------------------------------------------------------

def normal_form(name: str) -> str:
    """How yiguan stores a name typed in: NFC, and NFKC where it is safe — for characters
    whose compatibility form is letters or digits (full-width Ａ and ３, ①, ﬁ, a Kangxi
    radical ⾀ for 聿) or a plain space (the ideographic space, a no-break space).
    Chinese punctuation such as （） stays as typed. A compatibility ideograph such as
    U+F9E1 becomes the 李 it stands for (NFC already does that)."""
    if _plain(name):
        return name
    import unicodedata

    text = unicodedata.normalize("NFC", name)
    out = []
    for char in text:
        if char.isascii():
            out.append(char)
            continue
        compatible = unicodedata.normalize("NFKC", char)
        safe = compatible != char and (compatible == " " or compatible.isalnum())
        out.append(compatible if safe else char)
    return "".join(out)


def skeleton(name: str) -> str:
    """What a name looks like, for telling look-alikes apart: NFKC, case folded, without
    spaces. 刘艳, 刘 艳 and 刘　艳 share one; so do lxj and ＬＸＪ."""
    if not _plain(name):
        import unicodedata

        name = unicodedata.normalize("NFKC", name)
    return "".join(name.casefold().split())


def _plain(name: str) -> bool:
    """ASCII and CJK unified ideographs only (nearly every name): NFC and NFKC leave them
    as they are, so the ~1 ms import of unicodedata is not needed."""
    return name.isascii() or all(char < "\x80" or "\u4e00" <= char <= "\u9fff"
                                 for char in name)


def lookalike(name: str, others: Iterable[str]) -> str | None:
    """Another name in `others` that looks like `name` without being it, if any."""
    shape = skeleton(name)
    return next((other for other in others if other != name and skeleton(other) == shape),
                None)


def _is_han(char: str) -> bool:
    import unicodedata

    return unicodedata.name(char, "").startswith("CJK UNIFIED IDEOGRAPH")


def initials_for(name: str) -> str:
    """Pinyin initials for a name: 刘晓菊 → lxj, 曾小明 → zxm, 尉迟恭 → ycg, Anna Li → al.

    A disambiguating suffix such as 王芳(3栋) is left out; letters of Latin words count
    once per word; other characters are skipped. May return "" (then `--initials` is
    needed).
    """
    base = _SUFFIX.sub("", name).strip() or name
    head = ""
    rest = base
    if len(base) >= 3 and base[:2] in COMPOUND_SURNAMES:
        head, rest = COMPOUND_SURNAMES[base[:2]], base[2:]
    elif len(base) >= 2 and base[0] in SURNAMES:
        head, rest = SURNAMES[base[0]], base[1:]
    out = [head]
    for run in re.findall(r"[^\W\d_]+|\d+", rest):
        if _is_han(run[0]):
            out.append(_pinyin_initials(run))
        elif run.isdigit():
            continue
        elif run.isascii():
            out.append(run[0].lower())
    return "".join(out)[:12]


def _pinyin_initials(text: str) -> str:
    from pypinyin import Style, lazy_pinyin

    letters = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore")
    return "".join(letter[:1].lower() for letter in letters if letter[:1].isascii())


class Person:
    """Someone a command may name: a roster member (with initials) or a guest."""

    __slots__ = ("name", "initials", "member")

    def __init__(self, name: str, initials: str | None, member: bool) -> None:
        self.name = name
        self.initials = initials
        self.member = member


def people(roster: Iterable[tuple[str, str | None]] = (), *, members: Iterable[str] = (),
           others: Iterable[str] = ()) -> list[Person]:
    """Everyone a name may refer to, the first mention of a name winning: the roster
    (name, initials), then voting members known only by name (a meeting's members who
    left the roster since), then anyone else a command may name (guests, action owners)."""
    found: dict[str, Person] = {}
    for name, initials in roster:
        found.setdefault(name, Person(name, initials, True))
    for name in members:
        found.setdefault(name, Person(name, None, True))
    for name in others:
        found.setdefault(name, Person(name, None, False))
    return list(found.values())


def find(query: str, people: Iterable[Person]) -> Person:
    """The one person `query` names (full name, or initials if they fit exactly one)."""
    query = query.strip()
    everyone = list(people)
    lowered = query.lower()
    # A full name and someone's initials count alike: a guest called "lxj" and 刘晓菊 (lxj)
    # are two candidates, never a silent choice.
    matches = [p for p in everyone
               if p.name == query or (p.initials and p.initials == lowered)]
    if not matches and query:  # 刘 艳 or 刘　艳 for 刘艳: the same name, not a guess
        shape = skeleton(query)
        matches = [p for p in everyone if skeleton(p.name) == shape]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise YiguanError("names.ambiguous", query=query, candidates=_list(matches))
    near = [p for p in everyone
            if (query and query in p.name)
            or (p.initials and lowered and p.initials.startswith(lowered))]
    near += [p for p in suggestions(query, everyone) if p not in near]
    if near:
        raise YiguanError("names.unknown_near", query=query, candidates=_list(near[:6]))
    raise YiguanError("names.unknown", query=query)


def suggestions(query: str, people: list[Person]) -> list[Person]:
    """Roster names `query` may have meant, best first: the same reading (an input
    method's homophone: 张淑分 for 张淑芬), one character off (a slip of the finger or a
    missing character), the same pinyin initials. Only for a name that was not found:
    the reading needs pypinyin (~250 ms), which a found name never pays."""
    if not query or len(query) > 40:
        return []
    reading = _reading(query)
    initials = initials_for(query) if any(_is_han(c) for c in query) else ""
    ranked: list[tuple[int, int, Person]] = []
    for order, person in enumerate(people):
        if not person.member:
            continue
        if reading and _reading(person.name) == reading:
            rank = 0
        elif _one_off(query, person.name):
            rank = 1
        elif initials and person.initials == initials:
            rank = 2
        else:
            continue
        ranked.append((rank, order, person))
    return [person for _, _, person in sorted(ranked, key=lambda r: (r[0], r[1]))][:6]


def _reading(name: str) -> str:
    """A name's pinyin without tones (张淑芬 and 张淑分: zhang shu fen); "" without Han."""
    if not any(_is_han(char) for char in name):
        return ""
    from pypinyin import Style, lazy_pinyin

    return " ".join(lazy_pinyin(name, style=Style.NORMAL, errors="ignore"))


def _one_off(a: str, b: str) -> bool:
    """`a` and `b` differ by one character replaced, added or left out."""
    if a == b or abs(len(a) - len(b)) > 1 or min(len(a), len(b)) < 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long))) and len(short) >= 2


def _list(people: list[Person]) -> Listed:
    return Listed(t("list.with_note", text=p.name, note=p.initials) if p.initials else p.name
                  for p in people)

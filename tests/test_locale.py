"""A Locale per language (issue 20): everything that differs between Chinese and English
output is the Locale's — its catalogue, punctuation, number and date words, plurals, the
document's language tag — so English output carries no Chinese punctuation of yiguan's
own, and a third language is one Locale, registered here in the test module, that every
message and document then speaks.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import string
import tomllib
import types
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli
from yiguan.record import fileformat
from yiguan.record.model import Meeting
from yiguan.render.document import Document, Span
from yiguan.render.formats import render_document
from yiguan.render.minutes import minutes_document
from yiguan.render.notice import notice_document, results_document
from yiguan.render.paper import announce_document, sign_sheet_document
from yiguan.text import messages
from yiguan.text.messages import (
    ClockTime,
    Listed,
    Locale,
    Words,
    current_language,
    languages,
    locale,
    t,
)

GOLDEN = Path(__file__).resolve().parent / "golden"
INPUTS = sorted(p.stem for p in GOLDEN.glob("*.toml"))
CHINESE_PUNCTUATION = "：、，（）「」。；"


def _load(name: str) -> Meeting:
    path = GOLDEN / f"{name}.toml"
    return fileformat.load_meeting(path.read_bytes(), path.name)


# --- the registry and the language of a run ----------------------------------------------

@pytest.mark.parametrize(("value", "code"), [
    ("", "zh"), ("zh", "zh"), ("zh_CN.UTF-8", "zh"), ("en", "en"), ("EN", "en"),
    ("en_US.UTF-8", "en"), ("english", "en"), ("fr", "zh"), ("e", "zh")])
def test_yiguan_lang_names_the_language_of_a_run(monkeypatch: pytest.MonkeyPatch, value: str,
                                                 code: str) -> None:
    monkeypatch.setenv("YIGUAN_LANG", value)
    assert current_language() == code


def test_chinese_is_the_default_and_english_is_shipped() -> None:
    assert languages() == ("zh", "en")
    assert (locale("zh").tag, locale("en").tag) == ("zh-CN", "en")


def test_an_unknown_language_is_a_lookup_error_not_chinese() -> None:
    with pytest.raises(LookupError, match="no language 'fr'"):
        locale("fr")


# --- what each language says -----------------------------------------------------------------

def test_punctuation_comes_from_the_language() -> None:
    zh, en = locale("zh"), locale("en")
    assert (zh.colon, zh.list_separator, zh.sentence_separator) == ("：", "、", "。")
    assert (en.colon, en.list_separator, en.sentence_separator) == (": ", ", ", "; ")
    assert zh.bracketed("兰州爱颐社工") == "（兰州爱颐社工）"
    assert en.bracketed("兰州爱颐社工") == " (兰州爱颐社工)"


@pytest.mark.parametrize(("n", "zh", "en"), [
    (1, "一", "1"), (10, "十", "10"), (11, "十一", "11"), (20, "二十", "20"),
    (99, "九十九", "99"), (100, "100", "100"), (0, "0", "0")])
def test_numbers_as_headings_count(n: int, zh: str, en: str) -> None:
    assert locale("zh").number_words(n) == zh
    assert locale("en").number_words(n) == en


@pytest.mark.parametrize(("ratio", "zh", "en"), [
    ((1, 2), "半数", "half"), ((2, 3), "三分之二", "two-thirds"), ((1, 1), "全部", "all"),
    ((3, 5), "五分之三", "3/5"), ((4, 5), "五分之四", "four-fifths")])
def test_ratios_in_words(ratio: tuple[int, int], zh: str, en: str) -> None:
    assert locale("zh").ratio_words(*ratio) == zh
    assert locale("en").ratio_words(*ratio) == en


def test_dates_in_words() -> None:
    day = dt.date(2022, 3, 8)
    assert locale("zh").date_words(day) == "2022年3月8日"
    assert locale("zh").date_words(day, weekday=True) == "2022年3月8日（星期二）"
    assert locale("en").date_words(day, weekday=True) == "Tuesday 8 March 2022"


def test_a_next_day_time_reads_in_the_language() -> None:
    assert locale("zh").clock("24:30") == "次日 00:30"
    assert locale("en").clock("24:30") == "00:30 (next day)"
    assert locale("en").clock("19:30") == "19:30"


def test_chinese_has_one_form_for_every_count() -> None:
    for n in (0, 1, 2):
        assert locale("zh").say("council.member_added", name="刘艳", initials="ly",
                                n=n).count(str(n)) == 1


# --- English output: no Chinese punctuation of yiguan's own ----------------------------------

def _scrubbed(value: Any) -> Any:
    """`value` with the text of every typed span replaced by USER."""
    if isinstance(value, Span):
        return dataclasses.replace(value, text="USER") if value.user else value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: _scrubbed(getattr(value, f.name))
                                             for f in dataclasses.fields(value) if f.init})
    if isinstance(value, tuple):
        return tuple(_scrubbed(v) for v in value)
    if isinstance(value, list):
        return [_scrubbed(v) for v in value]
    return value


def _without_typed_text(doc: Document) -> Document:
    return dataclasses.replace(doc, title=_scrubbed(doc.title), blocks=_scrubbed(doc.blocks),
                               footer=_scrubbed(doc.footer))


PUBLIC: dict[str, Any] = {"org": "幸福里社区居民委员会", "place": "社区居务公开栏",
                          "phone": "0931-8888888"}
DOCUMENTS = {
    "minutes": lambda m, lang: minutes_document(m, source="x.toml", council="幸福里",
                                                lang=lang, org=PUBLIC["org"]),
    "notice": lambda m, lang: notice_document(m, council="幸福里", source="x.toml", lang=lang,
                                              **PUBLIC),
    "results": lambda m, lang: results_document(m, council="幸福里", source="x.toml",
                                                lang=lang, **PUBLIC),
    "announce": lambda m, lang: announce_document(m, council="幸福里", lang=lang,
                                                  org=PUBLIC["org"], contact=PUBLIC["phone"]),
    "sign-sheet": lambda m, lang: sign_sheet_document(m, council="幸福里", lang=lang),
}


def _foreign(text: str) -> list[str]:
    """Each line of `text` that holds Chinese punctuation."""
    return [line for line in text.splitlines() if any(c in line for c in CHINESE_PUNCTUATION)]


@pytest.mark.parametrize("name", INPUTS)
@pytest.mark.parametrize("document", sorted(DOCUMENTS))
def test_an_english_document_has_no_chinese_punctuation_outside_typed_text(
        document: str, name: str) -> None:
    doc = DOCUMENTS[document](_load(name), "en")
    assert any(span.user for span in doc.title) or document == "minutes"
    bare = _without_typed_text(doc)
    for fmt in ("md", "html"):
        assert _foreign(render_document(bare, fmt).decode("utf-8")) == [], fmt
    # the same check is no check at all unless the Chinese one fails it
    chinese = _without_typed_text(DOCUMENTS[document](_load(name), "zh"))
    assert _foreign(render_document(chinese, "md").decode("utf-8"))


def test_an_english_word_file_has_no_chinese_punctuation_outside_typed_text() -> None:
    import io
    import zipfile

    for document in DOCUMENTS:
        bare = _without_typed_text(DOCUMENTS[document](_load("corrected"), "en"))
        with zipfile.ZipFile(io.BytesIO(render_document(bare, "docx"))) as word:
            parts = [word.read(n).decode("utf-8") for n in word.namelist()
                     if n.startswith("word/") and n.endswith(".xml")]
        text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", "".join(parts)))
        assert "USER" in text and not set(text) & set(CHINESE_PUNCTUATION), document
        assert "Page" in text and "第" not in text  # the footer speaks English too


def _typed_texts(*paths: Path) -> list[str]:
    """Every string of the files, line by line, longest first: what was typed."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.update(line.strip() for line in value.splitlines() if line.strip())
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in paths:
        walk(tomllib.loads(path.read_text(encoding="utf-8")))
    return sorted(found, key=len, reverse=True)


def _outside(text: str, typed: list[str]) -> list[str]:
    for value in typed:
        text = text.replace(value, "USER")
    return _foreign(text)


# wide, so that no typed text is wrapped in a table (the test strips typed text whole)
ENGLISH: dict[str, str | None] = {"YIGUAN_LANG": "en", "COLUMNS": "1000"}


def test_english_views_and_git_lines_have_no_chinese_punctuation(seed: Cli) -> None:
    """The bundled council (幸福里) and its closed 2022-03-08 meeting, which has typed text
    full of Chinese punctuation: the English commands add none of their own."""
    folder = seed.folder
    typed = _typed_texts(*folder.glob("*.toml"))
    said = {}
    for argv in (["status", "-m", "2022-03-08"], ["show", "-m", "2022-03-08"], ["list"], ["check"],
                 ["council", "show"], ["member", "list"], ["ledger"], ["actions"],
                 ["attendance"], ["minutes", "-m", "2022-03-08"],
                 ["notice", "-m", "2022-03-08"], ["notice", "-m", "2022-03-08", "--results"],
                 ["announce", "-m", "2022-04-12"], ["sign-sheet", "-m", "2022-04-12"],
                 ["textconv", str(folder / "council.toml")],
                 ["textconv", str(folder / "2022-03-08.toml")]):
        result = seed.ok(*argv, env=ENGLISH)
        said[" ".join(argv)] = _outside(result.stdout + result.stderr, typed)
    assert said == {key: [] for key in said}
    textconv = seed.ok("textconv", str(folder / "2022-03-08.toml"), env=ENGLISH).stdout
    assert "\nplace: 幸福里社区活动室\n" in textconv  # the colon was "：" (issue 20)
    assert " non-voting (兰州爱颐社工) " in textconv


def test_english_views_of_an_open_meeting_have_no_chinese_punctuation(
        run: Cli, opened: str) -> None:
    run.ok("speak", "lxj", "楼道里的杂物要清", "--at", "19:35")
    run.ok("sign", "列席人", "--guest", "--org", "物业公司", "--at", "19:36")
    run.ok("propose", "限期清理楼道", "--by", "ly", "--second", "wjg", "--at", "19:40")
    typed = _typed_texts(*run.folder.glob("*.toml"))
    said = {}
    for argv in (["status"], ["show", "-m", opened], ["minutes"], ["check"],
                 ["textconv", str(run.meeting_path())]):
        result = run.ok(*argv, env=ENGLISH)
        said[" ".join(argv)] = _outside(result.stdout + result.stderr, typed)
    assert said == {key: [] for key in said}


@pytest.mark.parametrize("argv", [
    ["sign", "无名氏"], ["vote", "M9", "--yes", "1", "--no", "0"], ["show", "-m", "1999-01-01"],
    ["speak", "lxj", "x", "--item", "9"], ["new", "x", "--date", "2024-02-30"],
    ["fix", "V9", "--yes", "1", "--why", "x"], ["strike", "S99", "--why", "x"],
    ["close", "--at", "19:00"], ["open", "--at", "19:40"], ["leave", "zzq"],
    ["excuse", "lxj", "--why", "x"], ["member", "remove", "无名氏"],
    ["council", "set", "no_such_key", "1"]])
def test_english_errors_have_no_chinese_punctuation(run: Cli, opened: str,
                                                    argv: list[str]) -> None:
    result = run.refused(*argv, env=ENGLISH)
    assert result.stderr.startswith("yiguan: error: ")
    assert _outside(result.stderr, ["无名氏"]) == [], result.stderr


def test_english_check_of_a_broken_meeting_has_no_chinese_punctuation(run: Cli,
                                                                       opened: str) -> None:
    path = run.meeting_path()
    text = path.read_text(encoding="utf-8").replace('title = "五月居民议事会"', "title = 5")
    path.write_text(text + '\n[[vote]]\nid = "V1"\nmotion = "M7"\n', encoding="utf-8")
    result = run("check", env=ENGLISH)
    assert result.exit_code == 1 and "title" in result.output and "vote[0]" in result.output
    assert _outside(result.output, _typed_texts(path)) == [], result.output


def test_the_english_projector_in_the_terminal_has_no_chinese_punctuation(
        run: Cli, opened: str, clock: Any) -> None:
    from rich.console import Console

    from yiguan.cli.terminal import screen_view
    from yiguan.meeting import floor as floors
    from yiguan.room import projector
    from yiguan.store.folder import DataFolder

    def drawn() -> str:
        data = DataFolder(run.folder)
        state = projector.public_state(opened, data.load_meeting(opened),
                                       floors.read_floor(data, opened),
                                       dt.datetime(2024, 5, 10, 19, 42, 30),
                                       council=data.load_council().name, lang="en")
        assert state["lang"] == "en" and state["labels"]["colon"] == ": "
        console = Console(record=True, width=200, height=80)
        console.print(screen_view(state))
        return console.export_text()

    run.ok("queue", "wjg", "zgl", "--item", "1")
    run.ok("floor", "wjg", "--at", "19:41")
    run.ok("propose", "清运楼道堆物", "--by", "lxj", "--at", "19:42")
    typed = _typed_texts(*run.folder.glob("*.toml"))
    with_floor = drawn()
    assert "王建国" in with_floor and "刘晓菊" in with_floor
    run.ok("second", "M1", "ly", "--at", "19:42")
    run.ok("floor", "--end", "--at", "19:43")
    run.ok("vote", "M1", "--yes", "4", "--no", "1", "--at", "19:45")
    with_vote = drawn()
    assert "Result of the vote: adopted" in with_vote
    assert _outside(with_floor, typed) == [] and _outside(with_vote, typed) == []


# --- a third language: one Locale, registered here --------------------------------------------

def _capitals(template: str) -> str:
    """English in capitals: the words of a template, its fields as they are."""
    out = []
    for literal, field, spec, conversion in string.Formatter().parse(template):
        out.append(literal.upper().replace("{", "{{").replace("}", "}}"))
        if field is not None:
            out.append("{" + field + (f"!{conversion}" if conversion else "")
                       + (f":{spec}" if spec else "") + "}")
    return "".join(out)


def _language_module() -> types.ModuleType:
    """What a file text/locale_xx.py would hold: English in capitals, its own
    punctuation, dates, plural, numbers and ratios."""
    module = types.ModuleType("locale_xx")
    roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
    module.__dict__.update(
        TAG="en-x-caps", TYPER_NATIVE=False,
        MESSAGES={**{key: _capitals(text) for key, text in locale("en").messages.items()},
                  "punct.colon": " = ", "list.separator": " / ", "punct.bracketed": " <{text}>",
                  "documents.date": "{day}.{month}.{year}", "time.next_day": "{time}+1"},
        plural=lambda n: 0 if n in (0, 1) else 1,  # French's: zero takes the singular
        number_words=lambda n: roman[n - 1] if 0 < n <= len(roman) else str(n),
        ratio_words=lambda num, den: f"{num}:{den}")
    return module


CAPITALS = Locale.of("xx", _language_module())


@pytest.fixture
def capitals(monkeypatch: pytest.MonkeyPatch) -> Locale:
    """The third language, for this test only."""
    monkeypatch.setattr(messages, "_loaded", dict(messages._loaded))
    messages.register(CAPITALS)
    return CAPITALS


def test_a_registered_language_says_every_message(capitals: Locale) -> None:
    assert languages() == ("zh", "en", "xx")
    assert t("council.member_added", lang="xx", name="刘艳", initials="ly", n=0).endswith(
        "THE COUNCIL HAS 0 member")
    assert t("store.many_open", lang="xx", ids=Listed(["2024-05-10", "2024-05-11"])) \
        .count("2024-05-10 / 2024-05-11") == 1
    assert t("time.next_day", lang="xx", time="00:30") == "00:30+1"
    assert t("fix.time_noted", lang="xx", what="X", id="P1", at=ClockTime("24:10")) \
        .count("00:10+1") == 1
    assert locale("xx").say("check.record", what_key="table.vote", id="V1",
                            message="M") == _capitals(locale("en").messages["check.record"]) \
        .format(what="VOTE", id="V1", message="M")
    assert locale("xx").shown(Words(["field.vote.yes", "no.such.key"])) == "YES / key"


def test_a_registered_language_heads_a_document(capitals: Locale) -> None:
    doc = minutes_document(_load("procedure"), source="procedure.toml", council="春晖",
                           lang="xx")  # held on Thursday 2024-02-29
    markdown = render_document(doc, "md").decode("utf-8")
    html = render_document(doc, "html").decode("utf-8")
    assert markdown.startswith("# MINUTES: 春晖\n\n- **MEETING** = 春晖社区二月议事会\n")
    assert "\n- **TIME** = THURSDAY 29.FEBRUARY.2024, " in markdown
    assert "\n- **MEMBERS PRESENT** = 曾凡荣 / 单玉华 / 区志坚 / " in markdown
    assert "THE QUORUM IS MORE THAN 1:2 (AT LEAST 6)" in markdown
    assert "\n## ITEM I: " in markdown and "\n## ITEM II: " in markdown
    assert '<html lang="en-x-caps">' in html
    assert '<li><span class="label">TIME</span> = THURSDAY 29.FEBRUARY.2024, ' in html


def test_a_registered_language_speaks_through_the_command_line(capitals: Locale, run: Cli,
                                                               opened: str) -> None:
    status = run.ok("status", env={"YIGUAN_LANG": "xx"}).stdout
    assert "QUORUM" in status and "quorum" not in status
    before = run.snapshot()
    error = run("vote", "M9", "--yes", "1", "--no", "0", env={"YIGUAN_LANG": "xx"})
    assert error.exit_code == 1 and run.snapshot() == before
    assert error.stderr.startswith("YIGUAN: ERROR: ") and "M9" in error.stderr

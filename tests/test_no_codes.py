"""No printed document carries a record's code, a nested bracket or a doubled number.

The command line names records by their codes (M1, R1, V1, S3 …: what the secretary
types); whatever is printed, posted or projected names them as people do (动议一, 决议一,
动议一表决, 刘艳的发言（19:35）, 议题一中刘艳的第 2 次发言). One meeting holds every kind of
record — speeches timed and untimed, motions adopted, rejected, withdrawn and postponed,
amendments, a vote with a recusal and a teller and a vote taken again after 重议, actions
(one given after the close), excuses (one after the close), guests with an organisation,
people leaving, and corrections of many kinds (a struck speech, fixed counts, a fixed
excuse, item, amendment, action and sign-in) — and every document (minutes, notice,
notice --results, announce, sign-sheet) is rendered in every format (md and html here;
docx read back with python-docx and pdf with pdftotext, marked slow) in both languages,
as the command line writes it. None may show a code, an organisation's brackets inside
ours (王丽娟（幸福里社区（社区书记））), or a list number before a name that is already a
number (「1. 决议一」). The projector's public state, at each stage, likewise.

The typed text of this meeting holds no code-like word, so any code found is ours.
"""

from __future__ import annotations

import datetime as dt
import html.parser
import io
import json
import re
import subprocess
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from rich.console import Console

from conftest import Cli, require_cjk_font, system_browser, system_tool
from yiguan.cli.terminal import screen_view
from yiguan.meeting import floor as floors
from yiguan.record import fileformat
from yiguan.record.kinds import KINDS
from yiguan.room import projector
from yiguan.store.folder import DataFolder

MEETING = "2022-06-14"
CLOCK = dt.datetime(2022, 6, 16, 10, 0)  # two days on: a time not given is not noted
M = ("-m", MEETING)

# a record's code: a kind's prefix (and R, a resolution's) and its number, standing alone
PREFIXES = sorted({kind.PREFIX for kind in KINDS.all if kind.PREFIX} | {"R"})
CODE = re.compile(rf"(?<![A-Za-z0-9])(?:{'|'.join(PREFIXES)})\d+(?![0-9])")
# a bracket opened inside another: （…（…）…）
NESTED = re.compile(r"[（(][^（()）]*[（(]")
# a list number before a name that is a number already: 1. 决议一, 2. Resolution 2
DOUBLED = re.compile(r"\d+\s*[.、．]\s*(?:决议|动议|议题)[一二三四五六七八九十]"
                     r"|\b\d+\.\s*(?:Resolution|Motion|Item) \d")

DOCUMENTS = {"minutes": ("minutes",), "notice": ("notice",),
             "results": ("notice", "--results"), "announce": ("announce",),
             "sign-sheet": ("sign-sheet",)}
LANGS = ("zh", "en")

STEPS: list[tuple[str, ...]] = [
    ("init", "--name", "幸福里社区居民议事会", "--org", "幸福里社区居民委员会"),
    *[("member", "add", name, "--initials", initials) for name, initials in [
        ("刘晓菊", "lxj"), ("刘艳", "ly"), ("王建国", "wjg"), ("张桂兰", "zgl"),
        ("李秀英", "lxy"), ("陈淑珍", "csz"), ("赵志强", "zzq"), ("孙丽", "sl")]],
    ("new", "六月议事会", "--date", MEETING, "--time", "19:30", "--place", "幸福里社区活动室",
     "--host", "王丽娟", "--recorder", "张敏"),
    ("agenda", "add", "楼道照明", "--by", "刘艳"),
    ("agenda", "add", "小游园座椅"),
    ("excuse", "csz", "--reason", "出差（外地）"),
    ("sign", "--guest", "王丽娟", "--org", "幸福里社区（社区书记）", "--at", "19:20"),
    ("sign", "--guest", "张敏", "--org", "兰州爱颐社工", "--at", "19:20"),
    ("sign", "lxj", "ly", "wjg", "zgl", "lxy", "sl", "--at", "19:25"),
    ("open", "--at", "19:30"),
    ("speak", "lxj", "先说楼道照明。", "--item", "1", "--at", "19:31"),
    ("speak", "ly", "三单元的声控灯坏了一个月。", "--stance", "for", "--at", "19:35"),
    ("speak", "ly", "灯坏了要尽快修。"),  # untimed: her second speech on item one
    ("speak", "wjg", "同意尽快修。"),  # untimed, his only one
    ("speak", "张敏", "物业说灯已订货。", "--at", "19:38"),  # a guest speaks
    ("propose", "物业一周内修好三单元声控灯。", "--by", "wjg", "--second", "zgl", "--at", "19:40"),
    ("amend", "M1", "物业五日内修好三单元声控灯。", "--by", "ly", "--at", "19:41"),
    ("amend", "M1", "物业五日内修好三单元和四单元的声控灯。", "--by", "ly"),  # untimed
    ("vote", "M1", "--yes", "4", "--no", "1", "--recuse", "sl", "--teller", "张敏",
     "--at", "19:45"),
    ("propose", "楼道安装感应灯（试行）。", "--by", "lxy", "--second", "ly", "--at", "19:46"),
    ("vote", "M2", "--yes", "2", "--no", "3", "--abstain", "1", "--at", "19:48"),
    ("propose", "暂缓讨论照明费用。", "--by", "zgl", "--second", "wjg", "--at", "19:49"),
    ("withdraw", "M3"),
    ("speak", "zgl", "小游园需要座椅。", "--item", "2", "--at", "19:50"),
    ("propose", "小游园增设两把座椅。", "--by", "zgl", "--second", "lxj", "--item", "2",
     "--at", "19:51"),
    ("vote", "M4", "--yes", "5", "--no", "1", "--at", "19:52"),
    ("reconsider", "M4", "--at", "19:53"),
    ("vote", "M4", "--yes", "4", "--no", "2", "--at", "19:54"),  # the projector: a result
    ("propose", "小游园设置健身器材。", "--by", "ly", "--second", "zgl", "--at", "19:55"),
    # the projector: a motion before the room
    ("postpone", "M5"),
    ("leave", "sl", "--at", "19:56"),
    ("action", "更换三单元声控灯", "--owner", "王丽娟", "--due", "2022-06-21", "--motion", "M1",
     "--at", "19:57"),
    ("action", "采购座椅", "--owner", "lxj", "--motion", "M4", "--at", "19:58"),
    ("done", "A2", "--note", "已采购两把"),
    ("speak", "王丽娟", "今天议定两件事，请按分工落实。", "--closing", "--at", "19:59"),
    ("close", "--at", "20:00"),
    # after the close: a follow-up, an excuse, and corrections of many kinds
    ("action", "张贴座椅使用须知", "--owner", "zgl", *M),
    ("excuse", "zzq", "--reason", "身体不适", "--why", "会后核实", *M),
    ("fix", "V1", "--teller", "张敏", "--teller", "lxj", "--why", "计票人记漏", *M),
    ("fix", "V2", "--yes", "3", "--no", "2", "--why", "复核纸质计票单", *M),
    ("fix", "S2", "--stance", "neutral", "--why", "对照录音", *M),
    ("fix", "S3", "--text", "灯坏了要在五日内修好。", "--why", "对照录音", *M),
    ("strike", "S4", "--why", "重复录入", *M),
    ("fix", "E2", "--text", "物业五日内修好三单元和四单元声控灯。", "--why", "文字有误", *M),
    ("fix", "A1", "--due", "2022-06-24", "--why", "物业确认到货日期", *M),
    ("fix", "2", "--text", "小游园座椅与健身器材", "--why", "议题名称有误", *M),
    ("fix", "L1", "--text", "外地出差", "--why", "请假原因记错", *M),
    ("fix", "P3", "--at", "19:24", "--why", "签到时间有误", *M),
    ("strike", "L2", "--why", "赵志强会上已到过", *M),
]
# the moments the projector is looked at: a vote's result up, a motion before the room
AFTER_VOTE = STEPS.index(("vote", "M4", "--yes", "4", "--no", "2", "--at", "19:54"))
PENDING = AFTER_VOTE + 1


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The meeting made through the command line, and the meeting file as it was while
    a vote's result and while a pending motion stood before the room."""
    folder = tmp_path_factory.mktemp("nocodes") / "meetings"
    run = Cli(folder)
    stages: dict[str, bytes] = {}
    said: list[str] = []
    with mock.patch("yiguan.cli.common.now", return_value=CLOCK):
        for index, step in enumerate(STEPS):
            said.append(run.ok(*step).output)
            if index in (AFTER_VOTE, PENDING):
                stages["vote" if index == AFTER_VOTE else "motion"] = run.meeting_bytes(MEETING)
        said.append(run.ok("show", *M).output)
        said.append(run.ok("check").output)
    return {"folder": folder, "run": run, "stages": stages, "said": "\n".join(said)}


def _document(made: dict[str, Any], document: str, fmt: str, lang: str) -> Path:
    path = made["folder"].parent / f"{document}.{lang}.{fmt}"
    if not path.exists():
        with mock.patch("yiguan.cli.common.now", return_value=CLOCK):
            made["run"].ok(*DOCUMENTS[document], *M, "--format", fmt, "--lang", lang,
                           "-o", str(path))
    return path


class _Text(html.parser.HTMLParser):
    """The text a browser shows of our HTML: no <head>, no <style>; block elements on
    lines of their own; an ordered list's numbers written out as the browser draws them."""

    BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "tr", "br", "table", "ul", "ol"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0
        self.lists: list[int | None] = []  # per open list: the next number, None for <ul>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("head", "style", "script"):
            self.hidden += 1
        if tag in self.BLOCKS:
            self.parts.append("\n")
        if tag == "ol":
            self.lists.append(int(dict(attrs).get("start") or 1))
        elif tag == "ul":
            self.lists.append(None)
        elif tag == "li" and self.lists and self.lists[-1] is not None:
            number = int(dict(attrs).get("value") or self.lists[-1])
            self.parts.append(f"{number}. ")
            self.lists[-1] = number + 1
        elif tag in ("td", "th"):
            self.parts.append(" | ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("head", "style", "script"):
            self.hidden -= 1
        if tag in ("ol", "ul") and self.lists:
            self.lists.pop()
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def _html_text(data: str) -> str:
    reader = _Text()
    reader.feed(data)
    return "".join(reader.parts)


def _docx_text(path: Path) -> str:
    import docx

    word = docx.Document(io.BytesIO(path.read_bytes()))
    parts = [p.text for p in word.paragraphs]
    for table in word.tables:
        parts += [" | ".join(cell.text for cell in row.cells) for row in table.rows]
    return "\n".join(parts)


def _pdf_text(path: Path) -> str:
    pdftotext = system_tool("pdftotext", "poppler-utils")
    return subprocess.run([pdftotext, "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def _shown(made: dict[str, Any], document: str, fmt: str, lang: str) -> str:
    path = _document(made, document, fmt, lang)
    if fmt == "md":
        return path.read_text("utf-8")
    if fmt == "html":
        return _html_text(path.read_text("utf-8"))
    if fmt == "docx":
        return _docx_text(path)
    return _pdf_text(path)


def _assert_clean(text: str, where: str) -> None:
    assert "幸福里社区居民议事会" in re.sub(r"\s+", "", text), f"{where}: nothing read"
    codes = sorted(set(CODE.findall(text)))
    assert not codes, f"{where}: record codes {codes}"
    nested = [text[max(0, m.start() - 20):m.end() + 20] for m in NESTED.finditer(text)]
    assert not nested, f"{where}: nested brackets {nested}"
    doubled = [m.group(0) for m in DOUBLED.finditer(text)]
    assert not doubled, f"{where}: numbered twice {doubled}"


# --- the data: what the test stands on ------------------------------------------------------

def test_the_meeting_holds_every_kind_of_record_and_the_cli_keeps_the_codes(
        made: dict[str, Any]) -> None:
    meeting = made["run"].meeting(MEETING)
    assert {kind.TABLE for kind in KINDS.all if meeting.records(kind)} >= {
        "attendee", "excused", "item", "speech", "motion", "amendment", "vote", "action",
        "correction"}
    assert {m.status for m in meeting.motion} == {"adopted", "rejected", "withdrawn",
                                                  "postponed"}
    assert any(v.recused for v in meeting.vote) and any(v.tellers for v in meeting.vote)
    assert any(v.reconsidered for v in meeting.vote)
    assert any(s.at_noted is False for s in meeting.speech)  # times nobody noted
    assert any(a.added for a in meeting.action) and any(a.role == "guest"
                                                        for a in meeting.attendee)
    struck = {c.record.split()[0] for c in meeting.correction if c.field is None}
    fixed = {c.record.split()[0] for c in meeting.correction if c.field is not None}
    assert struck >= {"speech", "excused"} and fixed >= {"vote", "motion", "speech",
                                                          "amendment", "action", "item",
                                                          "excused", "attendee"}
    # the typed text holds no code: a code found in a document is ours
    typed = _typed_text(meeting)
    assert not CODE.search(typed), CODE.findall(typed)
    # the command line, where the secretary types them, keeps the codes
    for code in ("M1", "M5", "V2", "A2", "R1"):
        assert re.search(rf"(?<![A-Za-z0-9]){code}(?![0-9])", made["said"]), code


def _typed_text(meeting: Any) -> str:
    values: list[str] = [meeting.title, meeting.place or "", meeting.host or "",
                         meeting.recorder or ""]
    for kind in KINDS.all:
        for record in meeting.records(kind):
            for key in kind.SPEC:
                if key.kind in ("name", "line", "text", "names") and key.name != "record":
                    value = getattr(record, key.attribute)
                    values += value if isinstance(value, list) else [str(value or "")]
    return "\n".join(values)


# --- every document, every format, every language ------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("document", list(DOCUMENTS))
def test_no_code_nested_bracket_or_doubled_number(made: dict[str, Any], document: str,
                                                  fmt: str, lang: str) -> None:
    _assert_clean(_shown(made, document, fmt, lang), f"{document}.{lang}.{fmt}")


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("document", list(DOCUMENTS))
def test_no_code_in_word(made: dict[str, Any], document: str, lang: str) -> None:
    _assert_clean(_shown(made, document, "docx", lang), f"{document}.{lang}.docx")


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("document", list(DOCUMENTS))
def test_no_code_in_pdf(made: dict[str, Any], document: str, lang: str) -> None:
    system_browser()
    require_cjk_font()
    _assert_clean(_shown(made, document, "pdf", lang), f"{document}.{lang}.pdf")


def test_the_checks_would_catch_what_they_look_for() -> None:
    """The patterns find what they are for, so a clean result means something."""
    for bad in ("动议 M1", "形成决议 R1", "表决V1的赞成票数", "删除发言 S3", "补记请假 L2",
                "签到 P3", "修正 E1", "事项 A1", "更正 G1", "(resolution R2)"):
        assert CODE.search(bad), bad
    for fine in ("2022-06-14", "第 2 次", "19:35", "yiguan 0.0.0", "MP3"):
        assert not CODE.search(fine), fine
    assert NESTED.search("王丽娟（幸福里社区（社区书记））")
    assert not NESTED.search("王丽娟（幸福里社区，社区书记）（19:30 到会）")
    assert DOUBLED.search("1. 决议一") and DOUBLED.search("1. Resolution 1")
    assert not DOUBLED.search("1. 楼道照明") and not DOUBLED.search("议题一：楼道照明")
    assert _html_text("<ol><li>决议一 x</li></ol>").strip() == "1. 决议一 x"


# --- what the words say ----------------------------------------------------------------------

def test_the_minutes_name_records_as_people_do(made: dict[str, Any]) -> None:
    zh = _shown(made, "minutes", "md", "zh")
    for words in ("### 动议一", "**通过**，形成决议一", "**未通过**", "**撤回**", "**搁置**",
                  "更换三单元声控灯（决议一）", "张贴座椅使用须知（会后补充，",
                  "动议一表决的计票人：张敏 → 张敏、刘晓菊",
                  "动议二表决的赞成票数：2 → 3",
                  "刘艳的发言（19:35）的立场：赞成 → 中立",
                  "议题一中刘艳的第 2 次发言的发言要点：灯坏了要尽快修。 → 灯坏了要在五日内修好。",
                  "删除议题一中王建国的发言，原为：同意尽快修。",
                  "刘艳对动议一的第 2 次修正的修正后文字：",
                  "事项“更换三单元声控灯”的完成时限：2022年6月21日 → 2022年6月24日",
                  "议题二的名称：小游园座椅 → 小游园座椅与健身器材",
                  "陈淑珍请假的请假原因：出差（外地） → 外地出差",
                  "补记赵志强请假：身体不适", "删除赵志强请假，原为：身体不适",
                  "王丽娟（幸福里社区，社区书记）",
                  "| 主持人 | 王丽娟 |  |", "| 记录人 | 张敏 |  |", "**参会人员签字**"):
        assert words in zh, words
    assert "| 张敏 |  | " not in zh.split("**参会人员签字**")[1]  # guests sign the 签到表
    en = _shown(made, "minutes", "md", "en")
    for words in ("### Motion 1", "**adopted**, resolution 1", "the vote on motion 1, tellers:",
                  "the vote on motion 2, yes: 2 → 3",
                  "刘艳's speech at 19:35, stance: for → neutral",
                  "刘艳's speech no. 2 on item 1, text:",
                  "struck 王建国's speech on item 1, which read: 同意尽快修。",
                  "王丽娟 (幸福里社区, 社区书记)"):
        assert words in en, words


def test_the_notice_tells_what_was_not_adopted(made: dict[str, Any]) -> None:
    zh = _shown(made, "notice", "md", "zh")
    indent = "\u3000\u3000"  # 首行缩进 2 字符, as every body paragraph
    assert (indent + "**决议一** 物业五日内修好三单元和四单元声控灯。"
            "（赞成 4 票，反对 1 票，弃权 0 票）") in zh
    not_adopted = zh[zh.index("**未通过事项**"):zh.index("- **公示期**")]
    assert [line.removeprefix(indent) for line in not_adopted.split("\n\n")[1:4]] == [
        "楼道安装感应灯（试行）。（赞成 3 票，反对 2 票，弃权 1 票，未获通过）",
        "暂缓讨论照明费用。（撤回）", "小游园设置健身器材。（搁置）"]
    en = _shown(made, "notice", "md", "en")
    assert "(3 for, 2 against, 1 abstaining: not adopted)" in en
    results = _shown(made, "results", "md", "zh")
    assert "感应灯" not in results and "健身器材" not in results and "暂缓讨论" not in results


# --- the projector ---------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("stage", ["vote", "motion", "closed"])
def test_the_projector_shows_no_code(made: dict[str, Any], stage: str, lang: str) -> None:
    data = DataFolder(made["folder"])
    if stage == "closed":
        meeting = data.load_meeting(MEETING)
    else:
        meeting = fileformat.load_meeting(made["stages"][stage], f"{MEETING}.toml")
    state = projector.public_state(MEETING, meeting, floors.read_floor(data, MEETING),
                                   dt.datetime(2022, 6, 14, 19, 56), council="幸福里社区居民议事会",
                                   lang=lang)
    assert state["stage"] == ("closed" if stage == "closed" else "open")
    if stage == "motion":
        assert state["motion"] is not None and "name" not in state["motion"]  # words only
    if stage == "vote":
        assert state["vote"] is not None
    text = json.dumps(state, ensure_ascii=False)
    console = Console(record=True, width=120, height=40)
    console.print(screen_view(state))
    for shown, where in ((text, "state"), (console.export_text(), "terminal")):
        _assert_clean(shown, f"projector {stage} {lang} {where}")


def test_text_inside_our_brackets_keeps_none_of_its_own() -> None:
    """An organisation, a title or a reason typed with brackets reads with the clause
    comma inside ours: 王丽娟（幸福里社区，社区书记）."""
    from yiguan.render.facts import unbracketed

    assert unbracketed("幸福里社区（社区书记）", "zh") == "幸福里社区，社区书记"
    assert unbracketed("幸福里社区(社区书记)", "en") == "幸福里社区, 社区书记"
    assert unbracketed("（社区书记）", "zh") == "社区书记"
    assert unbracketed("兰州爱颐社工", "zh") == "兰州爱颐社工"
    assert unbracketed("（）", "zh") == ""


def test_a_guest_whose_organisation_is_brackets_alone_is_named_alone() -> None:
    """「（）」 typed as an organisation prints nothing after the name, in the meeting
    notice as in the minutes: no empty brackets."""
    import datetime as dt

    from yiguan.record.model import Attendee, Meeting
    from yiguan.render.paper import announce_document
    from yiguan.render.to_markdown import render as markdown

    meeting = Meeting(title="四月议事会", date=dt.date(2022, 4, 12), status="planned")
    meeting.attendee.append(Attendee(id="P1", name="王丽娟", role="guest", org="（）",
                                     arrived="19:00"))
    text = markdown(announce_document(meeting, council="幸福里社区居民议事会", lang="zh"))
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    assert "王丽娟" in text and "（）" not in text

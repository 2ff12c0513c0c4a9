"""The minutes (会议记录): golden files, safe Markdown, determinism, privacy and the CLI.

Every `tests/golden/<name>.toml` must render to `<name>.minutes.zh.md` and `.en.md` byte
for byte; a golden changes only on purpose, by rerunning with YIGUAN_UPDATE_GOLDEN=1 and
reading `git diff tests/golden/` (see tests/golden/README.md). Hostile text is checked
by parsing the output with markdown-it (CommonMark plus GFM tables and strikethrough) and
by hypothesis: whatever the file says, it reads back as itself and never adds structure.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token
from typer.testing import CliRunner

from conftest import check_golden, invoke, snapshot
from yiguan import __version__
from yiguan.cli import make_app
from yiguan.meeting.check import check_file
from yiguan.record import fileformat
from yiguan.record.model import Meeting, Speech
from yiguan.render import markdown as md
from yiguan.render.minutes import render_minutes
from yiguan.text.locale_en import MESSAGES as EN
from yiguan.text.locale_zh import MESSAGES as ZH

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
BUNDLED = ROOT / "meetings"
GOLDEN_VERSION = "0.0.0-golden"  # so that a release does not rewrite every golden
INPUTS = sorted(p.stem for p in GOLDEN.glob("*.toml"))
COUNCILS = {
    "procedure": "春晖社区居民议事会",
    "hostile": "测试议事会 | <b>粗</b> [点](http://evil.example) # 号",
}
DEFAULT_COUNCIL = "幸福里社区居民议事会"

# Phone numbers and private notes that the golden scenarios put on the roster.
PRIVATE = ["13800138000", "腿脚不便", "开会请留一楼座位", "+86 139 0000 1111", "139 0000",
           "私密备注", "住 3 栋 502"]

runner = CliRunner()


def load(path: Path) -> Meeting:
    return fileformat.load_meeting(path.read_bytes(), path.name)


def scenarios() -> ModuleType:
    """tests/golden/make_inputs.py, loaded by path: tests/ is not a package."""
    spec = importlib.util.spec_from_file_location("golden_inputs", GOLDEN / "make_inputs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- goldens -------------------------------------------------------------------------------

def test_golden_inputs_cover_the_cases() -> None:
    assert {"seed", "draft", "procedure", "hostile", "noquorum", "planned",
            "corrected"} <= set(INPUTS)


def test_seed_golden_is_the_bundled_meeting() -> None:
    assert (GOLDEN / "seed.toml").read_bytes() == (BUNDLED / "2022-03-08.toml").read_bytes(), \
        "the bundled meeting changed: run python tests/golden/make_inputs.py, then update goldens"


@pytest.mark.parametrize("name", INPUTS)
def test_golden_inputs_pass_check(name: str) -> None:
    problems = check_file(GOLDEN / f"{name}.toml")
    assert not problems, [p.render() for p in problems]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", INPUTS)
def test_minutes_golden(name: str, lang: str) -> None:
    text = render_minutes(load(GOLDEN / f"{name}.toml"), source=f"{name}.toml",
                          council=COUNCILS.get(name, DEFAULT_COUNCIL), lang=lang,
                          version=GOLDEN_VERSION)
    check_golden(GOLDEN / f"{name}.minutes.{lang}.md", text)


def test_language_comes_from_the_argument_not_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    meeting = load(GOLDEN / "procedure.toml")
    monkeypatch.setenv("YIGUAN_LANG", "zh")
    english = render_minutes(meeting, source="procedure.toml", lang="en")
    monkeypatch.setenv("YIGUAN_LANG", "en")
    chinese = render_minutes(meeting, source="procedure.toml", lang="zh")
    assert english == render_minutes(meeting, source="procedure.toml", lang="en")
    assert not re.search(r"[\u4e00-\u9fff]", _labels_only(english))
    assert "法定人数" in chinese and "表决结果" in chinese and "quorum" not in chinese


def _labels_only(text: str) -> str:
    """The English minutes without the names and texts that come from the file."""
    return " ".join(re.findall(r"\*\*([^*]+)\*\*", text))


# --- contents ------------------------------------------------------------------------------

def test_seed_minutes_carry_the_fields_in_order() -> None:
    text = render_minutes(load(GOLDEN / "seed.toml"), source="2022-03-08.toml",
                          council=DEFAULT_COUNCIL)
    order = ["会议名称", "时间", "地点", "主持人", "王丽娟（幸福里社区，社区书记）", "记录人",
             "应到 18 人，实到 15 人", "出席率 83.3%", "出席人员", "刘晓菊、刘艳、王建国",
             "缺席人员", "迟到", "早退", "列席人员", "法定人数", "## 议程", "议题一",
             "提出人", "发言要点",
             "动议人", "附议人", "表决方式", "举手表决",
             "赞成 14 票（占到会有表决权成员 15 人的 93.3%），反对 0 票（0.0%），弃权 1 票（6.7%）",
             "表决规则", "赞成票须超过到会有表决权成员（除去回避）的半数（本次至少 8 票）",
             "按到会有表决权成员 15 人计，至少需赞成 8 票；实得赞成 14 票，通过",
             "**通过**，形成决议一", "## 决议事项", "**决议一** 社区活动场地使用规则",
             "## 责任分工", "| 事项 | 责任人 | 完成时限 | 状态 |", "散会时间", "20:50",
             "| 身份 | 姓名 | 签字 |", "| 主持人 | 王丽娟 |  |", "| 记录人 | 张敏 |  |",
             "**参会人员签字**", "| 姓名 | 签字 | 姓名 | 签字 |", "| 刘晓菊 |  | 刘艳 |  |",
             "幸福里社区居民议事会（盖章）", "2022年3月8日",
             f"yiguan {__version__}", "2022-03-08.toml"]
    position = 0
    for word in order:  # each one after the one before
        found = text.find(word, position)
        assert found >= 0, f"{word} missing or out of order"
        position = found + len(word)
    assert text.index("### 动议二") < text.index("**修正**") < text.index("### 动议三")
    assert "杨树林、孙德明、朱海燕" in text
    assert "19:30—20:50" in text
    assert "草稿" not in text
    # the rule in words and whole votes: never its code, never a fraction
    assert "`" not in text and "present" not in text and "7.5" not in text


def test_procedure_minutes_show_every_kind_of_step() -> None:
    text = render_minutes(load(GOLDEN / "procedure.toml"), source="procedure.toml")
    for expected in ["修正前：电梯费用按楼层递增分摊，一楼不分摊。", "第 1 次表决", "第 2 次表决",
                     "19:25 重议，本次表决结果不再有效", "回避**：区志坚", "未表决 1 人",
                     "**撤回**", "**搁置**",
                     "赞成票须达到到会有表决权成员（除去回避）的三分之二（本次至少",
                     "赞成票须超过赞成与反对票合计的半数（本次至少",
                     "翟海涛（19:50 离场）", "尉迟敏（19:35 离场，19:52 返回）",
                     "已完成：已在各楼栋张贴通知", "（动议二）", "实到成员 7 人，应到 10 人"]:
        assert expected in text, expected
    assert text.count("**通过**，形成决议") == 3
    # the speech that came from stdin keeps its line breaks as hard breaks
    assert "我反对按楼层递增：\\\n   一楼也有老人" in text


def test_open_meeting_is_marked_draft() -> None:
    zh = render_minutes(load(GOLDEN / "draft.toml"), source="draft.toml", lang="zh")
    en = render_minutes(load(GOLDEN / "draft.toml"), source="draft.toml", lang="en")
    assert zh.startswith("# 会议记录（草稿）\n\n> **草稿**")
    assert en.startswith("# Minutes (draft)\n\n> **Draft**")
    assert "签字）：" not in zh  # a draft is not for signature
    assert "**待表决**" in zh


def test_meeting_without_quorum_says_so_plainly() -> None:
    text = render_minutes(load(GOLDEN / "noquorum.toml"), source="noquorum.toml")
    assert "> **未达到法定人数**：本次会议到会成员最多 2 人，法定人数至少 3 人" in text
    assert "未达到法定人数，未形成决议。" in text
    english = render_minutes(load(GOLDEN / "noquorum.toml"), source="noquorum.toml", lang="en")
    assert "**No quorum**" in english


def test_quorum_lost_and_regained_is_recorded() -> None:
    text = render_minutes(load(GOLDEN / "procedure.toml"), source="procedure.toml")
    assert "19:50 起到会成员 5 人，法定人数至少 6 人：未达到，差 1 人" in text
    assert "19:52 起到会成员 6 人，法定人数至少 6 人：已达到" in text


def test_renderers_never_read_the_clock() -> None:
    for name in ("minutes.py", "notice.py", "facts.py", "markdown.py"):
        source = (ROOT / "src" / "yiguan" / "render" / name).read_text(encoding="utf-8")
        assert not re.search(r"\.now\(|\.today\(|time\.time|import (typer|rich|click)", source)


def test_same_file_renders_byte_identical_twice(bundled: Path) -> None:
    first = invoke(bundled, "minutes")
    second = invoke(bundled, "minutes")
    assert first.exit_code == 0, first.output
    assert first.stdout_bytes == second.stdout_bytes
    fresh = render_minutes(load(bundled / "2022-03-08.toml"), source="2022-03-08.toml",
                           council=DEFAULT_COUNCIL)
    assert first.stdout_bytes == fresh.encode("utf-8")


# --- safe Markdown ---------------------------------------------------------------------------

def parser() -> MarkdownIt:
    """CommonMark with GFM tables and strikethrough: what GitHub and Gitee add that matters."""
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def text_of(inline: Token) -> str:
    """What a reader sees of an inline token: its text with the escapes resolved."""
    return "".join(c.content for c in inline.children or [] if c.type in ("text", "text_special"))


def test_hostile_text_cannot_change_the_structure() -> None:
    meeting = load(GOLDEN / "hostile.toml")
    text = render_minutes(meeting, source="hostile.toml", council=COUNCILS["hostile"])
    tokens = parser().parse(text)
    kinds = {tok.type for tok in tokens} | {c.type for tok in tokens for c in tok.children or []}
    for forbidden in ("html_block", "link_open", "image", "code_block", "fence", "em_open",
                      "s_open", "blockquote_open", "hr"):
        if forbidden == "hr":
            continue  # the footer's rule is ours; counted below
        assert forbidden not in kinds, forbidden
    inline_html = [c.content for tok in tokens for c in tok.children or []
                   if c.type == "html_inline"]
    assert set(inline_html) <= {"<br>"}  # the one tag the renderer writes itself
    assert sum(tok.type == "hr" for tok in tokens) == 1
    headings = [text_of(tokens[i + 1]) for i, tok in enumerate(tokens)
                if tok.type == "heading_open"]
    assert headings == [
        f"{COUNCILS['hostile']}会议记录", "议程", "议题一：# 不是标题 | 也不是表格", "发言要点",
        "动议一", "决议事项", "责任分工"]
    # the actions, then the signatures: the host and the recorder, the members present
    tables = [i for i, tok in enumerate(tokens) if tok.type == "table_open"]
    assert len(tables) == 3
    actions = tokens[tables[0]:tables[1]]
    rows = [tok for tok in actions if tok.type == "tr_open"]
    cells = [tok for tok in actions if tok.type in ("td_open", "th_open")]
    assert len(rows) == 2 and len(cells) == 8
    body = [text_of(actions[i + 1]) for i, tok in enumerate(actions) if tok.type == "td_open"]
    assert body == ["清理 | 表格 第二行 <br> 标签（决议一）", "李_明|二", "2023年1月15日",
                    "未完成"]
    signers = [text_of(tokens[i + 1]) for i, tok in enumerate(tokens)
               if tok.type == "td_open" and i > tables[1] and tokens[i + 1].type == "inline"
               and text_of(tokens[i + 1])]
    assert signers == ["主持人", "王*芳*", "记录人", "# 标题", "李_明|二",
                       "<script>alert(1)</script>", "[点我](http://evil.example)", "`代码`"]
    code = [c.content for tok in tokens for c in tok.children or [] if c.type == "code_inline"]
    assert code == []
    html = parser().render(text)
    for bad in ("<script", "<a ", "<img", "<b>", "<i>", "<h4", "<pre"):
        assert bad not in html, bad
    # what people typed is still there, as text
    plain = "".join(c.content for tok in tokens for c in tok.children or [] if c.type == "text")
    for typed in ("<script>alert(1)</script>", "[点我](http://evil.example)", "王*芳*",
                  "李_明|二", "`代码`", "| 列1 | 列2 |", "javascript:alert(1)", "$x^2$", "~~删~~"):
        assert typed in plain, typed


def test_a_speech_that_looks_like_a_table_stays_one_list_item() -> None:
    """#19 §6: `费用|分摊` over a line `:--` was a GFM table (the escaped pipe splits no
    cell, so header and delimiter agree on one column), and the table swallowed the list
    item of the speech, in the file and in `--preview`."""
    meeting = load(GOLDEN / "seed.toml")
    plain = parser().parse(render_minutes(meeting, source="x.toml"))
    meeting.speech[0].text = "费用|分摊\n:--"
    meeting.speech[1].text = "分摊\n--:|:-:\n-:"
    tokens = parser().parse(render_minutes(meeting, source="x.toml"))
    assert [tok.type for tok in tokens] == [tok.type for tok in plain]
    said = ["".join("\n" if c.type == "hardbreak" else c.content for c in tok.children or [])
            for tok in tokens if tok.type == "inline"]
    assert any("费用|分摊\n:--" in line for line in said), said
    assert any("分摊\n--:|:-:\n-:" in line for line in said), said


def test_bare_urls_are_not_autolink_triggers() -> None:
    text = render_minutes(load(GOLDEN / "hostile.toml"), source="hostile.toml")
    assert "http://" not in text and "www." not in text
    assert "http\\://evil.example" in text and "www\\.evil.example" in text


def test_invisible_and_bidi_characters_are_neutralised() -> None:
    meeting = load(GOLDEN / "seed.toml")
    # Past the loader (which refuses bidi controls) on purpose: the renderer must hold too.
    meeting.title = "正常\u202e标题\u2066"
    meeting.speech.append(Speech(id="S99", speaker="刘艳", at="19:59", item=1,
                                 text="看\u200b这\u200d里\ufeff\x07 \u2028# 新行"))
    text = render_minutes(meeting, source="x.toml")
    for char in "\u202e\u2066\u200b\u200d\ufeff\x07\u2028":
        assert char not in text
    assert "正常\ufffd标题\ufffd" in text
    assert "看这里\ufffd\\\n   \\# 新行" in text


def test_lines_inside_a_speech_stay_inside_its_list_item() -> None:
    meeting = load(GOLDEN / "seed.toml")
    meeting.speech = meeting.speech[:1]
    meeting.speech[0].text = "甲\n\n\n    乙\r\n- 丙\r丁"
    text = render_minutes(meeting, source="x.toml")
    tokens = parser().parse(text)
    start = next(i for i, tok in enumerate(tokens)
                 if tok.type == "inline" and tok.content.startswith("19:36"))
    item = tokens[start]
    assert [c.type for c in item.children or []].count("hardbreak") == 3
    assert "甲\\\n   乙\\\n   \\- 丙\\\n   丁" in text


MARKDOWN_CHARS = list("\\`*_[]<>&|~$@#-+=.!():/ \n\t\r0123456789wWhtpsa中文") + [
    "\u200b", "\u202e", "\x00", "\u2028", "\x85", "\u00a0", "www.", "http://", "&amp;", "<br>",
    "1. ", "- ", "---", "```", "    "]
free_text = st.lists(st.one_of(st.sampled_from(MARKDOWN_CHARS), st.characters(codec="utf-8")),
                     max_size=30).map("".join)
# What opens a block when it starts a line: each line of these texts starts with one.
LINE_STARTS = ["", "- ", "+ ", "* ", "-", "---", "- - -", "===", "= x", "1. ", "2) ", "# ",
               "> ", "    ", "\t", "```", "~~~", "| a | b |", "|---|", "<div>", "<!--",
               "[x]: /u", "* * *", "___", "10. "]
lines_text = st.lists(st.tuples(st.sampled_from(LINE_STARTS), free_text),
                      min_size=1, max_size=5).map(lambda ls: "\n".join(a + b for a, b in ls))
hostile_text = st.one_of(free_text, lines_text)


@settings(max_examples=300, deadline=None)
@given(hostile_text)
def test_inline_text_always_reads_back_as_itself(text: str) -> None:
    expected = " ".join(md.lines_of(text))
    tokens = parser().parse("前缀 " + md.inline(text))
    assert [t.type for t in tokens] in (["paragraph_open", "inline", "paragraph_close"],)
    children = tokens[1].children or []
    assert {c.type for c in children} <= {"text", "text_special"}
    assert "".join(c.content for c in children) == ("前缀 " + expected).rstrip()


@settings(max_examples=300, deadline=None)
@given(hostile_text)
@example("a\n- b")
@example("a\n---")
@example("a\n===")
@example("a\n1. b")
def test_block_text_stays_one_list_item(text: str) -> None:
    lines = md.lines_of(text)
    tokens = parser().parse("1. 前缀：" + md.block(text, 3) + "\n")
    types = [t.type for t in tokens]
    assert types == ["ordered_list_open", "list_item_open", "paragraph_open", "inline",
                     "paragraph_close", "list_item_close", "ordered_list_close"]
    children = tokens[3].children or []
    assert {c.type for c in children} <= {"text", "text_special", "hardbreak"}
    read = "".join("\n" if c.type == "hardbreak" else c.content for c in children)
    assert read == "前缀：" + "\n".join(lines)


@settings(max_examples=300, deadline=None)
@given(hostile_text)
def test_cell_text_stays_one_cell(text: str) -> None:
    tokens = parser().parse("| 甲 | 乙 |\n| --- | --- |\n| " + md.cell(text) + " | 末 |\n")
    assert sum(t.type == "td_open" for t in tokens) == 2
    assert sum(t.type == "tr_open" for t in tokens) == 2
    cells = [tokens[i + 1] for i, t in enumerate(tokens) if t.type == "td_open"]
    assert cells[1].content == "末"
    children = cells[0].children or []
    assert {c.type for c in children} <= {"text", "text_special", "html_inline"}
    assert {c.content for c in children if c.type == "html_inline"} <= {"<br>"}
    read = "".join("\n" if c.type == "html_inline" else c.content for c in children)
    assert read.replace(" \n", "\n") == "\n".join(md.lines_of(text))


# --- privacy ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The procedure and hostile scenarios replayed through the CLI: their private.toml
    files hold phone numbers and private notes of members who came and who did not."""
    module = scenarios()
    made = {}
    for name in ("procedure", "hostile"):
        folder = tmp_path_factory.mktemp(name) / "meetings"
        module.replay(folder, module.SCENARIOS[name])
        made[name] = folder
    return made


@pytest.mark.parametrize("name", ["procedure", "hostile"])
def test_no_phone_or_private_note_in_any_document(replayed: dict[str, Path], name: str,
                                                  tmp_path: Path) -> None:
    folder = replayed[name]
    private = (folder / "private.toml").read_text(encoding="utf-8")
    assert "phone" in private and "note" in private  # the roster really has them
    council = (folder / "council.toml").read_text(encoding="utf-8")
    assert not any(secret in council for secret in PRIVATE)  # and git never sees them
    outputs = []
    for args in (["minutes"], ["minutes", "--lang", "en"], ["notice"],
                 ["notice", "--lang", "en"], ["minutes", "--preview"]):
        result = invoke(folder, *args)
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
    written = tmp_path / "out.md"
    assert invoke(folder, "minutes", "-o", str(written)).exit_code == 0
    outputs.append(written.read_text(encoding="utf-8"))
    for output in outputs:
        for secret in PRIVATE:
            assert secret not in output, secret


# --- the command ----------------------------------------------------------------------------

def test_minutes_prints_markdown(bundled: Path) -> None:
    result = invoke(bundled, "minutes")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# 幸福里社区居民议事会会议记录\n")
    footer = f"本会议记录由 yiguan {__version__} 根据 2022-03-08.toml 生成。\n"
    assert result.output.endswith(footer)


def test_minutes_language_from_flag_or_environment(bundled: Path) -> None:
    by_flag = invoke(bundled, "minutes", "--lang", "en")
    by_env = invoke(bundled, "minutes", env={"YIGUAN_LANG": "en"})
    assert by_flag.exit_code == 0, by_flag.output
    assert by_flag.output == by_env.output
    assert by_flag.output.startswith("# Minutes: 幸福里社区居民议事会\n")
    assert invoke(bundled, "minutes", "--lang", "EN").output == by_flag.output
    zh_over_env = invoke(bundled, "minutes", "--lang", "zh", env={"YIGUAN_LANG": "en"})
    assert zh_over_env.output.startswith("# 幸福里社区居民议事会会议记录")


def test_minutes_to_a_file(bundled: Path, tmp_path: Path) -> None:
    target = tmp_path / "纪要.md"
    result = invoke(bundled, "minutes", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.output == f"已写入 {target}\n"
    assert target.read_bytes() == invoke(bundled, "minutes").stdout_bytes
    assert b"\r" not in target.read_bytes()
    # writing again replaces the file (atomically), it does not append
    assert invoke(bundled, "minutes", "-o", str(target), "--lang", "en").exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("# Minutes")


def test_minutes_preview_lays_out_the_markdown(bundled: Path) -> None:
    result = invoke(bundled, "minutes", "--preview")
    assert result.exit_code == 0, result.output
    assert "幸福里社区居民议事会会议记录" in result.output
    assert "**会议名称**" not in result.output and "会议名称" in result.output


def test_minutes_is_read_only(bundled: Path) -> None:
    before = snapshot(bundled)
    for args in (["minutes"], ["minutes", "--preview"], ["minutes", "-m", "2022-03-08"]):
        assert invoke(bundled, *args).exit_code == 0
    assert snapshot(bundled) == before


def test_minutes_takes_the_open_meeting_then_the_newest(bundled: Path) -> None:
    shutil.copyfile(GOLDEN / "planned.toml", bundled / "2022-05-10.toml")
    assert "五月议事会" in invoke(bundled, "minutes").output  # newest
    shutil.copyfile(GOLDEN / "draft.toml", bundled / "2022-04-12.toml")
    result = invoke(bundled, "minutes")
    assert result.exit_code == 0, result.output
    assert "四月议事会" in result.output and "（草稿）" in result.output  # the open one
    assert "幸而有你" in invoke(bundled, "minutes", "-m", "2022-03-08").output


def test_minutes_without_council_file_still_render(bundled: Path) -> None:
    (bundled / "council.toml").unlink()
    result = invoke(bundled, "minutes")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# 会议记录\n")


@pytest.mark.parametrize("args, message", [
    (["minutes", "-m", "2099-01-01"], "找不到会议 2099-01-01"),
    (["minutes", "-m", "../../etc/passwd"], "会议编号「../../etc/passwd」无效"),
    (["minutes", "-o", "{data}/2022-03-08.toml"], "不能写入生成的文件"),
    (["minutes", "-o", "{data}/council.toml"], "不能写入生成的文件"),
    (["minutes", "-o", "{data}/2030-01-01.toml"], "不能写入生成的文件"),
    (["minutes", "-o", "{data}/no/such/folder/x.md"], "无法写入"),
])
def test_failing_minutes_say_one_line_and_change_nothing(bundled: Path, args: list[str],
                                                         message: str) -> None:
    before = snapshot(bundled)
    result = invoke(bundled, *[a.replace("{data}", str(bundled)) for a in args])
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert snapshot(bundled) == before


def test_minutes_refuse_a_file_that_fails_check(bundled: Path) -> None:
    path = bundled / "2022-03-08.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("yes = 14", "yes = 4", 1),
                    encoding="utf-8")
    before = snapshot(bundled)
    result = invoke(bundled, "minutes")
    assert result.exit_code == 1
    assert "yiguan check" in result.output and "表决 V1" in result.output
    assert snapshot(bundled) == before


def test_usage_errors_exit_2(bundled: Path, tmp_path: Path) -> None:
    assert invoke(bundled, "minutes", "--lang", "fr").exit_code == 2
    assert invoke(bundled, "minutes", "-o", str(tmp_path)).exit_code == 2  # a folder


def test_help_lists_the_documents() -> None:
    result = runner.invoke(make_app(), ["--help"], env={"YIGUAN_LANG": ""})
    assert result.exit_code == 0
    assert "minutes" in result.output and "notice" in result.output
    minutes_help = runner.invoke(make_app(["minutes", "--help"]), ["minutes", "--help"],
                                 env={"YIGUAN_LANG": ""})
    for option in ("--meeting", "--output", "--lang", "--preview"):
        assert option in minutes_help.output


# --- catalogues -------------------------------------------------------------------------

def test_catalogues_have_the_same_keys_and_placeholders() -> None:
    import string

    def fields(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    assert set(ZH) == set(EN)
    assert {k for k in ZH if fields(ZH[k]) != fields(EN[k])} == set()
    mine = [k for k in ZH if k.split(".")[0] in ("minutes", "notice", "documents")]
    assert len(mine) > 100


# --- the public edition (the site's): people in the 更正说明 -----------------------------------

def test_the_public_edition_names_nobody_it_may_not_in_the_corrections(run, opened) -> None:
    """Reasons typed after the close name an excused member and a resident; a struck
    sign-in names an absent member; a resident owns an action: the public edition says
    一名成员 and 居民 for them, the signed minutes keep every name."""
    from conftest import MEETING
    from yiguan.render.minutes import minutes_document
    from yiguan.render.to_markdown import render

    run.ok("sign", "孙大妈", "--guest", "--at", "19:33")
    run.ok("speak", "孙大妈", "楼道里的纸箱该清走了", "--at", "19:35")
    run.ok("action", "居民自行清理", "--owner", "孙大妈", "--at", "19:40")
    run.ok("close", "--at", "20:00")
    absent = next(name for name in run.meeting().members
                  if name not in run.meeting().members_attended())
    run.ok("excuse", absent, "--reason", "照顾病人", "--why", f"会后补交假条{absent}",
           "-m", MEETING)
    run.ok("strike", "S1", "--why", "孙大妈要求删除", "-m", MEETING)
    public = render(minutes_document(run.meeting(), source="x.toml", council="议事会",
                                     public=True)).decode("utf-8")
    signed = render(minutes_document(run.meeting(), source="x.toml",
                                     council="议事会")).decode("utf-8")
    assert "孙大妈" not in public and absent not in public and "照顾病人" not in public
    assert "会后补交假条一名成员" in public and "居民要求删除" in public
    assert "孙大妈" in signed and f"会后补交假条{absent}" in signed

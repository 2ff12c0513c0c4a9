"""Printed documents: one document model, four formats (Markdown, HTML, Word, PDF).

Each document a meeting gives (DOCUMENTS) is rendered from the golden inputs: the HTML
text is compared with `tests/golden/<input>.<document>.<lang>.html` byte for byte
(updated only on purpose, as the Markdown goldens: tests/golden/README.md); the Word file
is read back with python-docx (its text, the East Asian font of every run, its tables,
A4, the page-number fields); the PDF is read back with poppler (`pdftotext` finds the
Chinese, `pdfinfo` says A4), which needs a browser and poppler: those tests skip where
they are missing and fail in CI. The command line: `--format`, the suffix of `-o`, Word
and PDF refused on a terminal, no browser → exit 1 suggesting docx or html.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn

from conftest import (
    check_golden,
    invoke,
    require_cjk_font,
    snapshot,
    system_browser,
    system_tool,
)
from yiguan.record import fileformat
from yiguan.record.model import Meeting
from yiguan.render.document import Document, Paragraph
from yiguan.render.formats import render_document
from yiguan.render.minutes import minutes_document
from yiguan.render.notice import notice_document, results_document
from yiguan.render.paper import announce_document, sign_sheet_document

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
VERSION = "0.0.0-golden"
INPUTS = sorted(p.stem for p in GOLDEN.glob("*.toml"))
COUNCILS = {"procedure": "春晖社区居民议事会",
            "hostile": "测试议事会 | <b>粗</b> [点](http://evil.example) # 号"}
DEFAULT_COUNCIL = "幸福里社区居民议事会"


def load(name: str) -> Meeting:
    path = GOLDEN / f"{name}.toml"
    return fileformat.load_meeting(path.read_bytes(), path.name)


Builder = Callable[[Meeting, str, str], Document]  # meeting, input name, language


def _minutes(meeting: Meeting, name: str, lang: str) -> Document:
    return minutes_document(meeting, source=f"{name}.toml",
                            council=COUNCILS.get(name, DEFAULT_COUNCIL), lang=lang,
                            version=VERSION)


# what `council set` gives the notice: the issuer under whose name it is sealed, where it
# is posted, the public phone
PUBLIC = {"org": "幸福里社区居民委员会", "place": "社区居务公开栏", "phone": "0931-8888888"}


def _notice(meeting: Meeting, name: str, lang: str) -> Document:
    return notice_document(meeting, council=COUNCILS.get(name, DEFAULT_COUNCIL),
                           source=f"{name}.toml", lang=lang, version=VERSION, **PUBLIC)


def _results(meeting: Meeting, name: str, lang: str) -> Document:
    return results_document(meeting, council=COUNCILS.get(name, DEFAULT_COUNCIL),
                            source=f"{name}.toml", lang=lang, version=VERSION, **PUBLIC)


def _announce(meeting: Meeting, name: str, lang: str) -> Document:
    return announce_document(meeting, council=COUNCILS.get(name, DEFAULT_COUNCIL), lang=lang,
                             org=PUBLIC["org"], contact=PUBLIC["phone"])


def _sign_sheet(meeting: Meeting, name: str, lang: str) -> Document:
    return sign_sheet_document(meeting, council=COUNCILS.get(name, DEFAULT_COUNCIL), lang=lang)


DOCUMENTS: dict[str, Builder] = {"minutes": _minutes, "notice": _notice, "results": _results,
                                 "announce": _announce, "sign-sheet": _sign_sheet}
# minutes and notice have Markdown goldens of their own (test_minutes.py, test_notice.py)
NEW_IN_MARKDOWN = ("results", "announce", "sign-sheet")


def build(document: str, name: str, lang: str = "zh") -> Document:
    return DOCUMENTS[document](load(name), name, lang)


# --- HTML ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", INPUTS)
@pytest.mark.parametrize("document", sorted(DOCUMENTS))
def test_html_golden(document: str, name: str) -> None:
    check_golden(GOLDEN / f"{name}.{document}.zh.html",
                 render_document(build(document, name), "html"))


@pytest.mark.parametrize("document", sorted(DOCUMENTS))
def test_html_golden_in_english(document: str) -> None:
    check_golden(GOLDEN / f"seed.{document}.en.html",
                 render_document(build(document, "seed", "en"), "html"))


@pytest.mark.parametrize("name", INPUTS)
@pytest.mark.parametrize("document", NEW_IN_MARKDOWN)
def test_markdown_golden(document: str, name: str) -> None:
    check_golden(GOLDEN / f"{name}.{document}.zh.md",
                 render_document(build(document, name), "md"))


@pytest.mark.parametrize("document", NEW_IN_MARKDOWN)
def test_file_text_adds_no_markdown_structure(document: str) -> None:
    from markdown_it import MarkdownIt

    text = render_document(build(document, "hostile"), "md").decode("utf-8")
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    inline = [child for tok in tokens for child in tok.children or []]
    kinds = {child.type for child in inline}
    for kind in ("link_open", "image", "code_inline", "em_open"):
        assert kind not in kinds, kind
    # the one tag the renderer writes itself: a line break inside a table cell
    assert {c.content for c in inline if c.type == "html_inline"} <= {"<br>"}
    assert not any(tok.type == "html_block" for tok in tokens)
    headings = [tokens[i + 1].content for i, tok in enumerate(tokens)
                if tok.type == "heading_open"]
    assert all(not h.startswith("不是标题") for h in headings)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += attrs

    def handle_data(self, data: str) -> None:
        self.text.append(data)


ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "b",
                "ul", "ol", "li", "br", "span", "div", "table", "colgroup", "col", "thead",
                "tbody", "tr", "th", "td"}


@pytest.mark.parametrize("document", sorted(DOCUMENTS))
def test_html_is_self_contained_print_ready_and_file_text_adds_no_markup(document: str) -> None:
    page = render_document(build(document, "hostile"), "html").decode("utf-8")
    assert page.startswith('<!DOCTYPE html>\n<html lang="zh-CN">')
    assert "@page { size: A4; margin:" in page
    assert "break-inside: avoid" in page and "Noto Serif CJK SC" in page and "仿宋" in page
    parsed = _Tags()
    parsed.feed(page)
    assert set(parsed.tags) <= ALLOWED_TAGS, set(parsed.tags) - ALLOWED_TAGS
    # nothing loaded from outside: no script, link, image, font or url()
    assert not any(name in ("src", "href") for name, _ in parsed.attributes)
    assert "url(" not in page and "@import" not in page and "<script" not in page
    text = "".join(parsed.text)
    assert "<b>粗</b>" in text  # the council's name shows as typed, as text
    assert "\u200b" not in page  # invisible characters from the file are dropped


# --- Word ------------------------------------------------------------------------------------

def read_docx(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def docx_text(word: docx.document.Document) -> str:
    parts = [p.text for p in word.paragraphs]
    for table in word.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.mark.parametrize("name", ["seed", "corrected", "hostile", "draft"])
@pytest.mark.parametrize("document", sorted(DOCUMENTS))
def test_docx_reads_back_with_east_asian_fonts_on_every_run(document: str, name: str) -> None:
    doc = build(document, name)
    data = render_document(doc, "docx")
    word = read_docx(data)
    text = docx_text(word)
    assert "".join(s.text for s in doc.title) in text.replace("\n", "")
    runs = [r for p in word.paragraphs for r in p.runs]
    runs += [r for t in word.tables for row in t.rows for c in row.cells
             for p in c.paragraphs for r in p.runs]
    runs += [r for p in word.sections[0].footer.paragraphs for r in p.runs]
    assert runs
    for run in runs:
        fonts = run._r.rPr.find(qn("w:rFonts"))
        assert fonts is not None and fonts.get(qn("w:eastAsia")) in ("仿宋", "宋体", "黑体")
        assert fonts.get(qn("w:asciiTheme")) is None and fonts.get(qn("w:eastAsiaTheme")) is None
    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode("utf-8")
    assert "eastAsiaTheme" not in styles and "asciiTheme" not in styles
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert data == render_document(build(document, name), "docx")  # deterministic


def test_docx_headings_are_heiti_and_the_title_is_centred() -> None:
    word = read_docx(render_document(build("minutes", "seed"), "docx"))
    title = word.paragraphs[0]
    assert title.text == "幸福里社区居民议事会会议记录" and title.alignment == 1
    headings = [p for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0].text == "议程" and headings[1].text.startswith("议题一：")
    for heading in headings:
        for run in heading.runs:
            assert run._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体"


def test_docx_tables_are_real_bordered_tables_whose_rows_never_split() -> None:
    word = read_docx(render_document(build("minutes", "corrected"), "docx"))
    assert len(word.tables) == 3  # the actions; who signs: the officers, the members
    table = word.tables[0]
    assert table.style.name == "Table Grid"
    assert [c.text for c in table.rows[0].cells] == ["事项", "责任人", "完成时限", "状态"]
    assert table.rows[1].cells[1].text == "物业小李"
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    officers, members = word.tables[1:]
    assert [[c.text for c in row.cells] for row in officers.rows] == [
        ["身份", "姓名", "签字"], ["主持人", "刘晓菊", ""], ["记录人", "张敏", ""]]
    assert [c.text for c in members.rows[1].cells] == ["刘艳", "", "王建国", ""]


def test_docx_footer_numbers_pages_with_fields() -> None:
    word = read_docx(render_document(build("notice", "seed"), "docx"))
    footer = word.sections[0].footer.paragraphs[0]
    xml = footer._p.xml
    assert "第 " in footer.text and " 页 共 " in footer.text
    assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", xml)
    assert re.search(r"<w:instrText[^>]*> NUMPAGES </w:instrText>", xml)


def test_docx_zip_entries_and_properties_carry_no_time_of_making() -> None:
    doc = build("minutes", "seed")
    data = render_document(doc, "docx")
    entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert {e.date_time for e in entries} == {(1980, 1, 1, 0, 0, 0)}
    core = read_docx(data).core_properties
    assert core.created is not None and core.created.date().isoformat() == doc.date
    assert core.modified == core.created


# --- PDF --------------------------------------------------------------------------------------

def _pdf_tools() -> tuple[str, str]:
    system_browser()
    require_cjk_font()
    return system_tool("pdftotext", "poppler-utils"), system_tool("pdfinfo", "poppler-utils")


@pytest.mark.parametrize("document, name, expected", [
    ("minutes", "seed", ["幸福里社区居民议事会会议记录", "幸而有你居民议事会", "出席率83.3%"]),
    ("notice", "seed", ["幸福里社区居民议事会决议公示", "特此公示"]),
    ("results", "procedure", ["决议实施结果公示", "已完成：已在各楼栋张贴通知"]),
    ("announce", "planned", ["会议通知", "签收（知）"]),
    ("sign-sheet", "procedure", ["会议签到表", "签到时间", "应到10人"]),
])
@pytest.mark.slow
def test_pdf_has_the_chinese_text_on_a4(document: str, name: str, expected: list[str],
                                        tmp_path: Path) -> None:
    pdftotext, pdfinfo = _pdf_tools()
    data = render_document(build(document, name), "pdf")
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    text = subprocess.run([pdftotext, "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    for words in expected:
        assert words in flat, words
    info = subprocess.run([pdfinfo, str(path)], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(r"Page size:.*\(A4\)", info), info


@pytest.mark.slow
def test_pdf_is_the_same_bytes_twice() -> None:
    _pdf_tools()
    doc = build("notice", "seed")
    first = render_document(doc, "pdf")
    assert b"/CreationDate (D:20220308000000" in first
    assert first == render_document(doc, "pdf")


# --- the command line -------------------------------------------------------------------------

@pytest.mark.parametrize("command", ["minutes", "notice"])
@pytest.mark.parametrize("suffix, magic", [(".html", b"<!DOCTYPE html>"), (".docx", b"PK"),
                                           (".md", b"# "), (".HTM", b"<!DOCTYPE html>")])
def test_the_suffix_of_the_output_chooses_the_format(bundled: Path, tmp_path: Path,
                                                     command: str, suffix: str,
                                                     magic: bytes) -> None:
    target = tmp_path / f"文件{suffix}"
    result = invoke(bundled, command, "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(magic)


def test_format_wins_over_the_suffix(bundled: Path, tmp_path: Path) -> None:
    target = tmp_path / "纪要.txt"
    assert invoke(bundled, "minutes", "--format", "html", "-o", str(target)).exit_code == 0
    assert target.read_bytes().startswith(b"<!DOCTYPE html>")
    result = invoke(bundled, "minutes", "--format", "html")
    assert result.exit_code == 0 and result.output.startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("command", ["minutes", "notice"])
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_binary_formats_need_a_file(bundled: Path, command: str, fmt: str) -> None:
    before = snapshot(bundled)
    result = invoke(bundled, command, "--format", fmt)
    assert result.exit_code == 1
    assert f"{fmt} 文件不能输出到屏幕" in result.output and "-o" in result.output
    assert snapshot(bundled) == before


def test_preview_is_for_markdown(bundled: Path) -> None:
    result = invoke(bundled, "minutes", "--format", "html", "--preview")
    assert result.exit_code == 1 and "--preview" in result.output


def test_no_browser_suggests_word_or_html(bundled: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("yiguan.render.to_pdf.find_browser", lambda: None)
    target = tmp_path / "公示.pdf"
    result = invoke(bundled, "notice", "-o", str(target))
    assert result.exit_code == 1
    assert "--format docx" in result.output and "--format html" in result.output
    assert not target.exists()


def test_a_browser_named_that_does_not_exist_is_one_line(bundled: Path, tmp_path: Path) -> None:
    result = invoke(bundled, "notice", "-o", str(tmp_path / "x.pdf"),
                    env={"YIGUAN_BROWSER": str(tmp_path / "no-such-browser")})
    assert result.exit_code == 1 and "YIGUAN_BROWSER" in result.output
    assert result.output.count("\n") == 1


@pytest.mark.slow
def test_pdf_from_the_command_line(bundled: Path, tmp_path: Path) -> None:
    pdftotext, _ = _pdf_tools()
    target = tmp_path / "纪要.pdf"
    result = invoke(bundled, "minutes", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"%PDF-")
    text = subprocess.run([pdftotext, str(target), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "会议记录" in re.sub(r"\s+", "", text)


def test_start_up_does_not_import_python_docx(bundled: Path) -> None:
    code = ("import sys; from yiguan.cli import make_app; "
            "from yiguan.render.minutes import minutes_document; "
            "from yiguan.render.formats import render_document; "
            "print('docx' in sys.modules, 'lxml' in sys.modules)")
    out = subprocess.run([os.sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.split() == ["False", "False"]


# --- the new document commands --------------------------------------------------------------

def test_announce_and_sign_sheet_for_the_newest_meeting(run: Any, planned: str) -> None:
    announce = run.ok("announce").output
    assert announce.startswith("# 幸福里测试议事会会议通知\n")
    assert "2024年5月10日（星期五） 19:30" in announce
    assert "1. 楼道堆物清理（提出人：王丽娟）" in announce
    assert "＿＿＿＿年＿＿月＿＿日" in announce
    assert "2024年5月1日" in run.ok("announce", "--issued", "2024-05-01").output
    sheet = run.ok("sign-sheet").output
    assert "| 7 | 赵志强 |  |  |" in sheet and "应到 7 人" in sheet


def test_document_commands_write_every_format(run: Any, opened: str, tmp_path: Path) -> None:
    for command in (["announce"], ["sign-sheet"], ["notice", "--results"]):
        for suffix in (".md", ".html", ".docx"):
            target = tmp_path / f"{command[0]}{suffix}"
            run.ok(*command, "-o", str(target))
            assert target.stat().st_size > 0
        run.refused(*command, "--format", "docx", because="documents.binary_needs_output",
                    format="docx")


def test_results_refusals(run: Any, opened: str) -> None:
    assert "--from" in run.refused("notice", "--results", "--days", "5").output
    assert "council set contact" in run.refused("notice", "--results", "--contact", "x").output
    run.refused("announce", "--issued", "2024-02-30", because="input.bad_date", value="2024-02-30")


def test_results_with_a_posting_day_carry_a_period(run: Any, opened: str) -> None:
    text = run.ok("notice", "--results", "--from", "2024-06-01", "--days", "5").output
    assert "2024年6月2日至2024年6月6日，共 5 日" in text
    assert text.count("2024年6月1日") >= 2  # the period's start and the date under the seal


# --- review: characters XML 1.0 cannot carry never crash a document ---------------------------

XML_FORBIDDEN = "\ufffe\uffff\x01\ud800\U0010ffff\ufdd0"


def test_a_hand_edited_noncharacter_is_reported_by_check_and_refused_by_documents(
        bundled: Path, tmp_path: Path) -> None:
    """`propose` let U+FFFF through and `--format docx` ended in lxml's traceback; a file
    edited by hand can still hold it: check names it, each document says one line."""
    path = bundled / "2022-03-08.toml"
    path.write_bytes(path.read_bytes().replace("幸而有你".encode(), "幸而\uffff有你".encode(), 1))
    checked = invoke(bundled, "check")
    assert checked.exit_code == 1 and "U+FFFF" in checked.output, checked.output
    before = snapshot(bundled)
    for command in ("minutes", "notice", "announce", "sign-sheet"):
        result = invoke(bundled, command, "--format", "docx", "-o", str(tmp_path / "x.docx"))
        assert result.exit_code == 1 and "U+FFFF" in result.output, (command, result.output)
        assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert snapshot(bundled) == before and not (tmp_path / "x.docx").exists()


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_a_document_never_fails_on_a_character_xml_cannot_carry(fmt: str) -> None:
    """A meeting built in code (no schema) renders in every format; in Word, our own words
    too (the last defence: lxml refuses the whole file over one character), each such
    character shown as U+FFFD."""
    meeting = load("seed")
    meeting.title = f"三月{XML_FORBIDDEN}议事会"
    doc = _minutes(meeting, "seed", "zh")
    if fmt != "docx":
        assert "三月\ufffd" in render_document(doc, fmt).decode("utf-8")
        return
    from yiguan.render.document import words as our_words

    doc.blocks.append(Paragraph(our_words(f"我们的{XML_FORBIDDEN}话")))
    data = render_document(doc, fmt)
    text = docx_text(read_docx(data)) + read_docx(data).core_properties.title
    assert not set(XML_FORBIDDEN) & set(text)
    assert "三月\ufffd" in text and "我们的\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd话" in text


def test_lines_of_shows_noncharacters_as_a_replacement() -> None:
    from yiguan.text.safety import lines_of

    assert lines_of("甲\ufffe乙\n丙\U0001ffff") == ["甲\ufffd乙", "丙\ufffd"]
    assert lines_of("甲\ufdcf乙") == ["甲\ufdcf乙"]  # beside the noncharacters: a character


# --- review: the PDF printer never runs a program from the current folder -------------------

def _fake_browser(folder: Path, marker: Path) -> Path:
    """A `chromium` that only leaves a mark if it is ever run."""
    folder.mkdir(parents=True, exist_ok=True)
    program = folder / "chromium"
    program.write_text(f"#!/bin/sh\ntouch '{marker}'\n", "utf-8")
    program.chmod(0o755)
    return program


def test_a_relative_or_empty_path_entry_is_never_searched_for_the_browser(
        bundled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows looks in the current folder first (and shutil.which with it): a cloned
    repository's `chromium` would have run. A relative or empty PATH entry is the
    current folder in disguise, so the same is tested here with those."""
    from yiguan.render import to_pdf

    marker = tmp_path / "ran"
    planted = _fake_browser(Path.cwd() / "bin", marker)
    _fake_browser(Path.cwd(), marker)
    monkeypatch.setattr(to_pdf, "_install_folders", lambda: [])
    monkeypatch.delenv("YIGUAN_BROWSER", raising=False)
    monkeypatch.setenv("PATH", os.pathsep.join(["bin", "", ".", "/nonexistent"]))
    assert to_pdf.find_browser() is None
    result = invoke(bundled, "notice", "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1 and "--format docx" in result.output
    assert not marker.exists()
    # the same program in an absolute PATH folder is found
    monkeypatch.setenv("PATH", os.pathsep.join(["bin", str(planted.parent)]))
    assert to_pdf.find_browser() == str(planted)


def test_yiguan_browser_must_be_an_absolute_path(bundled: Path, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    _fake_browser(Path.cwd(), marker)
    for named in ("chromium", "./chromium"):
        result = invoke(bundled, "notice", "-o", str(tmp_path / "x.pdf"),
                        env={"YIGUAN_BROWSER": named})
        assert result.exit_code == 1 and "YIGUAN_BROWSER" in result.output, result.output
        assert result.output.count("\n") == 1 and "完整路径" in result.output
    assert not marker.exists()


def _gone(pid: int) -> bool:
    """Whether a process has ended (a zombie waiting for a reaper counts as ended)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "State:\tZ" in status


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc to see the processes end")
def test_a_browser_that_hangs_is_stopped_with_everything_it_started(
        bundled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A browser that hangs while printing (here: a script that starts a helper and
    both sleep) is stopped at the time limit, helper and all, and the refusal names the
    browser in one line — not the whole command line it was given."""
    from yiguan.render import to_pdf

    pids = tmp_path / "pids"
    hanging = tmp_path / "hanging-browser"
    hanging.write_text(f"#!/bin/sh\nsleep 300 &\necho $! > '{pids}'\necho $$ >> '{pids}'\n"
                       "sleep 300\n", "utf-8")
    hanging.chmod(0o755)
    monkeypatch.setattr(to_pdf, "TIMEOUT", 1)
    started = time.monotonic()
    result = invoke(bundled, "minutes", "-o", str(tmp_path / "x.pdf"),
                    env={"YIGUAN_BROWSER": str(hanging)})
    assert time.monotonic() - started < 8
    assert result.exit_code == 1 and result.output.count("\n") == 1, result.output
    assert str(hanging) in result.output and "1 秒内没有生成 PDF" in result.output
    assert "--headless" not in result.output and "--print-to-pdf" not in result.output
    helper, browser = (int(line) for line in pids.read_text().split())
    deadline = time.monotonic() + 5
    while not (_gone(helper) and _gone(browser)):
        assert time.monotonic() < deadline, "the browser's processes live on"
        time.sleep(0.05)
    assert not (tmp_path / "x.pdf").exists()


# --- review: the help names what the document commands do now ---------------------------------

@pytest.mark.parametrize("lang", ["", "en"])
def test_the_help_of_minutes_and_notice_names_the_formats_and_results(lang: str) -> None:
    """Both said （Markdown） after Word, PDF and --results came."""
    from typer.testing import CliRunner

    from yiguan.cli import make_app

    for command in ("minutes", "notice"):
        out = CliRunner().invoke(make_app([command, "--help"]), [command, "--help"],
                                 env={"YIGUAN_LANG": lang, "COLUMNS": "200"}).output
        assert "（Markdown）" not in out and "Word" in out and "PDF" in out, out
        assert "--format" in out
    notice = CliRunner().invoke(make_app(["notice", "--help"]), ["notice", "--help"],
                                env={"YIGUAN_LANG": lang, "COLUMNS": "200"}).output
    summary = notice.split("╭")[0]  # the command's own text, before its options
    assert "--results" in summary, summary


# --- a Word title a little too long for one line ---------------------------------------------

def test_a_word_title_just_over_one_line_breaks_evenly_where_a_word_ends() -> None:
    from yiguan.render.to_docx import balanced_title

    room = 20.1  # 二号 (22 pt) ems on a 156 mm line
    assert balanced_title(["幸福里社区居民议事会", "2024年度议事工作报告"], room) == [
        "幸福里社区居民议事会", "\n2024年度议事工作报告"]
    assert balanced_title(["天庆新城社区第三网格居民议事会“加装电梯”专题会议记录"], room) == [
        "天庆新城社区第三网格居民议事会\n“加装电梯”专题会议记录"]
    for fits_or_wraps in (["幸福里社区居民议事会会议记录"], ["议" * 45],
                          ["Report on the work of the council in 2024, as counted"]):
        assert balanced_title(fits_or_wraps, room) == fits_or_wraps
    # never inside a number, never before closing punctuation
    for value in (["二零二四年" * 3 + "12345678"],
                  ["一二三四五六七八九十一二三四五六七八九，十一"]):
        (out,) = balanced_title(value, room)
        head, _, tail = out.partition("\n")
        assert not (head[-1:].isdigit() and tail[:1].isdigit()) and tail[:1] != "，"


# --- the 议题公示's options -------------------------------------------------------------------

def test_the_agenda_notice_refuses_renumber_and_a_day_after_the_meeting(run: Any,
                                                                        planned: str) -> None:
    before = run.meeting_bytes()
    run.refused("notice", "--agenda", "--renumber", because="documents.agenda_no_number")
    run.refused("notice", "--agenda", "--from", "2024-05-11",
                because="documents.agenda_from_after", start="2024-05-11", date="2024-05-10")
    assert run.meeting_bytes() == before

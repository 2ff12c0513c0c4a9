"""Pages as an office prints them (issue 21 §3, and the layout of §4).

What a page holds is checked where it is decided: in the PDF that Chromium prints and in
the Word file as LibreOffice lays it out (`soffice --headless --convert-to pdf`, a
profile of its own per test), read back page by page with `pdftotext -f N -l N`:

- the signatures, the seal line and the date are never the first thing on a page: a
  meeting long enough that they would be (proved by laying the same meeting out with
  `page_groups` switched off) prints them with the paragraph before them;
- every PDF page says 第 X 页 共 Y 页 (Page X of Y in English);
- the 签到表 of 20 members and 3 guests is one page in both, rows at least 0.9 cm; a
  longer one repeats the header row on its next page; a member excused before the meeting
  is pre-marked 请假; 应到 is filled in;
- the 签收 table of the 会议通知 is never split across pages in Word;
- each document (minutes, notice, results notice, announce, sign-sheet) as LibreOffice
  lays out its Word file: its page count and what its last page holds.

And without any tool: the Word file's keep-with-next chain and row rules, body
paragraphs indented two characters in every format, the title's font stacks. Tests that
need a browser, poppler or LibreOffice are slow; they skip where a tool is missing and
fail in CI (conftest.missing_tool).
"""

from __future__ import annotations

import copy
import dataclasses
import io
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from conftest import require_cjk_font, system_browser, system_tool
from yiguan.record import fileformat
from yiguan.record.model import Meeting
from yiguan.render import to_docx, to_html
from yiguan.render.document import (
    FORM,
    ROW_TO_SIGN,
    Block,
    Document,
    Heading,
    ListBlock,
    ListItem,
    Paragraph,
    Signatures,
    Stamp,
    Table,
    keeps_with_previous,
    page_groups,
    plain,
    words,
)
from yiguan.render.formats import render_document
from yiguan.render.minutes import minutes_document
from yiguan.render.notice import notice_document, results_document
from yiguan.render.paper import SIDE_BY_SIDE, announce_document, sign_sheet_document

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
VERSION = "0.0.0-golden"
COUNCIL = "幸福里社区居民议事会"
PUBLIC = {"org": "幸福里社区居民委员会", "place": "社区居务公开栏", "phone": "0931-8888888"}
ORG = PUBLIC["org"]


def load(name: str) -> Meeting:
    path = GOLDEN / f"{name}.toml"
    return fileformat.load_meeting(path.read_bytes(), path.name)


# A meeting still to be held, of a council of 20, with 3 guests signed in early and two
# members who sent their apologies: the 签到表 and the 会议通知 of issue 21.
NAMES = ["刘晓菊", "刘艳", "王建国", "张桂兰", "李秀英", "陈淑珍", "赵志强", "马玉梅", "杨树林",
         "周红霞", "何丽", "孙德明", "郭春燕", "曾凡荣", "单玉华", "牛建平", "魏永红", "朱海燕",
         "欧阳晓明", "司马春花"]
GUESTS = [("王丽娟", "幸福里社区（社区书记）"), ("张敏", "幸福里社区"), ("李婷", "兰州爱颐社工")]
EXCUSED = ["刘艳", "司马春花"]


def twenty(members: list[str] | None = None) -> Meeting:
    """The planned meeting of 20 members (or `members`), 3 guests, 2 excused."""
    roster = NAMES if members is None else members
    text = ['format = 1', 'title = "五月议事会"', "date = 2022-05-10", 'time = "19:30"',
            'place = "幸福里社区活动室"', 'host = "王丽娟"', 'recorder = "张敏"',
            'status = "planned"', "members = [" + ", ".join(f'"{n}"' for n in roster) + "]", "",
            "[rules]", 'quorum = ">1/2"', 'pass = ">1/2 present"', "notice_days = 7",
            "speech_minutes = 2", "speeches_per_item = 2", "second_required = true", ""]
    for number, name in enumerate(EXCUSED, 1):
        text += ["[[excused]]", f'id = "L{number}"', f'name = "{name}"', ""]
    for number, (name, org) in enumerate(GUESTS, 1):
        text += ["[[attendee]]", f'id = "P{number}"', f'name = "{name}"', 'role = "guest"',
                 f'org = "{org}"', f'arrived = "19:0{number}"', ""]
    for number, title in enumerate(["饮水机费用", "五一活动安排"], 1):
        text += ["[[item]]", f"id = {number}", f'title = "{title}"', 'by = "刘艳"', ""]
    return fileformat.load_meeting("\n".join(text).encode("utf-8"), "2022-05-10.toml")


def minutes(meeting: Meeting, lang: str = "zh") -> Document:
    return minutes_document(meeting, source="seed.toml", council=COUNCIL, lang=lang,
                            version=VERSION, org=ORG)


def notice(meeting: Meeting, lang: str = "zh") -> Document:
    return notice_document(meeting, council=COUNCIL, source="seed.toml", lang=lang,
                           version=VERSION, **PUBLIC)


def results(meeting: Meeting, lang: str = "zh") -> Document:
    return results_document(meeting, council=COUNCIL, source="seed.toml", lang=lang,
                            version=VERSION, **PUBLIC)


def announce(meeting: Meeting, lang: str = "zh") -> Document:
    return announce_document(meeting, council=COUNCIL, lang=lang, org=ORG,
                             contact=PUBLIC["phone"])


def sign_sheet(meeting: Meeting, lang: str = "zh") -> Document:
    return sign_sheet_document(meeting, council=COUNCIL, lang=lang)


def flat(text: str) -> str:
    """The text without white space: pdftotext spaces Chinese as it pleases."""
    return re.sub(r"\s+", "", text)


# --- the tools -----------------------------------------------------------------------------------

def pdf_of(doc: Document, fmt: str, work: Path) -> Path:
    """`doc` printed to PDF by the browser (`pdf`) or as LibreOffice lays out its Word file
    (`docx`)."""
    require_cjk_font()
    if fmt == "pdf":
        system_browser()
        target = work / f"{doc.kind}.pdf"
        target.write_bytes(render_document(doc, "pdf"))
        return target
    return libreoffice_pdf(render_document(doc, "docx"), work / f"{doc.kind}.docx")


def libreoffice_pdf(data: bytes, path: Path) -> Path:
    """The Word file converted by `soffice --headless --convert-to pdf`, with a profile
    of its own (LibreOffice needs a writable one, and two at once must not share it)."""
    soffice = system_tool("soffice", "libreoffice-writer-nogui")
    path.write_bytes(data)
    profile = path.parent / f"lo-profile-{path.stem}"
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(path.parent), str(path)],
                   capture_output=True, check=True, timeout=180)
    target = path.with_suffix(".pdf")
    assert target.is_file(), f"LibreOffice made no PDF of {path.name}"
    return target


def pages(pdf: Path) -> int:
    info = subprocess.run([system_tool("pdfinfo", "poppler-utils"), str(pdf)],
                          capture_output=True, text=True, check=True).stdout
    match = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    assert match, info
    return int(match.group(1))


def page_text(pdf: Path, number: int) -> str:
    """What page `number` says, top to bottom, without white space (`pdftotext -layout
    -f N -l N`: in its layout a table row is one line, not one column after another)."""
    return flat(subprocess.run(
        [system_tool("pdftotext", "poppler-utils"), "-layout", "-f", str(number), "-l",
         str(number), str(pdf), "-"], capture_output=True, text=True, check=True).stdout)


def word_tops(pdf: Path, names: list[str]) -> list[float]:
    """Where each of `names` stands on the first page, from the top (points)."""
    boxes = subprocess.run([system_tool("pdftotext", "poppler-utils"), "-bbox", "-f", "1",
                            "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout
    tops = {word: float(top) for top, word in
            re.findall(r'<word xMin="[^"]+" yMin="([^"]+)"[^>]*>([^<]+)</word>', boxes)}
    return [tops[name] for name in names]


def page_texts(pdf: Path) -> list[str]:
    return [page_text(pdf, number) for number in range(1, pages(pdf) + 1)]


FORMATS = ["pdf", "docx"]  # the browser's PDF; the Word file as LibreOffice lays it out


# --- the model: what keeps with what -------------------------------------------------------------

def test_signatures_seal_and_date_join_the_block_before_them() -> None:
    lead = Paragraph(words("散会时间：20:50"))
    table = Table(("序号",), ())
    signing = Table(("姓名", "签字"), (), to_sign=True)
    signatures = Signatures((words("主持人"),))
    stamp = Stamp(words("幸福里社区居民委员会"), "2022年3月8日", "（盖章）")
    heading = Heading(2, words("签收"))
    groups = page_groups([table, lead, signatures, stamp, heading, signing, stamp])
    assert groups == [(table,), (lead, signatures, stamp), (heading, signing, stamp)]
    assert not keeps_with_previous(table) and not keeps_with_previous(lead)
    assert signing.unbroken and Table(("a",), (), whole=True).unbroken


def test_a_label_between_two_tables_to_sign_keeps_the_part_to_sign_one() -> None:
    closed = Paragraph(words("散会时间：20:50"))
    officers = Table(("身份", "姓名", "签字"), (), to_sign=True)
    label = Paragraph(words("参会人员签字"), "lead")
    members = Table(("姓名", "签字"), (), to_sign=True)
    stamp = Stamp(words("幸福里社区居民委员会"), "2022年3月8日", "（盖章）")
    assert page_groups([closed, officers, label, members, stamp]) == [
        (closed, officers, label, members, stamp)]
    other = Table(("事项",), ())
    assert page_groups([other, label, members, stamp]) == [(other,), (label, members, stamp)]
    assert page_groups([officers, label, other]) == [(officers,), (label,), (other,)]


def test_every_document_ends_with_its_seal_kept_with_what_comes_before() -> None:
    seed = load("seed")
    for doc in (minutes(seed), notice(seed), results(seed), announce(seed)):
        closing = next(g for g in page_groups(doc.blocks) if isinstance(g[-1], Stamp))
        assert len(closing) >= 2 and isinstance(closing[0], Paragraph), doc.kind


# --- HTML ----------------------------------------------------------------------------------------

def test_html_wraps_the_closing_paragraph_signatures_and_seal_in_one_unbreakable_box() -> None:
    doc = minutes(load("seed"))
    page = to_html.html(doc)
    closing = page_groups(doc.blocks)[-1]
    assert isinstance(closing[0], Paragraph) and isinstance(closing[-1], Stamp)
    box = "\n".join(to_html.block_html(block, "：") for block in closing)
    assert f'<div class="keep">\n{box}\n</div>\n</body>' in page
    assert "散会时间" in box
    assert re.search(r"\.keep, table\.whole \{ break-inside: avoid;", page)


def test_html_after_a_list_keeps_its_last_item_by_break_before() -> None:
    doc = Document("notice", "zh", words("公示"), "2022-03-08")
    doc.add(ListBlock((ListItem(words("一")), ListItem(words("二")))),
            Stamp(words("幸福里"), "2022年3月8日", "（盖章）"))
    page = to_html.html(doc)
    assert '</ol>\n<div class="keep after">\n<div class="stamp">' in page
    assert ".keep.after { break-before: avoid;" in page


@pytest.mark.parametrize("lang, footer", [
    ("zh", '"第 " counter(page) " 页 共 " counter(pages) " 页"'),
    ("en", '"Page " counter(page) " of " counter(pages)'),
])
def test_html_numbers_its_pages_in_a_margin_box(lang: str, footer: str) -> None:
    page = to_html.html(notice(load("seed"), lang))
    assert f"@bottom-center {{ content: {footer};" in page


def test_body_paragraphs_are_indented_two_characters_in_html() -> None:
    page = to_html.html(notice(load("seed")))
    assert "p.body { text-indent: 2em; }" in page
    assert '<p class="body">幸福里社区居民议事会于2022年3月8日' in page
    assert '<p class="flush">各位议事会成员：</p>' in to_html.html(announce(load("seed")))


def test_the_title_asks_for_xiaobiaosong_then_heiti_on_every_system() -> None:
    page = to_html.html(minutes(load("seed")))
    h1 = re.search(r"^h1 \{ font-family: ([^;]+);", page, re.MULTILINE)
    assert h1, page[:2000]
    stack = [name.strip().strip('"') for name in h1.group(1).split(",")]
    assert stack[0] == "FZXiaoBiaoSong-B05S" and "方正小标宋简体" in stack
    for found_on in ("SimHei", "Heiti SC", "Noto Sans CJK SC"):  # Windows, macOS, Linux
        assert found_on in stack
    assert stack[-1] == "sans-serif"
    assert stack.index("小标宋") < stack.index("SimHei")


# --- Word, read back -----------------------------------------------------------------------------

def word(doc: Document) -> docx.document.Document:
    return docx.Document(io.BytesIO(render_document(doc, "docx")))


def keeps(paragraph: docx.text.paragraph.Paragraph) -> bool:
    return bool(paragraph.paragraph_format.keep_with_next)


def _closing(signing: list[Block]) -> Document:
    doc = Document("minutes", "zh", words("会议记录"), "2022-03-08")
    doc.add(Table(("事项",), ((words("张贴通知"),),)), Paragraph(words("散会时间：20:50")),
            *signing, Stamp(words("幸福里社区居民委员会"), "2022年3月8日", "（盖章）"))
    return doc


@pytest.mark.parametrize("signing", [
    [Signatures((words("主持人 王丽娟（签字）"), words("记录人 张敏（签字）")))],
    [Table(("身份", "姓名", "签字"), ((words("主持人"), words("王丽娟"), ()),), to_sign=True),
     Paragraph(words("参会人员签字"), "lead"),
     Table(("姓名", "签字"), ((words("刘艳"), ()), (words("王建国"), ())), to_sign=True)],
], ids=["lines", "tables"])
def test_word_chains_the_last_paragraph_signatures_seal_and_date(signing: list[Block]) -> None:
    file = word(_closing(signing))
    texts = [p.text for p in file.paragraphs]
    start = texts.index("散会时间：20:50")
    closing = file.paragraphs[start:]
    assert closing[-1].text == "2022年3月8日"
    assert all(keeps(p) for p in closing[:-1]), [p.text for p in closing if not keeps(p)]
    assert all(p.paragraph_format.keep_together for p in closing[:-1])
    assert not keeps(closing[-1])  # the date: nothing after it is tied to it
    assert not keeps(file.paragraphs[start - 1])  # the spacer after the table before
    for table in file.tables[1:]:  # the tables to sign: every row chained to the next
        for row in table.rows:
            assert all(keeps(p) for cell in row.cells for p in cell.paragraphs)


def test_word_minutes_keep_their_last_paragraph_with_the_signatures() -> None:
    file = word(minutes(load("seed")))
    closed = next(p for p in file.paragraphs if p.text.startswith("散会时间"))
    assert keeps(closed) and closed.paragraph_format.keep_together
    org, date = file.paragraphs[-2:]
    assert keeps(org) and date.text == "2022年3月8日" and not keeps(date)


def test_word_keeps_the_last_row_of_a_table_before_the_seal() -> None:
    doc = Document("results", "zh", words("公示"), "2022-03-08")
    doc.add(Table(("事项", "责任人"), ((words("张贴通知"), words("刘艳")),
                                     (words("清理楼道"), words("王建国")))),
            Stamp(words("幸福里"), "2022年3月8日", "（盖章）"))
    file = word(doc)
    first, last = file.tables[0].rows[1], file.tables[0].rows[2]
    assert not any(keeps(p) for cell in first.cells for p in cell.paragraphs)
    assert all(keeps(p) for cell in last.cells for p in cell.paragraphs)
    assert keeps(file.paragraphs[-3])  # the spacer paragraph after the table
    assert keeps(file.paragraphs[-2]) and not keeps(file.paragraphs[-1])


def test_word_keeps_the_receipt_table_of_the_meeting_notice_whole() -> None:
    table = word(announce(twenty())).tables[-1]
    rows = table.rows
    assert len(rows) == 21
    for row in rows:
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None
    for row in rows[:-1]:
        assert all(keeps(p) for cell in row.cells for p in cell.paragraphs)
    assert not any(keeps(p) for cell in rows[-1].cells for p in cell.paragraphs)


def test_word_indents_body_paragraphs_two_characters() -> None:
    file = word(notice(load("seed")))
    body = next(p for p in file.paragraphs if p.text.startswith("幸福里社区居民议事会于"))
    indent = body._p.pPr.find(qn("w:ind"))
    assert indent.get(qn("w:firstLineChars")) == "200"
    assert body.paragraph_format.first_line_indent == docx.shared.Pt(28)  # 2 × 14 pt
    salutation = next(p for p in word(announce(load("seed"))).paragraphs
                      if p.text == "各位议事会成员：")
    assert salutation.paragraph_format.first_line_indent is None


def test_word_sign_sheet_rows_are_at_least_0_9_cm_and_the_header_repeats() -> None:
    file = word(sign_sheet(twenty()))
    members, guests = file.tables
    assert len(members.rows) == 1 + 10 and len(members.columns) == 8
    assert len(guests.rows) == 1 + 3 + 3
    for table in (members, guests):
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        for row in table.rows[1:]:
            assert row.height >= docx.shared.Mm(ROW_TO_SIGN)
            assert row.height_rule == docx.enum.table.WD_ROW_HEIGHT_RULE.AT_LEAST
    section = file.sections[0]
    assert abs(section.top_margin.mm - FORM.top) < 0.01


# --- the sign-in sheet's words -------------------------------------------------------------------

def test_the_sheet_puts_two_members_to_a_row_from_eleven() -> None:
    sheet = render_document(sign_sheet(twenty()), "md").decode()
    assert "| 序号 | 姓名 | 签到时间 | 签名 | 序号 | 姓名 | 签到时间 | 签名 |" in sheet
    assert "| 1 | 刘晓菊 |  |  | 11 | 何丽 |  |  |" in sheet
    assert "| 10 | 周红霞 |  |  | 20 | 司马春花 |  | 请假 |" in sheet
    odd = render_document(sign_sheet(twenty(NAMES[:SIDE_BY_SIDE])), "md").decode()
    assert "| 6 | 陈淑珍 |  |  |  |  |  |  |" in odd  # 11: six rows, the last half empty
    small = render_document(sign_sheet(twenty(NAMES[:SIDE_BY_SIDE - 1])), "md").decode()
    assert "| 序号 | 姓名 | 签到时间 | 签名 |\n" in small


def test_the_sheet_premarks_apologies_and_fills_in_the_expected_count() -> None:
    sheet = render_document(sign_sheet(twenty()), "md").decode()
    assert "| 2 | 刘艳 |  | 请假 | 12 | 孙德明 |  |  |" in sheet
    assert "应到 20 人　　实到 ＿＿ 人" in sheet
    english = render_document(sign_sheet(twenty(), "en"), "md").decode()
    assert "| Excused |" in english and "Expected 20　　Present ＿＿" in english


def test_a_member_excused_who_came_after_all_is_not_premarked() -> None:
    meeting = twenty()
    came = copy.copy(meeting.attendee[0])
    came.id, came.name, came.role, came.org = "P9", "刘艳", "member", None
    meeting.attendee.append(came)
    sheet = render_document(sign_sheet(meeting), "md").decode()
    assert "| 2 | 刘艳 |  |  |" in sheet
    assert "| 20 | 司马春花 |  | 请假 |" in sheet


# --- Markdown ------------------------------------------------------------------------------------

def test_markdown_indents_chinese_body_paragraphs_with_ideographic_spaces() -> None:
    text = render_document(notice(load("seed")), "md").decode()
    assert "\n　　幸福里社区居民议事会于2022年3月8日" in text
    assert "\n　　特此公示。\n" in text
    english = render_document(notice(load("seed"), "en"), "md").decode()
    assert "\n　" not in english


# --- PDF and LibreOffice: page numbers -----------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("lang, footer", [("zh", "第{page}页共{pages}页"),
                                          ("en", "Page{page}of{pages}")])
def test_every_pdf_page_is_numbered(lang: str, footer: str, tmp_path: Path) -> None:
    pdf = pdf_of(minutes(load("seed"), lang), "pdf", tmp_path)
    texts = page_texts(pdf)
    assert len(texts) >= 3
    for number, text in enumerate(texts, 1):
        assert text.endswith(footer.format(page=number, pages=len(texts))), (number, text[-40:])


@pytest.mark.slow
def test_word_pages_are_numbered_as_libreoffice_lays_them_out(tmp_path: Path) -> None:
    pdf = pdf_of(minutes(load("seed")), "docx", tmp_path)
    texts = page_texts(pdf)
    assert len(texts) >= 3
    for number, text in enumerate(texts, 1):
        assert text.endswith(f"第{number}页共{len(texts)}页"), (number, text[-40:])


# --- signatures never alone on a page ------------------------------------------------------------

def padded(meeting: Meeting, lines: int) -> Meeting:
    """The meeting with `lines` more lines in its note (备注), near the top of the
    minutes: everything after moves down by that many lines."""
    longer = copy.deepcopy(meeting)
    longer.note = "\n".join([meeting.note or "", *[f"补记第 {n} 行。" for n in
                                                   range(1, lines + 1)]])
    return longer


def _ungrouped(blocks: list[object]) -> list[tuple[object, ...]]:
    return [(block,) for block in blocks]


def mark(block: object) -> str:
    """How a block of the closing part is found in a page's text: its first words (a
    table by its header row, the stamp by its date)."""
    if isinstance(block, Paragraph):
        text = plain(block.text)
    elif isinstance(block, Signatures):
        text = plain(block.entries[0])
    elif isinstance(block, Table):
        text = "".join(block.header)
    else:
        assert isinstance(block, Stamp)
        return flat(block.date)
    return flat(text)[:6]


def closing_marks(doc: Document) -> list[str]:
    """The marks of the minutes' closing part, in order: the paragraph before the
    signatures, the signatures (lines or tables, and any label between them), the
    seal's date: what must share a page, the second never at its top."""
    group = page_groups(doc.blocks)[-1]
    assert isinstance(group[0], Paragraph) and isinstance(group[-1], Stamp) and len(group) >= 3
    return [mark(block) for block in group]


def opens_a_page(texts: list[str], mark: str) -> bool:
    return any(text.startswith(mark) for text in texts[1:])


# The length of note (lines added) that puts the signatures at the top of a page when
# nothing keeps them with the paragraph before, as found for the bundled meeting's
# minutes; when the minutes change, `_long_enough` looks near it for another.
LONG_ENOUGH = {"pdf": 14, "docx": 8}


def _long_enough(fmt: str, work: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """A padding with which the signatures (or the seal) open a page once nothing keeps
    them with the paragraph before: the proof that the meeting is long enough."""
    seed = load("seed")
    work.mkdir()
    tried = []
    with monkeypatch.context() as patch:
        patch.setattr(to_html, "page_groups", _ungrouped)
        patch.setattr(to_docx, "page_groups", _ungrouped)
        start = LONG_ENOUGH[fmt]
        for lines in sorted(range(max(0, start - 15), start + 25), key=lambda n: abs(n - start)):
            doc = minutes(padded(seed, lines))
            signing = closing_marks(doc)[1:]
            seal = doc.blocks[-1]
            assert isinstance(seal, Stamp)
            stamp = flat(plain(seal.org))[:6]
            texts = page_texts(pdf_of(doc, fmt, work))
            if any(opens_a_page(texts, m) for m in [*signing[:-1], stamp]):
                return lines
            tried.append(lines)
    raise AssertionError(f"no padding in {tried} puts the signatures at the top of a page")


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
def test_signatures_seal_and_date_never_open_a_page(fmt: str, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    lines = _long_enough(fmt, tmp_path / "control", monkeypatch)
    doc = minutes(padded(load("seed"), lines))
    marks = closing_marks(doc)
    texts = page_texts(pdf_of(doc, fmt, tmp_path))
    holding = [n for n, text in enumerate(texts) if marks[1] in text]
    assert len(holding) == 1, (lines, holding)
    page = texts[holding[0]]
    assert not page.startswith(marks[1]), (lines, page[:60])
    position = 0
    for found in marks:  # all on that page, in order
        assert page.find(found, position) >= 0, (lines, found, page)
        position = page.find(found, position) + len(found)


# --- the sign-in sheet and the receipt table on paper --------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("members", [SIDE_BY_SIDE - 1, 20])  # the most in one column, in two
def test_sign_sheet_of_twenty_members_and_three_guests_is_one_page(fmt: str, members: int,
                                                                  tmp_path: Path) -> None:
    pdf = pdf_of(sign_sheet(twenty(NAMES[:members])), fmt, tmp_path)
    assert pages(pdf) == 1
    text = page_text(pdf, 1)
    for name in [*NAMES[:members], *(g for g, _ in GUESTS)]:
        assert name in text
    excused = sum(name in NAMES[:members] for name in EXCUSED)
    assert text.count("请假") == excused and f"应到{members}人" in text and "第1页共1页" in text
    # rows high enough to sign: the names of the left column 0.9 cm apart at least
    tops = word_tops(pdf, NAMES[:(members + 1) // 2 if members >= SIDE_BY_SIDE else members])
    pitch = min(below - above for above, below in zip(tops, tops[1:], strict=False))
    assert pitch >= ROW_TO_SIGN / 25.4 * 72 - 0.2, pitch  # in points, give or take a rounding


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_longer_sign_sheet_repeats_its_header_row(fmt: str, tmp_path: Path) -> None:
    roster = [f"{name}{n}" for n in (1, 2) for name in NAMES]  # 40 members: 20 rows
    roster += [f"{name}3" for name in NAMES[:10]]  # 50: 25 rows, more than a page holds
    pdf = pdf_of(sign_sheet(twenty(roster)), fmt, tmp_path)
    texts = page_texts(pdf)
    assert len(texts) == 2
    header = "序号姓名签到时间签名序号姓名签到时间签名"
    assert texts[0].count(header) == 1
    assert texts[1].startswith(header), texts[1][:80]


@pytest.mark.slow
def test_the_receipt_table_is_never_split_in_word(tmp_path: Path) -> None:
    doc = announce(twenty())
    texts = page_texts(pdf_of(doc, "docx", tmp_path))
    receipt = [n for n, text in enumerate(texts) if "签收（知）" in text]
    assert len(receipt) == 1, receipt
    assert all(name in texts[receipt[0]] for name in NAMES)
    # the proof that it would be split: the same table allowed to break
    table = doc.blocks[-1]
    assert isinstance(table, Table) and table.whole
    doc.blocks[-1] = dataclasses.replace(table, whole=False)
    (tmp_path / "control").mkdir()
    control = page_texts(pdf_of(doc, "docx", tmp_path / "control"))
    header = next(n for n, text in enumerate(control) if "签收（知）" in text)
    last_row = next(n for n, text in enumerate(control) if "20司马春花" in text)
    assert last_row > header, "the control should split the table"


# --- each document as LibreOffice lays out its Word file -----------------------------------------

# document → (its builder and meeting, pages, what its last page holds, in this order)
LAID_OUT: dict[str, tuple[Callable[[], Document], int, list[str]]] = {
    "minutes": (lambda: minutes(load("seed")), 5,
                ["散会时间", "主持人", "王丽娟", "幸福里社区居民委员会（盖章）", "2022年3月8日",
                 "第5页共5页"]),
    "notice": (lambda: notice(load("seed")), 1,
               ["特此公示", "幸福里社区居民委员会（盖章）", "2022年3月8日", "第1页共1页"]),
    "results": (lambda: results(load("procedure")), 1,
                ["特此公示", "幸福里社区居民委员会（盖章）", "第1页共1页"]),
    "announce": (lambda: announce(twenty()), 2,
                 ["签收", "序号姓名签收（知）", "1刘晓菊", "20司马春花", "第2页共2页"]),
    "sign-sheet": (lambda: sign_sheet(twenty()), 1,
                   ["会议签到表", "成员签到", "20司马春花请假", "列席人员签到", "3李婷兰州爱颐社工",
                    "应到20人", "第1页共1页"]),
}


@pytest.mark.slow
@pytest.mark.parametrize("document", sorted(LAID_OUT))
def test_libreoffice_lays_out_each_word_file(document: str, tmp_path: Path) -> None:
    build, count, last_page = LAID_OUT[document]
    pdf = pdf_of(build(), "docx", tmp_path)
    assert pages(pdf) == count
    text = page_text(pdf, count)
    position = 0
    for words_ in last_page:
        found = text.find(words_, position)
        assert found >= 0, (words_, text)
        position = found + len(words_)


# --- docs/exports.md ------------------------------------------------------------------------------

def test_exports_shows_the_pages_documents_sh_made_and_no_others() -> None:
    """The pictures of docs/exports.md are made by docs/documents.sh, between its marks;
    each one it names is there and none is left over from an older run."""
    docs = ROOT / "docs"
    text = (docs / "exports.md").read_text(encoding="utf-8")
    begin, end = "<!-- documents.sh: pages -->", "<!-- /documents.sh -->"
    assert begin in text and end in text
    named = set(re.findall(r"\]\((pages/[^)]+\.png)\)", text[text.index(begin):text.index(end)]))
    made = {f"pages/{path.name}" for path in (docs / "pages").glob("*.png")}
    assert named == made and named
    for document in ("minutes", "notice", "results", "announce", "sign-sheet"):
        for kind in ("pdf", "word"):
            assert f"pages/{document}-{kind}-1.png" in named

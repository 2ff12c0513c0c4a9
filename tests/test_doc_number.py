"""文号: `notice`/`announce --number TEXT|auto` (issue 21 §4).

A number given is printed centred under the title in every format, kept in the meeting
file (`announce_number`, `notice_number`, `results_number`) so that the document printed
again carries it, unique in the council, and taken back by `undo`. `--number auto` takes
the council's `number_pattern` with the year of the document and the next running number
across the folder's meetings. Refusals: no pattern, a bad pattern, a number another
document has, a different number for a document that has one (unless `--renumber`), a
draft notice, `--renumber` alone. docs/format.md, *Document numbers*.
"""

from __future__ import annotations

import io
import re
import subprocess
import threading
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH

from conftest import (
    Cli,
    require_cjk_font,
    snapshot,
    system_browser,
    system_tool,
)
from yiguan.record import fileformat
from yiguan.store.folder import DataFolder
from yiguan.store.numbers import give_number
from yiguan.text.messages import t

PATTERN = "民新议〔{year}〕{n}号"
MARCH, APRIL = "2022-03-08", "2022-04-12"  # the seed's two closed meetings


def numbered(run: Cli, meeting: str, key: str) -> str | None:
    value: str | None = getattr(run.meeting(meeting), key)
    return value


def under_the_title(markdown: str) -> str:
    """The line after the title of a Markdown document (its 文号, if it has one)."""
    lines = markdown.splitlines()
    assert lines[0].startswith("# ") and lines[1] == "", lines[:3]
    return lines[2]


# --- an explicit number ------------------------------------------------------------------------

def test_an_explicit_number_is_printed_under_the_title_and_kept(seed: Cli) -> None:
    before = seed.meeting_bytes(MARCH)
    done = seed.ok("notice", "-m", MARCH, "--number", "民新议〔2022〕7号")
    assert under_the_title(done.stdout) == "民新议〔2022〕7号"
    # the document is the output: the note of the write goes beside it, on stderr
    assert done.stderr == t("documents.number_given", document_key="numbers.document.notice",
                            number="民新议〔2022〕7号",
                            path=str(seed.meeting_path(MARCH))) + "\n"
    assert numbered(seed, MARCH, "notice_number") == "民新议〔2022〕7号"
    assert 'notice_number = "民新议〔2022〕7号"\n' in seed.meeting_bytes(MARCH).decode()
    # only that line was added to the file
    added = set(seed.meeting_bytes(MARCH).decode().splitlines()) - set(before.decode().splitlines())
    assert added == {'notice_number = "民新议〔2022〕7号"'}


def test_every_format_puts_the_number_centred_under_the_title(seed: Cli, tmp_path: Path) -> None:
    seed.ok("announce", "-m", APRIL, "--number", "民新议〔2022〕3号")
    html = tmp_path / "通知.html"
    written = seed.ok("announce", "-m", APRIL, "-o", str(html))
    assert written.stdout == t("documents.written", path=str(html)) + "\n"  # no new number
    page = html.read_text("utf-8")
    assert re.search(r"</h1>\n<p class=\"number\" style=\"text-align: center;[^\"]*\">"
                     r"民新议〔2022〕3号</p>\n", page), page[:2000]
    word = tmp_path / "通知.docx"
    seed.ok("announce", "-m", APRIL, "-o", str(word))
    paragraphs = docx.Document(io.BytesIO(word.read_bytes())).paragraphs
    assert paragraphs[0].text.endswith("会议通知")
    assert paragraphs[1].text == "民新议〔2022〕3号"
    assert paragraphs[1].alignment == WD_ALIGN_PARAGRAPH.CENTER
    english = seed.ok("announce", "-m", APRIL, "--lang", "en").stdout
    assert under_the_title(english) == "民新议〔2022〕3号"


def test_a_document_without_a_number_is_as_before(seed: Cli) -> None:
    plain = seed.ok("notice", "-m", MARCH).stdout
    assert not plain.splitlines()[2].startswith("民新议")
    seed.ok("announce", "-m", MARCH, "--number", "民新议〔2022〕1号")
    assert seed.ok("notice", "-m", MARCH).stdout == plain  # another document's number


def test_file_text_in_a_number_is_escaped(seed: Cli) -> None:
    seed.ok("notice", "-m", MARCH, "--number", "<b>1</b> *号*")
    assert under_the_title(seed.ok("notice", "-m", MARCH).stdout) == r"\<b\>1\</b\> \*号\*"
    page = seed.ok("notice", "-m", MARCH, "--format", "html").stdout
    assert "&lt;b&gt;1&lt;/b&gt; *号*</p>" in page and "<b>1</b>" not in page


# --- printed again -----------------------------------------------------------------------------

def test_the_same_document_printed_again_has_the_same_number(seed: Cli) -> None:
    seed.ok("council", "set", "number_pattern", PATTERN)
    first = seed.ok("notice", "-m", MARCH, "--number", "auto").stdout
    kept = snapshot(seed.folder)
    for args in ([], ["--number", "auto"], ["--number", "自动"],
                 ["--number", "民新议〔2022〕1号"]):
        again = seed.ok("notice", "-m", MARCH, *args)
        assert again.stdout == first and again.stderr == ""
    assert snapshot(seed.folder) == kept  # nothing written, no undo step
    assert under_the_title(first) == "民新议〔2022〕1号"


def test_a_different_number_is_refused_unless_renumber(seed: Cli) -> None:
    seed.ok("notice", "-m", MARCH, "--number", "民新议〔2022〕1号")
    seed.refused("notice", "-m", MARCH, "--number", "民新议〔2022〕2号", because="numbers.kept",
                 document_key="numbers.document.notice", number="民新议〔2022〕1号")
    seed.ok("notice", "-m", MARCH, "--number", "民新议〔2022〕2号", "--renumber")
    assert numbered(seed, MARCH, "notice_number") == "民新议〔2022〕2号"
    # a renumbered document of a closed meeting leaves no correction and check is content
    assert seed.meeting(MARCH).correction == []
    seed.ok("check")
    seed.ok("council", "set", "number_pattern", PATTERN)
    seed.ok("notice", "-m", MARCH, "--number", "auto", "--renumber")
    assert numbered(seed, MARCH, "notice_number") == "民新议〔2022〕3号"  # after its own 2号


def test_renumber_needs_a_number(seed: Cli) -> None:
    seed.refused("notice", "-m", MARCH, "--renumber", because="documents.renumber_needs_number")
    seed.refused("announce", "-m", MARCH, "--renumber",
                 because="documents.renumber_needs_number")


# --- auto: the council's pattern, the year of the document, the next number ----------------------

def test_auto_numbers_run_across_the_councils_meetings_and_documents(seed: Cli) -> None:
    seed.ok("council", "set", "number_pattern", PATTERN)
    given = []
    for args in (["notice", "-m", MARCH], ["notice", "-m", APRIL], ["announce", "-m", APRIL],
                 ["notice", "--results", "-m", MARCH]):
        given.append(under_the_title(seed.ok(*args, "--number", "auto").stdout))
    assert given == [f"民新议〔2022〕{n}号" for n in (1, 2, 3, 4)]
    april = seed.meeting(APRIL)
    assert april.notice_number == "民新议〔2022〕2号"
    assert april.announce_number == "民新议〔2022〕3号"
    assert seed.meeting(MARCH).results_number == "民新议〔2022〕4号"


def test_the_year_is_the_documents_and_each_year_starts_at_one(seed: Cli) -> None:
    seed.ok("council", "set", "number_pattern", PATTERN)
    seed.ok("notice", "-m", MARCH, "--number", "auto")
    # the results of April's meeting, posted the next January: a number of 2023
    posted = seed.ok("notice", "--results", "-m", APRIL, "--from", "2023-01-05",
                     "--number", "auto").stdout
    assert under_the_title(posted) == "民新议〔2023〕1号"
    issued = seed.ok("announce", "-m", APRIL, "--issued", "2022-04-01", "--number", "auto")
    assert under_the_title(issued.stdout) == "民新议〔2022〕2号"


def test_numbers_typed_in_the_pattern_join_its_series(seed: Cli) -> None:
    seed.ok("council", "set", "number_pattern", PATTERN)
    seed.ok("notice", "-m", MARCH, "--number", "民新议〔2022〕5号")
    seed.ok("announce", "-m", MARCH, "--number", "民新议〔2021〕9号")  # another year
    seed.ok("announce", "-m", APRIL, "--number", "街道〔2022〕8号")  # another pattern
    seed.ok("notice", "-m", APRIL, "--number", "auto")
    assert numbered(seed, APRIL, "notice_number") == "民新议〔2022〕6号"


def test_a_number_another_document_has_is_refused(seed: Cli) -> None:
    seed.ok("notice", "-m", MARCH, "--number", "民新议〔2022〕1号")
    seed.refused("notice", "-m", APRIL, "--number", "民新议〔2022〕1号", because="numbers.taken",
                 number="民新议〔2022〕1号", id=MARCH, document_key="numbers.document.notice")
    seed.refused("announce", "-m", MARCH, "--number", " 民新议〔2022〕1号 ",
                 because="numbers.taken", number="民新议〔2022〕1号", id=MARCH,
                 document_key="numbers.document.notice")


def test_two_commands_at_once_never_give_the_same_number(run: Cli) -> None:
    """Every number is given under council.toml's lock: eight meeting notices numbered at
    the same moment, by eight threads each with its own locks, get eight numbers."""
    run.ok("council", "set", "number_pattern", PATTERN)
    ids = []
    for day in range(1, 9):
        run.ok("new", f"第{day}次议事会", "--date", f"2024-06-{day:02d}")
        ids.append(f"2024-06-{day:02d}")
    start = threading.Barrier(len(ids))
    given: dict[str, str] = {}
    failed: list[BaseException] = []

    def number(meeting_id: str) -> None:
        try:
            start.wait()
            given[meeting_id] = give_number(DataFolder(run.folder), meeting_id, "announce",
                                            "auto", year=2024).number
        except BaseException as error:  # reported below
            failed.append(error)

    threads = [threading.Thread(target=number, args=(m,)) for m in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failed == []
    assert len(given) == 8 and set(given.values()) == {
        f"民新议〔2024〕{n}号" for n in range(1, 9)}
    assert {m: run.meeting(m).announce_number for m in ids} == given


# --- undo ---------------------------------------------------------------------------------------

def test_undo_takes_a_number_back_and_the_next_auto_gives_it_again(seed: Cli) -> None:
    seed.ok("council", "set", "number_pattern", PATTERN)
    before = seed.meeting_bytes(MARCH)
    seed.ok("notice", "-m", MARCH, "--number", "auto")
    assert seed.meeting_bytes(MARCH) != before
    seed.ok("undo")
    assert seed.meeting_bytes(MARCH) == before
    assert "民新议" not in seed.ok("notice", "-m", MARCH).stdout
    seed.ok("notice", "-m", MARCH, "--number", "auto")
    assert numbered(seed, MARCH, "notice_number") == "民新议〔2022〕1号"


# --- the council's pattern ---------------------------------------------------------------

def test_the_pattern_is_set_shown_written_and_unset(run: Cli) -> None:
    done = run.ok("council", "set", "number-pattern", PATTERN)
    assert PATTERN in done.stdout
    assert f'number_pattern = "{PATTERN}"\n' in (run.folder / "council.toml").read_text("utf-8")
    assert run.council().number_pattern == PATTERN
    assert PATTERN in run.ok("council", "show").stdout
    textconv = run.ok("textconv", str(run.folder / "council.toml")).stdout
    assert f"{t('council.key.number_pattern')}：{PATTERN}" in textconv
    run.ok("council", "unset", "number_pattern")
    assert run.council().number_pattern is None


@pytest.mark.parametrize("pattern", ["民新议{n}号", "民新议〔{year}〕号", "〔{year}〕{n}号{n}",
                                     "〔{year}〕{year}{n}号", "〔{year}〕{n}号{x}", "{year}{n}}",
                                     "{{year}}{n}"])
def test_a_bad_pattern_is_refused(run: Cli, pattern: str) -> None:
    run.refused("council", "set", "number_pattern", pattern, because="numbers.bad_pattern",
                year="{year}", n="{n}")


def test_a_bad_pattern_written_by_hand_is_a_problem_of_the_council_file(seed: Cli) -> None:
    council = seed.folder / "council.toml"
    text = council.read_text("utf-8")
    named = 'name = "幸福里社区居民议事会"\n'
    council.write_text(text.replace(named, named + 'number_pattern = "民新议{n}号"\n'), "utf-8")
    seed.refused("notice", "-m", MARCH, "--number", "auto", because="numbers.bad_pattern",
                 in_file=True, year="{year}", n="{n}")


def test_auto_without_a_pattern_says_how_to_set_one(seed: Cli) -> None:
    result = seed.refused("notice", "-m", MARCH, "--number", "auto",
                          because="numbers.no_pattern", year="{year}", n="{n}")
    assert "council set number_pattern" in result.stderr


# --- when a number is not given ----------------------------------------------------------------

def test_a_draft_notice_takes_no_number(run: Cli, opened: str) -> None:
    run.ok("council", "set", "number_pattern", PATTERN)
    for args in (["notice"], ["notice", "--results"]):
        kind = "results" if "--results" in args else "notice"
        run.refused(*args, "--number", "auto", because="documents.number_draft",
                    document_key=f"numbers.document.{kind}")
    # the meeting notice goes out before the meeting: it takes one
    given = run.ok("announce", "--number", "auto").stdout
    assert under_the_title(given) == "民新议〔2024〕1号"


def test_a_document_that_cannot_be_delivered_takes_no_number(seed: Cli, tmp_path: Path) -> None:
    seed.ok("council", "set", "number_pattern", PATTERN)
    seed.refused("notice", "-m", MARCH, "--number", "auto", "--format", "docx",
                 because="documents.binary_needs_output", format="docx")
    seed.refused("notice", "-m", MARCH, "--number", "auto", "-o",
                 str(seed.folder / "2022-04-12.toml"), because="store.output_is_data")
    assert numbered(seed, MARCH, "notice_number") is None


def test_a_bad_number_is_refused(seed: Cli) -> None:
    seed.refused("notice", "-m", MARCH, "--number", "一\n二", because="input.bad_text",
                 what_key="what.doc_number", why_key="schema.newline")
    seed.refused("notice", "-m", MARCH, "--number", "  ", because="input.bad_text",
                 what_key="what.doc_number", why_key="schema.empty")


def test_the_number_shows_in_textconv_and_the_trail_does_not_mind(seed: Cli) -> None:
    seed.ok("notice", "-m", MARCH, "--number", "民新议〔2022〕1号")
    lines = seed.ok("textconv", str(seed.meeting_path(MARCH))).stdout
    assert f"{t('textconv.key.notice_number')}：民新议〔2022〕1号" in lines
    assert seed.ok("check").exit_code == 0


def test_the_meeting_file_loads_and_writes_the_numbers_in_canonical_order(seed: Cli) -> None:
    seed.ok("notice", "-m", MARCH, "--number", "甲1号")
    seed.ok("announce", "-m", MARCH, "--number", "甲0号")
    seed.ok("notice", "--results", "-m", MARCH, "--number", "甲2号")
    text = seed.meeting_bytes(MARCH).decode()
    positions = [text.index(f"{key} = ") for key in
                 ("closed_noted" if "closed_noted" in text else "closed", "announce_number",
                  "notice_number", "results_number", "note")]
    assert positions == sorted(positions)
    meeting = fileformat.load_meeting(text.encode(), "x.toml")
    assert fileformat.dump_meeting(meeting) == text


# --- the PDF --------------------------------------------------------------------------------------

@pytest.mark.slow
def test_the_pdf_has_the_number_between_the_title_and_the_text(seed: Cli, tmp_path: Path) -> None:
    system_browser()
    require_cjk_font()
    pdftotext = system_tool("pdftotext", "poppler-utils")
    target = tmp_path / "公示.pdf"
    seed.ok("notice", "-m", MARCH, "--number", "民新议〔2022〕1号", "-o", str(target))
    text = re.sub(r"\s+", "", subprocess.run([pdftotext, str(target), "-"], capture_output=True,
                                             text=True, check=True).stdout)
    title, number, intro = (text.index("决议公示"), text.index("民新议〔2022〕1号"),
                            text.index("幸福里社区居民议事会于"))
    assert title < number < intro

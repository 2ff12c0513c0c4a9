"""The document commands: render a meeting file as Markdown, HTML, Word or PDF; and
`report`, the yearly report of one council or several (render/yearly.py), in the same
formats or as one CSV table.

They are read-only on the data folder: without `-m` they take the open meeting, else the
newest. They render only a file that `check` passes (signed minutes and a posted notice
must not come from a file with broken references or outcomes the rules do not give).
`-o FILE` writes atomically, to the path exactly as given, but never over a file
yiguan keeps in the data folder, whatever link leads there (`store.write_output`).
`--format md|html|docx|pdf` chooses the format; without it the suffix of `-o` does
(`.md .html .docx .pdf`), else Markdown; an `-o` whose suffix names no format the
document offers (`minutes.png`, `公示`) is a usage error (exit 2) listing the suffixes,
unless `--format` says the format (or it is a device or a pipe: `-o /dev/stdout`). Word
and PDF are files, never text for a terminal: they need `-o`. `notice` and `announce`
offer `png` too (`render/to_png.py`): images for a phone, one file or several
(FILE-1.png, FILE-2.png …), so only ever into a file named by `-o`. The renderers in
`yiguan.render` build a document and render it; this module only reads, checks and
writes.

The one write: `notice` and `announce` with `--number TEXT|auto` give the document its
文号 and keep it in the meeting file (`store/numbers.py`), so that it prints the same
number every time after, with or without `--number`.
"""

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..record.model import Meeting
from ..record.schema import valid_text
from ..render.formats import FORMATS, formats_for
from ..store.files import refuse_output_into, write_output
from ..store.folder import DataFolder
from ..text.errors import YiguanError
from ..text.messages import current_language, languages, listed, t
from .common import (
    MeetingOption,
    folder,
    folders,
    notes,
    say,
    stderr_line,
    typed_date,
    warn,
    warn_text,
)

if TYPE_CHECKING:
    from ..render.document import Document
    from ..render.minutes import Confirmed
    from ..rules.deadline import Length, Period


# the languages yiguan speaks (a module text/locale_<code>.py each), as choices for --lang;
# made from that list, like Format below
Language = StrEnum("Language", [(code, code) for code in languages()])  # type: ignore[misc]


# the formats the renderers offer (render.formats.FORMATS), as choices for --format; made
# from that one list, which mypy cannot read members from (it needs a literal)
Format = StrEnum("Format", [(name, name) for name in FORMATS])  # type: ignore[misc]
# and those the notices and the meeting notice offer besides (png)
NoticeFormat = StrEnum("NoticeFormat", [  # type: ignore[misc]
    (entry.name, entry.name) for entry in formats_for("notice", "results", "announce")])


OutputOption = Annotated[
    Path | None,
    typer.Option("-o", "--output", help=t("help.opt.doc_output"), show_default=False,
                 metavar="FILE", dir_okay=False),
]
FormatOption = Annotated[
    Format | None,
    typer.Option("--format", help=t("help.opt.doc_format"), show_default=False,
                 case_sensitive=False),
]
NoticeFormatOption = Annotated[
    NoticeFormat | None,
    typer.Option("--format", help=t("help.opt.doc_format_png"), show_default=False,
                 case_sensitive=False),
]
NumberOption = Annotated[
    str | None,
    typer.Option("--number", help=t("help.opt.doc_number"), show_default=False,
                 metavar="TEXT|auto"),
]
RenumberOption = Annotated[bool, typer.Option("--renumber", help=t("help.opt.renumber"))]
LangOption = Annotated[
    Language | None,
    typer.Option("--lang", help=t("help.opt.doc_lang"), show_default=False,
                 case_sensitive=False),
]


def _load(data: DataFolder, meeting: str | None) -> tuple[str, Meeting]:
    """The meeting to render, refused if `check` finds problems in it."""
    from ..meeting.check import check_meeting, roster_beside

    meeting_id = data.resolve(meeting, write=False)
    record = data.load_meeting(meeting_id)
    path = data.meeting_path(meeting_id)
    problems = check_meeting(record, data.display(path), roster_beside(path))
    errors = [p for p in problems if not p.warning]
    if errors:
        raise YiguanError("documents.has_problems", n=len(errors), first=errors[0].render())
    for problem in problems:  # warnings: the document renders, the secretary is told
        warn_text(problem.render())
    return meeting_id, record


def _public(data: DataFolder, *, required: bool) -> dict[str, Any]:
    """The council's public particulars for a renderer (name, org, notice_place,
    contact) and its own calendar, never the roster: members' phones and notes cannot
    reach a page."""
    if not required and not data.council_path.exists():
        return {"name": None, "org": None, "notice_place": None, "contact": None,
                "calendar": None, "signatures": None}
    council = data.load_council()
    return {"name": council.name, "org": council.org, "notice_place": council.notice_place,
            "contact": council.contact, "calendar": council.calendar,
            "signatures": council.signatures}


def _warn_unknown_years(period: "Period | None") -> None:
    """The library counted a year chinese-calendar does not know without its holidays;
    the secretary hears it once, on stderr."""
    if period is not None and period.unknown_years:
        warn("deadline.unknown_year_workdays" if period.length.workdays
             else "deadline.unknown_year", years=listed(period.unknown_years))


def _notice_length(days: str | None) -> "Length | None":
    """`--days` as the rules' notice_days reads it: `7` calendar days, `7 workdays` or
    `7个工作日` working days (a council that counts working days keeps doing so)."""
    if days is None:
        return None
    from ..rules.deadline import parse_length

    value = days.strip()
    try:
        return parse_length(int(value) if value.isascii() and value.isdigit() else value)
    except YiguanError as error:
        raise typer.BadParameter(error.message(), param_hint="--days") from None


def _language(lang: Language | None) -> str:
    return lang.value if lang is not None else current_language()


def _format(data: DataFolder, fmt: "Format | NoticeFormat | None", output: Path | None,
            kind: str) -> str:
    """The format asked for, else the one the output's suffix names, else Markdown (to the
    screen, a device or a pipe). An output file whose suffix names no format the document
    (`kind`) offers is a usage error: `-o minutes.png` wrote Markdown into a file named
    .png."""
    if fmt is not None:
        return str(fmt.value)
    if output is None:
        return "md"
    from ..render.formats import BY_SUFFIX

    offered = formats_for(kind)
    found = BY_SUFFIX.get(output.suffix.lower())
    if found is not None and found in offered:
        return found.name
    if _is_standard_output(output) or _is_device_or_pipe(output):
        return "md"
    refuse_output_into(output, data.root)  # a file yiguan keeps: refused for that first
    raise typer.BadParameter(t("documents.unknown_suffix", path=str(output), suffixes=listed(
        [suffix for known in offered for suffix in known.suffixes])), param_hint="--output")


def _is_device_or_pipe(path: Path) -> bool:
    """Whether `path` is there and is neither a regular file nor a folder (a FIFO,
    /dev/null, a terminal): what yiguan writes through, in Markdown unless told."""
    import stat

    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _deliverable(data: DataFolder, fmt: str, output: Path | None, preview: bool = False) -> None:
    """Refuse, before any work or write, a document that could not be delivered."""
    from ..render.formats import BY_NAME

    if BY_NAME[fmt].paged and (output is None or _is_standard_output(output)
                               or _is_device_or_pipe(output)):
        raise YiguanError("documents.images_need_file", format=fmt)
    if BY_NAME[fmt].binary and (
            output is None or (_is_standard_output(output) and sys.stdout.isatty())):
        raise YiguanError("documents.binary_needs_output", format=fmt)
    if preview and fmt != "md":
        raise YiguanError("documents.preview_markdown_only")
    if output is not None and not _is_standard_output(output):
        # before a render that can take seconds (PDF); write_output asks again as it writes
        refuse_output_into(output, data.root)


def _deliver(data: DataFolder, doc: "Document", fmt: str, output: Path | None, *,
             preview: bool = False, checked: bool = False) -> None:
    """Render `doc` as `fmt` and write it to `output` (or the screen); `checked` when the
    caller has asked `_deliverable` already (before giving the document its number)."""
    from ..render.formats import BY_NAME, render_document

    if not checked:
        _deliverable(data, fmt, output, preview)
    if BY_NAME[fmt].paged:
        assert output is not None
        _deliver_pages(data, doc, fmt, output)
        return
    payload = render_document(doc, fmt)
    if output is not None:
        if write_output(output, payload, data_root=data.root):
            # a device or a pipe (-o /dev/stdout): the document is the output, the
            # confirmation goes beside it
            stderr_line(t("documents.written", path=str(output)))
        else:
            say("documents.written", path=str(output))
    if preview:
        from . import output as terminal

        terminal.markdown(payload.decode("utf-8"))
    elif output is None:
        sys.stdout.write(payload.decode("utf-8"))


def page_paths(output: Path, count: int) -> list[Path]:
    """The files of a document in `count` images: `output` itself for one, else
    FILE-1.png, FILE-2.png … beside it (FILE.png's name with the page's number)."""
    if count == 1:
        return [output]
    return [output.with_name(f"{output.stem}-{n}{output.suffix}") for n in range(1, count + 1)]


def _deliver_pages(data: DataFolder, doc: "Document", fmt: str, output: Path) -> None:
    """Render `doc` as the images of a paged format and write each to its file, every
    name asked about (never a file yiguan keeps) before the first is written."""
    from ..render.formats import render_pages

    images = render_pages(doc, fmt)
    paths = page_paths(output, len(images))
    for path in paths:
        refuse_output_into(path, data.root)
    for path, image in zip(paths, images, strict=True):
        write_output(path, image, data_root=data.root)
        say("documents.written", path=str(path))


def _is_standard_output(path: Path) -> bool:
    return str(path) in ("/dev/stdout", "/dev/fd/1", "/proc/self/fd/1")


def _number(data: DataFolder, meeting_id: str, record: Meeting, doc: "Document",
            asked: str | None, renumber: bool, output: Path | None) -> None:
    """Put the document's 文号 under its title: the one the meeting file keeps for it, or
    the one `--number` gives it now (kept in the file, and said)."""
    from ..record.numbers import FIELDS
    from ..render.document import typed

    if asked is None:
        number = getattr(record, FIELDS[doc.kind])
    else:
        if doc.kind != "announce" and record.status != "closed":
            raise YiguanError("documents.number_draft",
                              document_key=f"numbers.document.{doc.kind}")
        from ..store.numbers import give_number

        given = give_number(data, meeting_id, doc.kind, asked, year=int(doc.date[:4]),
                            renumber=renumber)
        number = given.number
        if given.saved:
            said = t("documents.number_given", document_key=f"numbers.document.{doc.kind}",
                     number=number, path=data.display(data.meeting_path(meeting_id)))
            # beside the document when the document is the output
            if output is None or _is_standard_output(output) or _is_device_or_pipe(output):
                stderr_line(said)
            else:
                print(said)
        notes(given.notes)
    if number is not None:
        doc.number = typed(number)


def minutes(
    ctx: typer.Context,
    meeting: MeetingOption = None,
    output: OutputOption = None,
    fmt: FormatOption = None,
    lang: LangOption = None,
    preview: Annotated[bool, typer.Option("--preview", help=t("help.opt.preview"))] = False,
) -> None:
    """Render the minutes (Markdown, print HTML, Word or PDF)."""
    from ..render.minutes import minutes_document

    data = folder(ctx)
    chosen = _format(data, fmt, output, "minutes")
    meeting_id, record = _load(data, meeting)
    public = _public(data, required=False)
    images = None
    if chosen != "md":  # the printed formats show the photos attached
        from ..store.attachments import images as photos

        images = photos(data.root, record)
    doc = minutes_document(record, source=data.meeting_path(meeting_id).name,
                           council=public["name"], org=public["org"], lang=_language(lang),
                           signatures=public["signatures"], images=images,
                           confirmed=_confirmed(data, meeting_id, record))
    _deliver(data, doc, chosen, output, preview=preview)


def _confirmed(data: DataFolder, meeting_id: str, record: Meeting) -> "Confirmed | None":
    """The later meeting that confirmed a closed meeting's minutes (纪要确认), if any."""
    if record.status != "closed":
        return None
    import datetime as dt

    from ..render.minutes import Confirmed
    from ..store.index import confirmed_by

    found = confirmed_by(data).get(meeting_id)
    return Confirmed(dt.date.fromisoformat(found.date), found.title) if found else None


def notice(
    ctx: typer.Context,
    meeting: MeetingOption = None,
    output: OutputOption = None,
    fmt: NoticeFormatOption = None,
    days: Annotated[str | None, typer.Option("--days", help=t("help.opt.notice_days"),
                                             metavar="N",
                                             show_default=False)] = None,
    start: Annotated[str | None, typer.Option("--from", help=t("help.opt.notice_from"),
                                              metavar="DATE",
                                              show_default=False)] = None,
    contact: Annotated[str | None, typer.Option("--contact", help=t("help.opt.notice_contact"),
                                                show_default=False)] = None,
    results: Annotated[bool, typer.Option("--results", help=t("help.opt.results"))] = False,
    agenda: Annotated[bool, typer.Option("--agenda", help=t("help.opt.agenda_notice"))] = False,
    lang: LangOption = None,
    number: NumberOption = None,
    renumber: RenumberOption = False,
) -> None:
    """Render the public notice of the resolutions, or of their results (--results)."""
    from ..render.notice import notice_document, results_document

    if agenda:
        if renumber:  # no number to give again: the 议题公示 takes none
            raise YiguanError("documents.agenda_no_number")
        _agenda_notice(ctx, meeting, output, fmt, days, start, contact, results, lang, number)
        return
    if renumber and number is None:
        raise YiguanError("documents.renumber_needs_number")
    length = _notice_length(days)
    start_day = typed_date(start) if start is not None else None
    if results and length is not None and start_day is None:
        raise YiguanError("documents.results_days_need_from")
    if results and contact is not None:
        raise YiguanError("documents.results_no_contact")
    if contact is not None:
        contact = valid_text(contact.strip(), "line", "contact")
    data = folder(ctx)
    chosen = _format(data, fmt, output, "results" if results else "notice")
    meeting_id, record = _load(data, meeting)
    public = _public(data, required=True)
    assert public["name"] is not None
    source = data.meeting_path(meeting_id).name
    calendar = public["calendar"]  # the council's own holidays (民法典 art. 203)
    if results:
        doc = results_document(record, council=public["name"], source=source,
                               lang=_language(lang), days=length, start=start_day,
                               org=public["org"], place=public["notice_place"],
                               phone=public["contact"], calendar=calendar)
    else:
        doc = notice_document(record, council=public["name"], source=source,
                              lang=_language(lang), days=length, start=start_day,
                              contact=contact, org=public["org"],
                              place=public["notice_place"], phone=public["contact"],
                              calendar=calendar)
    _deliverable(data, chosen, output)
    _number(data, meeting_id, record, doc, number, renumber, output)
    _warn_unknown_years(doc.period)
    _deliver(data, doc, chosen, output, checked=True)


def _agenda_notice(ctx: typer.Context, meeting: str | None, output: Path | None,
                   fmt: "Format | NoticeFormat | None", days: str | None, start: str | None,
                   contact: str | None, results: bool, lang: "Language | None",
                   number: str | None) -> None:
    """`notice --agenda`: 议题公示, the coming meeting's items and where each came from
    (no resident's name), in every format the other notices have."""
    from ..render.agenda_notice import agenda_notice_document

    if results:
        raise YiguanError("documents.agenda_with_results")
    if days is not None:
        raise YiguanError("documents.agenda_no_days")
    if number is not None:
        raise YiguanError("documents.agenda_no_number")
    start_day = typed_date(start) if start is not None else None
    if contact is not None:
        contact = valid_text(contact.strip(), "line", "contact")
    data = folder(ctx)
    chosen = _format(data, fmt, output, "agenda")
    meeting_id, record = _load(data, meeting)
    if start_day is not None and start_day > record.date:  # a 会前公示 after the meeting
        raise YiguanError("documents.agenda_from_after", start=start_day.isoformat(),
                          date=record.date.isoformat())
    public = _public(data, required=True)
    assert public["name"] is not None
    doc = agenda_notice_document(record, council=public["name"],
                                 source=data.meeting_path(meeting_id).name,
                                 lang=_language(lang), start=start_day, contact=contact,
                                 org=public["org"], place=public["notice_place"],
                                 phone=public["contact"])
    _deliver(data, doc, chosen, output)


def announce(
    ctx: typer.Context,
    meeting: MeetingOption = None,
    output: OutputOption = None,
    fmt: NoticeFormatOption = None,
    issued: Annotated[str | None, typer.Option("--issued", help=t("help.opt.issued"),
                                               metavar="DATE",
                                               show_default=False)] = None,
    lang: LangOption = None,
    number: NumberOption = None,
    renumber: RenumberOption = False,
) -> None:
    """Render the meeting notice (who, when, where, what) with a receipt table."""
    from ..render.paper import announce_document

    if renumber and number is None:
        raise YiguanError("documents.renumber_needs_number")
    issued_day = typed_date(issued) if issued is not None else None
    data = folder(ctx)
    chosen = _format(data, fmt, output, "announce")
    meeting_id, record = _load(data, meeting)
    public = _public(data, required=True)
    assert public["name"] is not None
    doc = announce_document(record, council=public["name"], lang=_language(lang),
                            org=public["org"], contact=public["contact"], issued=issued_day)
    _deliverable(data, chosen, output)
    _number(data, meeting_id, record, doc, number, renumber, output)
    _deliver(data, doc, chosen, output, checked=True)


def sign_sheet(
    ctx: typer.Context,
    meeting: MeetingOption = None,
    output: OutputOption = None,
    fmt: FormatOption = None,
    lang: LangOption = None,
) -> None:
    """Render the sign-in sheet that attendees sign by hand."""
    from ..render.paper import sign_sheet_document

    data = folder(ctx)
    chosen = _format(data, fmt, output, "sign-sheet")
    _, record = _load(data, meeting)
    public = _public(data, required=True)
    assert public["name"] is not None
    _deliver(data, sign_sheet_document(record, council=public["name"], lang=_language(lang)),
             chosen, output)


# --- the yearly report --------------------------------------------------------------------
# `report`: the 年度议事工作报告 of the data folder's council, or of several (`--council DIR`
# repeated), as a document in the formats above, chosen the same way, or as one CSV table
# a street office sums across councils (render/yearly.py counts and builds).

CSV_SUFFIX = ".csv"


def _report_councils(paths: list[Path]) -> list[DataFolder]:
    """`--council` as `site` reads it (`council_folders`): a council's data folder, or a
    street office's folder whose subfolders are councils; a folder named twice (or
    inside a street office's folder also named) counts once."""
    from ..site.build import council_folders

    found = [path for path in paths if not path.is_dir()]
    if found:
        raise YiguanError("yearly.no_council", path=str(found[0]))
    return [DataFolder(path) for path in council_folders(paths)]


def _once(chosen: list[DataFolder]) -> list[DataFolder]:
    """The `--dir` folders in the order given, each once (by where it really is)."""
    seen: set[Path] = set()
    unique = []
    for data in chosen:
        where = data.root.resolve()
        if where not in seen:
            seen.add(where)
            unique.append(data)
    return unique


class ReportFormat(StrEnum):
    md = "md"
    html = "html"
    docx = "docx"
    pdf = "pdf"
    csv = "csv"


def _report_format(data: DataFolder, fmt: ReportFormat | None, output: Path | None) -> str:
    """--format, else `-o`'s suffix (.csv too), else Markdown; a suffix that names no
    format is refused as the other documents refuse it (exit 2)."""
    if fmt is not None:
        return fmt.value
    if output is not None and output.suffix.lower() == CSV_SUFFIX:
        return "csv"
    return _format(data, None, output, "report")


def report(
    ctx: typer.Context,
    year: Annotated[int, typer.Option("--year", help=t("help.opt.report_year"),
                                      metavar="YYYY", show_default=False)],
    council: Annotated[list[Path] | None, typer.Option(
        "--council", help=t("help.opt.report_council"), metavar="DIR",
        show_default=False, file_okay=False)] = None,
    output: OutputOption = None,
    fmt: Annotated[ReportFormat | None, typer.Option(
        "--format", help=t("help.opt.report_format"), show_default=False,
        case_sensitive=False)] = None,
    lang: LangOption = None,
) -> None:
    """Make the yearly report of one council or several (document or CSV)."""
    from ..render import yearly
    from . import common

    today = common.now().date()
    if not yearly.FIRST_YEAR <= year <= today.year:
        raise YiguanError("yearly.bad_year", year=year, first=yearly.FIRST_YEAR,
                          last=today.year)
    chosen_folders = _report_councils(council) if council else _once(folders(ctx))
    first = chosen_folders[0]
    chosen = _report_format(first, fmt, output)
    language = _language(lang)
    for data in chosen_folders:
        if not data.council_path.exists():
            raise YiguanError("yearly.no_council", path=str(data.root))
        if output is not None:  # -o never over a file any of the councils keeps
            refuse_output_into(output, data.root)
    figures = [yearly.figures(data, year, today) for data in chosen_folders]
    if chosen == "csv":
        payload = yearly.csv_text(figures, language).encode("utf-8")
        if output is None:
            sys.stdout.write(payload.decode("utf-8"))
            return
        refuse_output_into(output, first.root)
        if write_output(output, payload, data_root=first.root):
            stderr_line(t("documents.written", path=str(output)))
        else:
            say("documents.written", path=str(output))
        return
    doc = yearly.yearly_document(figures, lang=language, year=year, today=today)
    _deliver(first, doc, chosen, output)


COMMANDS = {"minutes": minutes, "notice": notice, "announce": announce,
            "sign-sheet": sign_sheet, "report": report}
GROUPS: dict[str, object] = {}

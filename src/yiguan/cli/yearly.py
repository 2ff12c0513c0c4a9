"""`report`: the yearly report (年度议事工作报告) of the data folder's council, or of
several (`--council DIR` repeated), as a document (Markdown, HTML, Word, PDF: the
formats of the other documents, chosen the same way by `--format` or `-o`'s suffix) or
as one CSV table a street office sums across councils. Read-only; the library
(render/yearly.py) counts and builds, this module only chooses and writes."""

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..store.files import refuse_output_into, write_output
from ..store.folder import DataFolder
from ..text.errors import YiguanError
from ..text.messages import t
from .common import folders, say, stderr_line
from .documents import LangOption, OutputOption, _deliver, _format, _language

CSV_SUFFIX = ".csv"


class Format(StrEnum):
    md = "md"
    html = "html"
    docx = "docx"
    pdf = "pdf"
    csv = "csv"


def _chosen(data: DataFolder, fmt: Format | None, output: Path | None) -> str:
    """--format, else `-o`'s suffix (.csv too), else Markdown; a suffix that names no
    format is refused as the other documents refuse it (exit 2)."""
    if fmt is not None:
        return fmt.value
    if output is not None and output.suffix.lower() == CSV_SUFFIX:
        return "csv"
    return _format(data, None, output)


def report(
    ctx: typer.Context,
    year: Annotated[int, typer.Option("--year", help=t("help.opt.report_year"),
                                      metavar="YYYY", show_default=False)],
    council: Annotated[list[Path] | None, typer.Option(
        "--council", help=t("help.opt.report_council"), metavar="DIR",
        show_default=False, file_okay=False)] = None,
    output: OutputOption = None,
    fmt: Annotated[Format | None, typer.Option(
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
    chosen_folders = [DataFolder(path) for path in council] if council else folders(ctx)
    first = chosen_folders[0]
    chosen = _chosen(first, fmt, output)
    language = _language(lang)
    for data in chosen_folders:
        if not data.council_path.exists():
            raise YiguanError("yearly.no_council", path=str(data.root))
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


COMMANDS = {"report": report}
GROUPS: dict[str, object] = {}

"""`site`: the public site (居务公开) of one council or many, as static pages."""

from pathlib import Path
from typing import Annotated

import typer

from ..text.messages import current_language, t
from . import common
from .common import bulk, folders, say, typed_date, warn_text


def site(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("-o", "--output", help=t("help.opt.site_output"),
                                         metavar="DIR", show_default=False)],
    councils: Annotated[list[Path] | None, typer.Option(
        "--council", help=t("help.opt.council_dir"), metavar="DIR", show_default=False)] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help=t("help.opt.as_of"),
                                              metavar="DATE", show_default=False)] = None,
) -> None:
    """Build the public site of one council or many."""
    from ..site.build import build_site

    day = typed_date(as_of) if as_of else common.now().date()  # read at run time: tests set it
    paths = list(councils) if councils else [folder.root for folder in folders(ctx)]
    try:
        with bulk():
            built = build_site(paths, output, as_of=day, lang=current_language())
    except KeyboardInterrupt:  # Ctrl-C: one line, no traceback; the next build completes it
        common.stderr_line(t("site.interrupted"))
        raise typer.Exit(130) from None
    for council, meeting_id, problem in built.skipped[:5]:
        warn_text(problem or f"{council}/{meeting_id}")
    for words in built.warnings:
        warn_text(words)
    say("site.built", path=str(output), councils=built.councils, meetings=built.meetings,
        written=built.written, unchanged=built.unchanged, removed=built.removed)


COMMANDS = {"site": site}
GROUPS: dict[str, object] = {}

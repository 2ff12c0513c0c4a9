"""`topic add/list/reject/merge`: the council's pool of residents' topics (议题征集).

The steps are `yiguan.meeting.topics`; the file is topics.toml, written through the store
(`DataFolder.edit_topics`: locked, atomic, undoable).
"""

import json
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer

from ..text.messages import t
from . import common
from .common import folder, read_text_argument, report, typed_date


class ListFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


TopicArgument = Annotated[str, typer.Argument(help=t("help.arg.topic"), show_default=False,
                                               metavar="T")]


def topic_add(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help=t("help.arg.topic_text"), show_default=False)],
    by: Annotated[str | None, typer.Option("--from", help=t("help.opt.topic_from"),
                                           show_default=False, metavar="NAME")] = None,
    via: Annotated[str | None, typer.Option("--via", help=t("help.opt.topic_via"),
                                            show_default=False)] = None,
    date: Annotated[str | None, typer.Option("--date", help=t("help.opt.topic_date"),
                                             show_default=False)] = None,
) -> None:
    """Add a resident's topic to the council's pool."""
    from ..meeting import topics

    data = folder(ctx)
    how = topics.parse_via(via) if via is not None else None
    today = common.now().date()  # read at run time: tests set the clock
    day = typed_date(date) if date is not None else today
    body = read_text_argument(text)
    council = data.load_council() if data.council_path.exists() else None
    with data.edit_topics() as change:
        said = topics.add_topic(change.value, body, by, how, day, council, today=today)
    report(said, change.notes)


def topic_reject(
    ctx: typer.Context,
    topic: TopicArgument,
    reason: Annotated[str, typer.Option("--reason", help=t("help.opt.topic_reason"),
                                        show_default=False)],
) -> None:
    """Decline a topic (不予列入), with the reason."""
    from ..meeting import topics

    data = folder(ctx)
    listed = topics.listings(data)
    with data.edit_topics() as change:
        said = topics.reject_topic(change.value, topic, reason, listed)
    report(said, change.notes)


def topic_merge(
    ctx: typer.Context,
    topic: TopicArgument,
    into: Annotated[str, typer.Option("--into", help=t("help.opt.topic_into"),
                                      show_default=False, metavar="T")],
) -> None:
    """Merge a topic into another (the same wish raised twice)."""
    from ..meeting import topics

    data = folder(ctx)
    listed = topics.listings(data)
    with data.edit_topics() as change:
        said = topics.merge_topic(change.value, topic, into, listed)
    report(said, change.notes)


def topic_list(
    ctx: typer.Context,
    only_open: Annotated[bool, typer.Option("--open", help=t("help.opt.topic_open"))] = False,
    fmt: Annotated[ListFormat, typer.Option("--format", help=t("help.opt.topic_format"))]
    = ListFormat.table,
) -> None:
    """List the council's topics and where each stands."""
    from ..meeting import topics

    data = folder(ctx)
    pool = data.load_topics()
    listed = topics.listings(data, pool)
    shown = [topic for topic in pool.topic if not only_open
             or (topic.status == "open" and topic.id not in listed)]
    rows = [_row(topic, listed.get(topic.id)) for topic in shown]
    if fmt is ListFormat.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    columns = ["id", "date", "text", "from", "via", "state"]
    if fmt is ListFormat.csv:
        from ..render.reports import csv_cell

        lines = [",".join(csv_cell(t(f"topics.col.{c}")) for c in columns)]
        lines += [",".join(csv_cell(_cell(row, c)) for c in columns) for row in rows]
        sys.stdout.write("\ufeff" + "\r\n".join(lines) + "\r\n")
        return
    from . import output

    output.table(t("topics.title"), [t(f"topics.col.{c}") for c in columns],
                 [[_cell(row, c) or "-" for c in columns] for row in rows],
                 empty=t("topics.none"))


def _row(topic: Any, listing: Any) -> dict[str, Any]:
    """One topic as the JSON gives it (codes, not words) and the table words it."""
    return {"id": topic.id, "text": topic.text, "from": topic.by, "via": topic.via,
            "date": topic.date.isoformat(), "status": topic.status, "reason": topic.reason,
            "into": topic.into, "meeting": listing.meeting if listing else None,
            "item": listing.item if listing else None,
            "outcome": listing.outcome if listing else None}


def _cell(row: dict[str, Any], column: str) -> str:
    if column == "from":
        return row["from"] or t("topics.anonymous")
    if column == "via":
        return t(f"topics.via.{row['via']}") if row["via"] else ""
    if column == "state":
        return _state(row)
    return str(row[column])


def _state(row: dict[str, Any]) -> str:
    """Where a topic stands, in words: 待议, 不予列入（reason）, 已合并至 T1, 已列入
    2024-05-10 议题2, then what came of it."""
    if row["status"] == "rejected":
        return t("topics.state.rejected", reason=row["reason"] or "")
    if row["status"] == "merged":
        return t("topics.state.merged", into=row["into"] or "")
    if row["meeting"] is None:
        return t("topics.state.open")
    listed = t("topics.state.listed", meeting=row["meeting"], n=row["item"])
    if row["outcome"] is None:
        return listed
    return t("topics.state.decided", listed=listed, outcome_key=f"status.{row['outcome']}")


def _topic_app() -> typer.Typer:
    from . import guarded

    app = typer.Typer(no_args_is_help=True, help=t("help.topic"))
    app.command("add", help=t("help.topic.add"))(guarded(topic_add))
    app.command("list", help=t("help.topic.list"))(guarded(topic_list))
    app.command("reject", help=t("help.topic.reject"))(guarded(topic_reject))
    app.command("merge", help=t("help.topic.merge"))(guarded(topic_merge))
    return app


COMMANDS: dict[str, Any] = {}
GROUPS = {"topic": _topic_app}

"""The yearly report (年度议事工作报告) of one council or several: the year's figures
(`figures`), the document built from them (`yearly_document`) and the one CSV table a
street office sums across councils (`csv_text`).

The figures are counted from the meeting files, as the other reports count them:

- a meeting is **held** in the year when its date is in the year and it opened (a
  planned meeting was not held), as `attendance` counts meetings;
- **attendance** is the `attendance` command's (store/index.summarize): over the roster
  snapshot of each meeting, 应到 = members on it, 实到 = those who signed in, 请假 =
  excused and did not come, 缺席 = the rest; the rate is 实到 ÷ 应到, 请假 lowering it
  (render/reports.attendance_rows says why). Counts only: no absent member is named;
- **motions** by their status as the ledger and the rules engine word them
  (status.adopted 通过, rejected 未通过, postponed 搁置, withdrawn 撤回; pending while a
  meeting is open); the **resolutions** are the ledger's (Meeting.resolutions);
- **follow-up** (the actions of the year's meetings, follow-up added after the close
  included) as of `as_of`: the year's last day, or the day of the report if that is
  earlier (a report of the current year). Done on time: marked done (`done_on`) by
  `as_of` and by its due day, or with no due day; done late: after its due day; done
  with no day recorded (files written before `done_on` existed) are counted apart;
  open: not done by `as_of` (done later counts as open then), overdue when its due day
  is before `as_of`.

Topics (issue 23: the topics pool and the residents' evaluation) have a seam here:
`topic_figures` returns None until it is wired to `meetings/topics.toml`; a council
whose figures have `topics` None gets no topics section, and the CSV no topic columns.

No Typer, no clock (the caller gives `today`), the same files give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import __version__
from ..text.messages import locale
from .charts import Chart, Series
from .document import (
    ChartBlock,
    Document,
    Heading,
    Inline,
    Paragraph,
    Table,
    phrase,
    typed,
    words,
)
from .facts import percent

if TYPE_CHECKING:
    from ..record.model import Meeting
    from ..store.folder import DataFolder

MOTION_STATES = ("adopted", "rejected", "postponed", "withdrawn", "pending")
FOLLOW_UP_STATES = ("on_time", "late", "done_undated", "open", "overdue")
FIRST_YEAR = 1949  # the earliest year a report is made for


@dataclass(frozen=True)
class MeetingFigures:
    """One meeting held: its attendance as counts (应到, 实到, 请假, 缺席)."""

    id: str
    date: str
    title: str
    expected: int
    attended: int
    excused: int

    @property
    def absent(self) -> int:
        return self.expected - self.attended - self.excused


@dataclass(frozen=True)
class ResolutionLine:
    """One resolution adopted in the year: the follow-up `state` is a key of
    `yearly.resolution_state.*` (none, done, open, overdue)."""

    date: str
    item: str | None
    text: str
    owners: tuple[str, ...]
    state: str


@dataclass(frozen=True)
class TopicFigures:
    """The seam for issue 23: topics received in the year and their fate, in the
    reader's words, and the residents' evaluation of the resolutions. `outcomes` and
    `evaluation` are (label, count) in the order to print; `evaluation` empty when
    nobody evaluated."""

    received: int
    outcomes: tuple[tuple[str, int], ...]
    evaluation: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Figures:
    """One council's year."""

    council: str
    year: int
    as_of: dt.date
    meetings: tuple[MeetingFigures, ...]
    motions: dict[str, int]  # MOTION_STATES → count
    follow_up: dict[str, int]  # FOLLOW_UP_STATES → count
    resolutions: tuple[ResolutionLine, ...]
    topics: TopicFigures | None = None

    @property
    def expected(self) -> int:
        return sum(m.expected for m in self.meetings)

    @property
    def attended(self) -> int:
        return sum(m.attended for m in self.meetings)

    @property
    def excused(self) -> int:
        return sum(m.excused for m in self.meetings)

    @property
    def absent(self) -> int:
        return sum(m.absent for m in self.meetings)

    def per_month(self) -> tuple[int, ...]:
        """Resolutions adopted in each month, January first."""
        months = Counter(int(line.date[5:7]) for line in self.resolutions)
        return tuple(months[number] for number in range(1, 13))


def as_of(year: int, today: dt.date) -> dt.date:
    """The day the follow-up is counted on: the year's last, or today if earlier."""
    return min(dt.date(year, 12, 31), today)


def topic_figures(folder: DataFolder, year: int) -> TopicFigures | None:
    """The year's topics and their fate, and the residents' evaluation: None while the
    folder has no topics pool (issue 23 wires `meetings/topics.toml` here)."""
    return None


def figures(folder: DataFolder, year: int, today: dt.date) -> Figures:
    """The council's figures for `year`, follow-up counted as of `as_of(year, today)`."""
    from ..store.index import council_label

    meetings = []
    for meeting_id in folder.meeting_ids():
        meeting = folder.load_meeting(meeting_id)
        if meeting.date.year == year and meeting.status != "planned":
            meetings.append((meeting_id, meeting))
    meetings.sort(key=lambda pair: (pair[1].date.isoformat(), pair[0]))
    return count(council_label(folder), year, as_of(year, today), meetings,
                 topic_figures(folder, year))


def count(council: str, year: int, day: dt.date, meetings: Iterable[tuple[str, Meeting]],
          topics: TopicFigures | None = None) -> Figures:
    """The figures of the meetings held (in date order), as of `day`."""
    from ..store.index import summarize

    held: list[MeetingFigures] = []
    motions = dict.fromkeys(MOTION_STATES, 0)
    follow_up = dict.fromkeys(FOLLOW_UP_STATES, 0)
    resolutions: list[ResolutionLine] = []
    for meeting_id, meeting in meetings:
        members, came, excused, _, _ = summarize(meeting_id, meeting)["attendance"]
        held.append(MeetingFigures(meeting_id, meeting.date.isoformat(), meeting.title,
                                   len(members), len(came), len(excused)))
        for motion in meeting.motion:
            motions[motion.status] += 1
        states = {}
        for action in meeting.action:
            state = follow_up_state(action.due, action.done, action.done_on, day)
            follow_up[state] += 1
            states[action.id] = state
        titles = {item.id: item.title for item in meeting.item}
        for _, motion, _ in meeting.resolutions():
            linked = [a for a in meeting.action if a.motion == motion.id]
            resolutions.append(ResolutionLine(
                meeting.date.isoformat(),
                titles.get(motion.item) if motion.item is not None else None,
                motion.text, tuple(dict.fromkeys(a.owner for a in linked)),
                resolution_state([states[a.id] for a in linked])))
    return Figures(council, year, day, tuple(held), motions, follow_up, tuple(resolutions),
                   topics)


def follow_up_state(due: dt.date | None, done: bool, done_on: dt.date | None,
                    day: dt.date) -> str:
    """An action's state on `day` (FOLLOW_UP_STATES)."""
    if done and done_on is None:
        return "done_undated"
    if done and done_on is not None and done_on <= day:
        return "late" if due is not None and done_on > due else "on_time"
    return "overdue" if due is not None and due < day else "open"


def resolution_state(states: list[str]) -> str:
    """A resolution's follow-up in one word: none, overdue (any), open (any), done."""
    if not states:
        return "none"
    if "overdue" in states:
        return "overdue"
    if "open" in states:
        return "open"
    return "done"


# --- the document -----------------------------------------------------------------------

def yearly_document(councils: list[Figures], *, lang: str, year: int, today: dt.date,
                    version: str = __version__) -> Document:
    """The 年度议事工作报告 of one council, or of several: a part per council (its own
    name over it, names never mixed) after a table of the totals."""
    loc = locale(lang)
    day = as_of(year, today)
    if len(councils) == 1:
        title = phrase("yearly.title", lang, council=typed(councils[0].council), year=year)
    else:
        title = phrase("yearly.title_many", lang, year=year)
    doc = Document("report", lang, title, day.isoformat())
    doc.add(Paragraph(phrase("yearly.scope", lang, year=year,
                             as_of=loc.date_words(day))))
    if len(councils) == 1:
        _council(doc, councils[0], level=2)
    else:
        doc.add(Heading(2, words(loc.say("yearly.section.totals"))))
        doc.add(_totals(councils, lang))
        for one in councils:
            doc.add(Heading(2, typed(one.council)))
            _council(doc, one, level=3)
    doc.footer = phrase("yearly.footer", lang, version=typed(version))
    return doc


def _council(doc: Document, one: Figures, *, level: int) -> None:
    lang = doc.lang
    loc = locale(lang)

    numbered = [0]

    def heading(key: str) -> None:  # 一、会议召开情况: numbered in the order they come
        numbered[0] += 1
        doc.add(Heading(level, words(loc.say(
            "yearly.numbered", number=loc.number_words(numbered[0]),
            title_key=f"yearly.section.{key}"))))

    heading("meetings")
    if not one.meetings:
        doc.add(Paragraph(phrase("yearly.no_meetings", lang, year=one.year)))
        return
    doc.add(Paragraph(phrase("yearly.meetings_held", lang, year=one.year,
                             n=len(one.meetings))))
    doc.add(Table(tuple(loc.say(f"yearly.col.{key}") for key in (
        "date", "meeting", "expected", "attended", "excused", "absent", "rate")),
        tuple((words(m.date), typed(m.title), words(str(m.expected)),
               words(str(m.attended)), words(str(m.excused)), words(str(m.absent)),
               words(percent(m.attended, m.expected))) for m in one.meetings),
        widths=(19, 31, 8, 8, 8, 8, 12)))

    heading("attendance")
    doc.add(Paragraph(phrase("yearly.attendance", lang, expected=one.expected,
                             attended=one.attended, rate=percent(one.attended, one.expected),
                             excused=one.excused, absent=one.absent)))
    doc.add(Paragraph(words(loc.say("yearly.attendance_note")), kind="note"))
    doc.add(ChartBlock(Chart(
        loc.say("yearly.chart.attendance"), tuple(m.date[5:] for m in one.meetings),
        (Series(loc.say("yearly.col.rate"), tuple(
            round(100 * m.attended / m.expected, 1) if m.expected else 0
            for m in one.meetings)),), unit="%", top=100), loc.say("yearly.col.date")))

    if one.topics is not None:
        _topics(doc, one.topics, heading)

    heading("motions")
    total = sum(one.motions.values())
    doc.add(Paragraph(phrase("yearly.motions", lang, n=total)))
    doc.add(_counts(loc.say("yearly.col.outcome"), tuple(
        (loc.say(f"status.{state}"), one.motions[state]) for state in MOTION_STATES
        if state != "pending" or one.motions[state]), lang))

    heading("resolutions")
    if one.resolutions:
        doc.add(Paragraph(phrase("yearly.resolutions", lang, n=len(one.resolutions))))
        doc.add(Table(tuple(loc.say(f"yearly.col.{key}") for key in (
            "date", "item", "resolution", "owner", "state")),
            tuple((words(r.date), typed(r.item) if r.item else words("-"), typed(r.text),
                   typed(loc.say("list.separator").join(r.owners)) if r.owners
                   else words("-"),
                   words(loc.say(f"yearly.resolution_state.{r.state}")))
                  for r in one.resolutions),
            widths=(19, 17, 34, 15, 15)))
        doc.add(ChartBlock(Chart(
            loc.say("yearly.chart.per_month"),
            tuple(loc.say("yearly.month", number=n) for n in range(1, 13)),
            (Series(loc.say("yearly.series.resolutions"), tuple(one.per_month())),)),
            loc.say("yearly.col.month")))
    else:
        doc.add(Paragraph(phrase("yearly.no_resolutions", lang)))

    heading("follow_up")
    actions = sum(one.follow_up.values())
    doc.add(Paragraph(phrase("yearly.follow_up", lang, n=actions,
                             as_of=loc.date_words(one.as_of))))
    if actions:
        shown = [state for state in FOLLOW_UP_STATES
                 if state != "done_undated" or one.follow_up[state]]
        doc.add(_counts(loc.say("yearly.col.state"), tuple(
            (loc.say(f"yearly.state.{state}"), one.follow_up[state]) for state in shown),
            lang))
        doc.add(ChartBlock(Chart(
            loc.say("yearly.chart.follow_up"),
            tuple(loc.say(f"yearly.state.{state}") for state in shown),
            (Series(loc.say("yearly.series.actions"),
                    tuple(one.follow_up[state] for state in shown)),)),
            loc.say("yearly.col.state")))


def _counts(label: str, rows: tuple[tuple[str, int], ...], lang: str) -> Table:
    """A small table of counts (通过 3 项), kept whole on one page."""
    loc = locale(lang)
    return Table((label, loc.say("yearly.col.count")),
                 tuple((words(name), words(loc.say("yearly.count", n=n))) for name, n in rows),
                 widths=(3, 2), whole=True)


def _topics(doc: Document, topics: TopicFigures, heading: object) -> None:
    """The topics section (issue 23's seam): topics received, their fate, the
    residents' evaluation."""
    loc = locale(doc.lang)
    assert callable(heading)
    heading("topics")
    doc.add(Paragraph(phrase("yearly.topics", doc.lang, n=topics.received)))
    if topics.outcomes:
        doc.add(_counts(loc.say("yearly.col.outcome"), topics.outcomes, doc.lang))
    if topics.evaluation:
        doc.add(Paragraph(words(loc.say("yearly.evaluation")), kind="lead"))
        doc.add(_counts(loc.say("yearly.col.evaluation"), topics.evaluation, doc.lang))


def _totals(councils: list[Figures], lang: str) -> Table:
    """One row per council and a row of totals."""
    loc = locale(lang)
    rows = []
    for one in councils:
        rows.append((typed(one.council), *_total_cells(
            len(one.meetings), one.expected, one.attended, one.excused, one.absent,
            one.motions, one.follow_up)))
    motions = {s: sum(c.motions[s] for c in councils) for s in MOTION_STATES}
    follow = {s: sum(c.follow_up[s] for c in councils) for s in FOLLOW_UP_STATES}
    rows.append((words(loc.say("yearly.total")), *_total_cells(
        sum(len(c.meetings) for c in councils), sum(c.expected for c in councils),
        sum(c.attended for c in councils), sum(c.excused for c in councils),
        sum(c.absent for c in councils), motions, follow)))
    header = (loc.say("yearly.col.council"), loc.say("yearly.col.meetings"),
              loc.say("yearly.col.rate"), loc.say("yearly.col.excused"),
              loc.say("yearly.col.absent"), loc.say("status.adopted"),
              loc.say("status.rejected"), loc.say("yearly.col.done"),
              loc.say("yearly.col.open"), loc.say("yearly.col.overdue"))
    return Table(header, tuple(rows), widths=(18, 8, 11, 8, 8, 8, 9, 10, 10, 10))


def _total_cells(meetings: int, expected: int, attended: int, excused: int, absent: int,
                 motions: dict[str, int], follow: dict[str, int]) -> tuple[Inline, ...]:
    done = follow["on_time"] + follow["late"] + follow["done_undated"]
    return tuple(words(text) for text in (
        str(meetings), percent(attended, expected), str(excused), str(absent),
        str(motions["adopted"]), str(motions["rejected"]), str(done),
        str(follow["open"]), str(follow["overdue"])))


# --- CSV ------------------------------------------------------------------------------------

CSV_KEYS = ("council", "year", "as_of", "meetings", "expected", "attended", "excused",
            "absent", "attendance_rate", "motions", "adopted", "rejected", "postponed",
            "withdrawn", "pending", "resolutions", "actions", "done_on_time", "done_late",
            "done_undated", "open", "open_overdue")
"""The report's CSV columns, in order (docs/exports.md): one row per council, every
figure a count a street office can sum (the rate is attended ÷ expected, to recompute
from the sums)."""


def csv_row(one: Figures) -> tuple[object, ...]:
    """One council's figures in CSV_KEYS order (the rate as a fraction, or None)."""
    f = one.follow_up
    return (one.council, one.year, one.as_of.isoformat(), len(one.meetings), one.expected,
            one.attended, one.excused, one.absent,
            round(one.attended / one.expected, 4) if one.expected else None,
            sum(one.motions.values()), one.motions["adopted"], one.motions["rejected"],
            one.motions["postponed"], one.motions["withdrawn"], one.motions["pending"],
            len(one.resolutions), sum(f.values()), f["on_time"], f["late"],
            f["done_undated"], f["open"], f["overdue"])


def csv_text(councils: list[Figures], lang: str) -> str:
    """The figures as one CSV table, as the other CSV exports are written (render/
    reports.py): UTF-8 with a byte-order mark, CR LF, headers in the interface language,
    the rate a percentage, text guarded against formulas."""
    from .reports import csv_cell, csv_rate

    loc = locale(lang)
    lines = [",".join(csv_cell(loc.say(f"csv.report.{key}")) for key in CSV_KEYS)]
    rate = CSV_KEYS.index("attendance_rate")
    for one in councils:
        cells = [csv_cell(value) for value in csv_row(one)]
        cells[rate] = csv_rate(round(one.attended / one.expected, 4) if one.expected
                               else None)
        lines.append(",".join(cells))
    return "\ufeff" + "\r\n".join(lines) + "\r\n"

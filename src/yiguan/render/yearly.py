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
  is before `as_of`;
- **minutes confirmed**: the year's meetings whose minutes a later meeting confirmed
  (纪要确认, meeting/cycle.confirm), that later meeting held by `as_of`;
- **residents' evaluation** (居民评议) of the year's resolutions: each resolution with its
  latest evaluation dated by `as_of` (as the ledger keeps the latest: an evaluation
  presupposes the work done, which the follow-up counts as of `as_of`), the counts
  summed and the 满意率 worded as the results notice words it
  (rules/words.satisfaction_rate, pleased_rate);
- **topics** (议题征集, only when the folder has a topics pool, `meetings/topics.toml`):
  the topics received in the year by their `date`, by the way they came in, and their
  fate as meeting/topics.listings reads it from the meetings: 已列入 (then what came of
  the item: adopted, rejected, postponed, or not yet decided), else 不予列入, 已合并,
  待议. Rejections and merges carry no day, so the fate is the one the files say on the
  day the report is made, not as of `as_of`: a topic received in the year and put on the
  agenda of a meeting after it counts once, in the year it was received, as 已列入 (the
  document says how many were listed after `as_of`), and never in the later year.
  Counts only: no resident who raised a topic is named, no topic's text is printed.

No Typer, no clock (the caller gives `today`), the same files give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Iterable
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
TOPIC_FATES = ("adopted", "not_adopted", "postponed", "undecided", "declined", "merged",
               "open")
"""A topic's fate: the first four are 已列入 (what came of its item: 通过, 未通过, 搁置,
not yet decided), then 不予列入, 已合并, 待议."""
LISTED_FATES = TOPIC_FATES[:4]
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
    `yearly.resolution_state.*` (none, done, open, overdue); `evaluation` the residents'
    latest by `as_of` (满意, 基本满意, 不满意), None when not evaluated."""

    date: str
    item: str | None
    text: str
    owners: tuple[str, ...]
    state: str
    evaluation: tuple[int, int, int] | None = None


@dataclass(frozen=True)
class TopicFigures:
    """The topics received in the year: how many came in each way (`via`: a value of
    record.kinds.VIAS, or "none" when not recorded, in that order, those with none
    left out), their fate (TOPIC_FATES → count), and how many of the listed ones were
    put on the agenda of a meeting after `as_of` (`listed_later`)."""

    via: tuple[tuple[str, int], ...]
    fate: dict[str, int]
    listed_later: int = 0

    @property
    def received(self) -> int:
        return sum(self.fate.values())

    @property
    def listed(self) -> int:
        return sum(self.fate[fate] for fate in LISTED_FATES)


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
    confirmed: int = 0  # the held meetings whose minutes a later one confirmed by as_of

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

    @property
    def evaluated(self) -> tuple[ResolutionLine, ...]:
        """The resolutions residents evaluated (by `as_of`)."""
        return tuple(line for line in self.resolutions if line.evaluation is not None)

    def evaluation_totals(self) -> tuple[int, int, int]:
        """满意, 基本满意, 不满意 summed over the evaluated resolutions."""
        lines = [line.evaluation for line in self.evaluated if line.evaluation is not None]
        return (sum(e[0] for e in lines), sum(e[1] for e in lines),
                sum(e[2] for e in lines))

    def per_month(self) -> tuple[int, ...]:
        """Resolutions adopted in each month, January first."""
        months = Counter(int(line.date[5:7]) for line in self.resolutions)
        return tuple(months[number] for number in range(1, 13))


def as_of(year: int, today: dt.date) -> dt.date:
    """The day the follow-up is counted on: the year's last, or today if earlier."""
    return min(dt.date(year, 12, 31), today)


def topic_figures(folder: DataFolder, year: int, day: dt.date,
                  meetings: Iterable[tuple[str, Meeting]] | None = None,
                  ) -> TopicFigures | None:
    """The topics received in `year` and their fate (module docstring): None when the
    folder has no topics pool. The fate is meeting/topics.listings's, not counted
    again here (over `meetings`, every meeting of the folder in its order, when the
    caller has loaded them)."""
    from ..meeting.cycle import meeting_order
    from ..meeting.topics import listings
    from ..record.kinds import VIAS

    if not folder.topics_path.exists():
        return None
    pool = folder.load_topics()
    listed = listings(folder, pool, meetings)
    via: Counter[str] = Counter()
    fate = dict.fromkeys(TOPIC_FATES, 0)
    later = 0
    for topic in pool.topic:
        if topic.date.year != year:
            continue
        via[topic.via or "none"] += 1
        listing = listed.get(topic.id)
        if listing is not None:
            fate[{None: "undecided", "adopted": "adopted", "rejected": "not_adopted",
                  "postponed": "postponed"}[listing.outcome]] += 1
            later += meeting_order(listing.meeting)[0] > day.isoformat()
        elif topic.status == "rejected":
            fate["declined"] += 1
        elif topic.status == "merged":
            fate["merged"] += 1
        else:
            fate["open"] += 1
    return TopicFigures(tuple((way, via[way]) for way in (*VIAS, "none") if via[way]),
                        fate, later)


def figures(folder: DataFolder, year: int, today: dt.date) -> Figures:
    """The council's figures for `year`, follow-up counted as of `as_of(year, today)`."""
    from ..meeting.cycle import confirmations
    from ..store.index import council_label

    day = as_of(year, today)
    meetings = []
    every = []
    confirmed: set[str] = set()  # minutes confirmed at a meeting held by `day`
    for meeting_id in folder.meeting_ids():
        meeting = folder.load_meeting(meeting_id)
        every.append((meeting_id, meeting))
        if meeting.date.year == year and meeting.status != "planned":
            meetings.append((meeting_id, meeting))
        if meeting.date <= day:
            confirmed.update(c.meeting for c in confirmations(meeting))
    meetings.sort(key=lambda pair: (pair[1].date.isoformat(), pair[0]))
    return count(council_label(folder), year, day, meetings,
                 topic_figures(folder, year, day, every), confirmed)


def count(council: str, year: int, day: dt.date, meetings: Iterable[tuple[str, Meeting]],
          topics: TopicFigures | None = None,
          confirmed: Collection[str] = ()) -> Figures:
    """The figures of the meetings held (in date order), as of `day`; `confirmed` the
    meetings whose minutes were confirmed by then."""
    from ..meeting.cycle import evaluations_of
    from ..store.index import summarize

    held: list[MeetingFigures] = []
    motions = dict.fromkeys(MOTION_STATES, 0)
    follow_up = dict.fromkeys(FOLLOW_UP_STATES, 0)
    resolutions: list[ResolutionLine] = []
    minutes_confirmed = 0
    for meeting_id, meeting in meetings:
        minutes_confirmed += meeting_id in confirmed
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
            asked = [e for e in evaluations_of(meeting, motion.id) if e.date <= day]
            resolutions.append(ResolutionLine(
                meeting.date.isoformat(),
                titles.get(motion.item) if motion.item is not None else None,
                motion.text, tuple(dict.fromkeys(a.owner for a in linked)),
                resolution_state([states[a.id] for a in linked]),
                (asked[-1].satisfied, asked[-1].basic, asked[-1].unsatisfied) if asked
                else None))
    return Figures(council, year, day, tuple(held), motions, follow_up, tuple(resolutions),
                   topics, minutes_confirmed)


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
        if any(one.topics is not None or one.confirmed or one.evaluated
               for one in councils):
            doc.add(Paragraph(phrase("yearly.cycle_totals", lang)))
            doc.add(_cycle_totals(councils, lang))
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
    doc.add(Paragraph(phrase("yearly.minutes_confirmed", lang, n=one.confirmed,
                             held=len(one.meetings), as_of=loc.date_words(one.as_of))))

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
        heading("topics")
        _topics(doc, one.topics, one.as_of)

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

    if one.evaluated:
        heading("evaluation")
        _evaluation(doc, one)


def _counts(label: str, rows: tuple[tuple[str, int], ...], lang: str) -> Table:
    """A small table of counts (通过 3 项), kept whole on one page."""
    loc = locale(lang)
    return Table((label, loc.say("yearly.col.count")),
                 tuple((words(name), words(loc.say("yearly.count", n=n))) for name, n in rows),
                 widths=(3, 2), whole=True)


def _topics(doc: Document, topics: TopicFigures, day: dt.date) -> None:
    """议题征集与办理: the topics received, by the way they came in, and their fate."""
    lang = doc.lang
    loc = locale(lang)
    if not topics.received:
        doc.add(Paragraph(phrase("yearly.no_topics", lang)))
        return
    doc.add(Paragraph(phrase("yearly.topics", lang, n=topics.received)))
    doc.add(_counts(loc.say("yearly.col.via"), tuple(
        (loc.say("yearly.via_none") if way == "none" else loc.say(f"topics.via.{way}"), n)
        for way, n in topics.via), lang))
    doc.add(Paragraph(phrase("yearly.topics_fate", lang, listed=topics.listed)))
    rows = [(loc.say("yearly.fate.listed"), topics.listed)]
    if topics.listed:
        rows += [(loc.say("yearly.fate.of", fate_key=f"yearly.fate.{fate}"), topics.fate[fate])
                 for fate in LISTED_FATES
                 if fate != "undecided" or topics.fate[fate]]
    rows += [(loc.say(f"yearly.fate.{fate}"), topics.fate[fate])
             for fate in TOPIC_FATES[len(LISTED_FATES):]]
    doc.add(_counts(loc.say("yearly.col.fate"), tuple(rows), lang))
    note = phrase("yearly.topics_note", lang)
    if topics.listed_later:
        note = (*note, *phrase("yearly.topics_later", lang, n=topics.listed_later,
                               as_of=loc.date_words(day)))
    doc.add(Paragraph(note, kind="note"))
    doc.add(ChartBlock(Chart(
        loc.say("yearly.chart.topics"),
        tuple(loc.say(f"yearly.chart_fate.{fate}") for fate in TOPIC_FATES),
        (Series(loc.say("yearly.series.topics"),
                tuple(topics.fate[fate] for fate in TOPIC_FATES)),)),
        loc.say("yearly.col.fate")))


def _evaluation(doc: Document, one: Figures) -> None:
    """居民评议: each evaluated resolution's counts and 满意率, and the totals in the
    words the results notice uses."""
    from ..rules.words import pleased_rate, satisfaction_rate

    lang = doc.lang
    loc = locale(lang)
    doc.add(Paragraph(phrase("yearly.evaluated", lang, n=len(one.evaluated),
                             of=len(one.resolutions), as_of=loc.date_words(one.as_of))))

    def cells(*counts: int) -> tuple[Inline, ...]:
        return (*(words(str(n)) for n in counts), words(satisfaction_rate(*counts) + "%"))

    rows: list[tuple[Inline, ...]] = [
        (words(r.date), typed(r.text), *cells(*r.evaluation))
        for r in one.evaluated if r.evaluation is not None]
    totals = one.evaluation_totals()
    rows.append((words(loc.say("yearly.total")), words(""), *cells(*totals)))
    doc.add(Table(tuple(loc.say(f"yearly.col.{key}") for key in (
        "date", "resolution", "satisfied", "basic", "unsatisfied", "satisfaction")),
        tuple(rows), widths=(19, 29, 10, 15, 13, 14)))
    satisfied, basic, unsatisfied = totals
    doc.add(Paragraph(phrase(
        "yearly.evaluation_total", lang, satisfied=satisfied, basic=basic,
        unsatisfied=unsatisfied, total=satisfied + basic + unsatisfied,
        pleased=satisfied + basic, rate=satisfaction_rate(*totals),
        pleased_rate=pleased_rate(*totals))))
    doc.add(Paragraph(words(loc.say("yearly.evaluation_note")), kind="note"))


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


def _cycle_totals(councils: list[Figures], lang: str) -> Table:
    """The cycle's figures (issue 23) one row per council and a row of totals: topics
    received and their fate (`-` for a council without a topics pool), minutes
    confirmed of meetings held, resolutions evaluated of those adopted, the 满意率 of
    the summed counts."""
    from ..rules.words import satisfaction_rate

    loc = locale(lang)

    def cells(topics: list[TopicFigures], confirmed: int, held: int, evaluated: int,
              resolutions: int, totals: tuple[int, int, int]) -> tuple[Inline, ...]:
        if topics:
            fate = {f: sum(t.fate[f] for t in topics) for f in TOPIC_FATES}
            counts = [str(sum(fate.values())), str(sum(fate[f] for f in LISTED_FATES)),
                      str(fate["declined"]), str(fate["merged"]), str(fate["open"])]
        else:
            counts = ["-"] * 5
        rate = satisfaction_rate(*totals) + "%" if sum(totals) else "-"
        return tuple(words(text) for text in (
            *counts, f"{confirmed}/{held}", f"{evaluated}/{resolutions}", rate))

    rows = [(typed(one.council), *cells(
        [one.topics] if one.topics is not None else [], one.confirmed, len(one.meetings),
        len(one.evaluated), len(one.resolutions), one.evaluation_totals()))
        for one in councils]
    sums = [one.evaluation_totals() for one in councils]
    rows.append((words(loc.say("yearly.total")), *cells(
        [one.topics for one in councils if one.topics is not None],
        sum(one.confirmed for one in councils), sum(len(one.meetings) for one in councils),
        sum(len(one.evaluated) for one in councils),
        sum(len(one.resolutions) for one in councils),
        (sum(t[0] for t in sums), sum(t[1] for t in sums), sum(t[2] for t in sums)))))
    header = tuple(loc.say(key) for key in (
        "yearly.col.council", "yearly.col.topics", "yearly.col.listed",
        "yearly.chart_fate.declined", "yearly.chart_fate.merged", "yearly.chart_fate.open",
        "yearly.col.confirmed", "yearly.col.evaluated", "yearly.col.satisfaction"))
    return Table(header, tuple(rows), widths=(16, 9, 11, 12, 11, 9, 12, 10, 10))


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
            "done_undated", "open", "open_overdue", "minutes_confirmed",
            "topics_received", "topics_listed", "topics_adopted", "topics_not_adopted",
            "topics_postponed", "topics_undecided", "topics_declined", "topics_merged",
            "topics_open", "evaluated", "satisfied", "basic", "unsatisfied")
"""The report's CSV columns, in order (docs/exports.md): one row per council, every
figure a count a street office can sum (the rate is attended ÷ expected, to recompute
from the sums). New columns go at the end. The topic columns are empty for a council
without a topics pool (not counted, rather than none received); the rest are always
counts."""


def csv_row(one: Figures) -> tuple[object, ...]:
    """One council's figures in CSV_KEYS order (the rate as a fraction, or None)."""
    f = one.follow_up
    return (one.council, one.year, one.as_of.isoformat(), len(one.meetings), one.expected,
            one.attended, one.excused, one.absent,
            round(one.attended / one.expected, 4) if one.expected else None,
            sum(one.motions.values()), one.motions["adopted"], one.motions["rejected"],
            one.motions["postponed"], one.motions["withdrawn"], one.motions["pending"],
            len(one.resolutions), sum(f.values()), f["on_time"], f["late"],
            f["done_undated"], f["open"], f["overdue"], one.confirmed,
            *_topic_cells(one.topics), len(one.evaluated), *one.evaluation_totals())


def _topic_cells(topics: TopicFigures | None) -> tuple[int | None, ...]:
    """topics_received … topics_open: None (empty cells) without a topics pool."""
    if topics is None:
        return (None,) * (2 + len(TOPIC_FATES))
    return (topics.received, topics.listed, *(topics.fate[fate] for fate in TOPIC_FATES))


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

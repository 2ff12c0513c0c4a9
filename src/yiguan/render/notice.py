"""A meeting record → the public notice (公示) of its adopted resolutions, or of their
results, as a `Document` (rendered as Markdown, HTML, Word or PDF by `render.document`).

The notice goes on the 居务公开栏 and online: the council's name, the meeting, each
adopted resolution (决议一, 决议二 …, never the command line's R1, R2) with its show of
hands, then what was not adopted (未通过事项: rejected with its counts, then 撤回 and
搁置), the notice period with both dates, and where to raise objections. The
period is counted as 《民法典》第201条 counts periods in days: the day it starts from (the
meeting, or `start`) is not counted, so 7 days from 2022-03-08 run 3月9日 through 3月15日;
a last day that is a 法定休假日 moves to the next working day (第203条), and a council may
count working days (yiguan.rules.deadline does the counting). Pure and deterministic like the
minutes; the roster is never an input, so no phone number or private note can be
published (个人信息保护法).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .. import __version__
from ..meeting.cycle import evaluations_of
from ..record.model import Calendar, Meeting, in_entry_order
from ..rules import deadline
from ..text.errors import YiguanError
from ..text.messages import DEFAULT_LANGUAGE, locale, t
from . import facts
from .document import (
    Document,
    Field,
    Fields,
    Inline,
    Paragraph,
    Stamp,
    Table,
    phrase,
    typed,
    words,
)
from .paper import issued_date, issuer, whom_to_tell

# a period as `--days` or the rules give it: 7, "7 workdays", or one already read
Days = int | str | deadline.Length


def notice_period(start: dt.date, days: Days,
                  calendar: Calendar | None = None) -> tuple[dt.date, dt.date]:
    """First and last day of a period of `days` days (or "N workdays") counted from
    `start`, on the official calendar and the council's own `calendar` lists.

    民法典第201条: 开始的当日不计入，自下一日开始计算; 第203条: 最后一日是法定休假日的，
    以法定休假日结束的次日为期间的最后一日 (yiguan.rules.deadline).
    """
    period = deadline.count(start, days, _local_days(calendar))
    return period.first, period.last


def notice_window(meeting: Meeting, *, days: Days | None = None,
                  start: dt.date | None = None,
                  calendar: Calendar | None = None) -> deadline.Period | None:
    """The period the notice states, or None when it states none (a meeting not held,
    without quorum or without resolutions). The caller warns about its `unknown_years`.

    `days` overrides the meeting's `notice_days`; `start` (not before the meeting)
    replaces the meeting date as the day the period is counted from.
    """
    if start is not None and start < meeting.date:
        raise YiguanError("notice.start_before_meeting", start=start.isoformat(),
                          date=meeting.date.isoformat())
    if (meeting.opened is None or not meeting.resolutions()
            or not facts.quorum_story(meeting).ever_met):
        return None
    length = meeting.rules.notice_days if days is None else days
    return deadline.count(start or meeting.date, length, _local_days(calendar))


def results_window(meeting: Meeting, *, days: Days | None = None,
                   start: dt.date | None = None,
                   calendar: Calendar | None = None) -> deadline.Period | None:
    """The period the results notice states: only when it is dated (`start`, the day it
    is posted); else it leaves the date blank and states none."""
    if start is None:
        return None
    length = meeting.rules.notice_days if days is None else days
    return deadline.count(start, length, _local_days(calendar))


def _local_days(calendar: Calendar | None) -> deadline.LocalDays | None:
    if calendar is None or calendar.is_empty():
        return None
    return deadline.LocalDays(calendar.holidays, calendar.workdays)


def _period_words(period: deadline.Period, base: dt.date, lang: str) -> Inline:
    """公示期: both dates, and why the end moved when art. 203 moved it."""
    wording = ("notice.period_workdays" if period.length.workdays
               else "notice.period_extended" if period.extended else "notice.period")
    return phrase(wording, lang, first=locale(lang).date_words(period.first),
                  last=locale(lang).date_words(period.last), days=period.length.count,
                  due=locale(lang).date_words(period.due), start=locale(lang).date_words(base))


def render_notice(meeting: Meeting, *, council: str, source: str, lang: str = DEFAULT_LANGUAGE,
                  days: Days | None = None, start: dt.date | None = None,
                  contact: str | None = None, version: str = __version__,
                  org: str | None = None, place: str | None = None,
                  phone: str | None = None, calendar: Calendar | None = None) -> str:
    """The notice as Markdown text ending in one newline."""
    from .to_markdown import markdown

    return markdown(notice_document(meeting, council=council, source=source, lang=lang,
                                    days=days, start=start, contact=contact,
                                    version=version, org=org, place=place, phone=phone,
                                    calendar=calendar))


def notice_document(meeting: Meeting, *, council: str, source: str, lang: str = DEFAULT_LANGUAGE,
                    days: Days | None = None, start: dt.date | None = None,
                    contact: str | None = None, version: str = __version__,
                    org: str | None = None, place: str | None = None,
                    phone: str | None = None, calendar: Calendar | None = None) -> Document:
    """The notice as a Document.

    `days` overrides the meeting's `notice_days`; `start` replaces the meeting date as
    the day the period is counted from (it cannot be before the meeting); `contact`
    replaces the default "whom to tell" (the council's recorder). From council.toml:
    `org` issues and seals the notice (else the council does), `place` is where it is
    posted, `phone` the public 监督电话; `calendar` the council's own holidays and
    workdays (see `notice_window`).
    """
    period = notice_window(meeting, days=days, start=start, calendar=calendar)
    base = start or meeting.date

    def say(key: str, **params: Any) -> Inline:
        return phrase(key, lang, **params)

    name = typed(council)
    draft = meeting.status != "closed"
    doc = Document("notice", lang, say("notice.title", council=name)
                   + (say("documents.draft_suffix") if draft else ()), base.isoformat(),
                   period=period)
    if draft:
        doc.add(Paragraph(say("notice.draft"), "banner"))

    people = facts.attendance(meeting)
    story = facts.quorum_story(meeting)
    where = say("notice.where", place=typed(meeting.place)) if meeting.place else ()
    intro = say("notice.intro_quoted", council=name, date=locale(lang).date_words(meeting.date),
                title=typed(meeting.title), where=where, expected=people.expected,
                attended=len(people.attended))
    resolutions = meeting.resolutions()
    if meeting.opened is None:
        doc.add(Paragraph(say("notice.not_held_quoted", council=name, title=typed(meeting.title),
                              date=locale(lang).date_words(meeting.date), where=where)))
    elif not story.ever_met:
        doc.add(Paragraph(intro + say("notice.no_quorum", needed=story.opening.needed)))
    elif not resolutions:
        doc.add(Paragraph(intro + say("notice.no_resolutions")))
        _not_adopted(doc, meeting, lang)
    else:
        doc.add(Paragraph(intro + say("notice.adopted")))
        # residents do not know the record's codes (R1): 决议一, 决议二, one paragraph
        # each, and no list number beside the name (never 「1. 决议一」)
        for number, (_, motion, vote) in enumerate(resolutions, 1):
            doc.add(Paragraph(words(facts.resolution_words(number, lang), bold=True)
                              + words(" ") + typed(motion.text, lines=True)
                              + say("notice.counts", yes=vote.yes, no=vote.no,
                                    abstain=vote.abstain)))
        _not_adopted(doc, meeting, lang)
        whom = whom_to_tell(meeting, name, contact, lang)
        assert period is not None  # a notice with resolutions states its period
        rows = [Field(t("notice.label.period", lang=lang), _period_words(period, base, lang))]
        if place:
            rows.append(Field(t("notice.label.place", lang=lang), typed(place)))
        rows.append(Field(t("notice.label.objections", lang=lang),
                          say("notice.objections", contact=whom)))
        if phone:
            rows.append(Field(t("notice.label.contact", lang=lang), typed(phone)))
        doc.add(Fields(tuple(rows)))
        doc.add(Paragraph(say("notice.closing")))
    # The signature block: the council and the day the notice is dated (the day the
    # period is counted from).
    doc.add(Stamp(issuer(council, org), locale(lang).date_words(base),
                  t("documents.seal", lang=lang)))
    doc.footer = say("documents.footer_notice", version=typed(version), source=typed(source))
    return doc


def _not_adopted(doc: Document, meeting: Meeting, lang: str) -> None:
    """未通过事项, after the resolutions: each motion put to the vote and rejected, with its
    counts and 未获通过, then those postponed (搁置) or withdrawn (撤回), one line each, in
    the order they were moved. Residents learn what was not adopted as well."""
    rejected = [m for m in in_entry_order(meeting.motion) if m.status == "rejected"]
    set_aside = [m for m in in_entry_order(meeting.motion)
                 if m.status in ("postponed", "withdrawn")]
    if not rejected and not set_aside:
        return
    doc.add(Paragraph(phrase("notice.not_adopted", lang), "lead"))
    for motion in rejected:
        vote = meeting.standing_vote(motion.id)
        doc.add(Paragraph(typed(motion.text, lines=True) + (
            phrase("notice.rejected_counts", lang, yes=vote.yes, no=vote.no,
                   abstain=vote.abstain) if vote is not None
            else phrase("notice.rejected", lang))))
    for motion in set_aside:
        doc.add(Paragraph(typed(motion.text, lines=True)
                          + phrase(f"notice.set_aside.{motion.status}", lang)))


def results_document(meeting: Meeting, *, council: str, source: str, lang: str = DEFAULT_LANGUAGE,
                     days: Days | None = None, start: dt.date | None = None,
                     version: str = __version__, org: str | None = None,
                     place: str | None = None, phone: str | None = None,
                     calendar: Calendar | None = None, public: bool = False) -> Document:
    """实施结果公示 (四议两公开's second 公开): each resolution of the meeting with its
    actions — who, by when, done or not, and what was done. With `start` (the day it is
    posted) it carries a notice period and that date; without, a blank date to write in.
    `public`: the site's copy, where an owner outside the council is 居民 (as in the
    minutes' public edition); the printed notice names whom the council charged.
    """
    def say(key: str, **params: Any) -> Inline:
        return phrase(key, lang, **params)

    name = typed(council)
    draft = meeting.status != "closed"
    doc = Document("results", lang, say("notice.results_title", council=name)
                   + (say("documents.draft_suffix") if draft else ()),
                   (start or meeting.date).isoformat())
    if draft:
        doc.add(Paragraph(say("notice.draft"), "banner"))
    resolutions = meeting.resolutions()
    doc.add(Paragraph(say("notice.results_intro", council=name,
                          date=locale(lang).date_words(meeting.date),
                          title=typed(meeting.title))
                      if resolutions else
                      say("notice.results_none", council=name,
                          date=locale(lang).date_words(meeting.date),
                          title=typed(meeting.title))))
    header = tuple(t(f"minutes.col.{c}", lang=lang) for c in ("action", "owner", "due"))
    header += (t("notice.col.result", lang=lang),)

    named = facts.may_be_named(meeting)

    def rows(motion_ids: set[str | None]) -> tuple[tuple[Inline, ...], ...]:
        out = []
        for action in meeting.action:
            if action.motion not in motion_ids:
                continue
            due = words(locale(lang).date_words(action.due) if action.due else "-")
            if action.done:
                result = say("action.done")
                if action.note:
                    result = say("minutes.done_with_note", status=result,
                                 note=typed(action.note, lines=True))
            else:
                result = say("action.open")
            owner = (say("minutes.public.resident") if public and action.owner not in named
                     else typed(action.owner))
            out.append((typed(action.text, lines=True), owner, due, result))
        return tuple(out)

    for number, (_, motion, _vote) in enumerate(resolutions, 1):
        label = facts.resolution_words(number, lang)
        doc.add(Paragraph(words(label, bold=True) + words(" ") + typed(motion.text, lines=True),
                          "lead"))
        found = rows({motion.id})
        doc.add(Table(header, found, widths=(5, 2, 3, 4)) if found
                else Paragraph(say("notice.results_no_actions")))
        for evaluation in evaluations_of(meeting, motion.id):
            doc.add(Paragraph(facts.evaluation_words(evaluation, lang)))
    adopted = {motion.id for _, motion, _ in resolutions}
    others = rows({a.motion for a in meeting.action if a.motion not in adopted})
    if others:
        doc.add(Paragraph(say("notice.results_other"), "lead"))
        doc.add(Table(header, others, widths=(5, 2, 3, 4)))
    fields = []
    period = doc.period = results_window(meeting, days=days, start=start, calendar=calendar)
    if period is not None and start is not None:
        fields.append(Field(t("notice.label.period", lang=lang),
                            _period_words(period, start, lang)))
    if place:
        fields.append(Field(t("notice.label.place", lang=lang), typed(place)))
    if phone:
        fields.append(Field(t("notice.label.contact", lang=lang), typed(phone)))
    if fields:
        doc.add(Fields(tuple(fields)))
    doc.add(Paragraph(say("notice.closing")))
    doc.add(Stamp(issuer(council, org), issued_date(start, lang),
                  t("documents.seal", lang=lang)))
    doc.footer = say("documents.footer_results", version=typed(version), source=typed(source))
    return doc

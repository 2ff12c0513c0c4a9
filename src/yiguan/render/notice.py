"""A meeting record → the public notice (公示) of its adopted resolutions, in Markdown.

The notice goes on the 居务公开栏 and online: the council's name, the meeting, each
adopted resolution (R1, R2, … as the minutes number them) with its show of hands, the
notice period with both dates, and where to raise objections. The period is counted as
《民法典》第201条 counts periods in days: the day it starts from (the meeting, or `start`)
is not counted, so 7 days from 2022-03-08 run 3月9日 through 3月15日; a last day that is a
法定休假日 moves to the next working day (第203条), and a council may count working days
(yiguan.deadline does the counting). Pure and
deterministic like the minutes; the roster is never an input, so no phone number or
private note can be published (个人信息保护法).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .. import __version__, deadline
from ..errors import YiguanError
from ..messages import t
from ..model import Calendar, Meeting
from . import facts
from . import markdown as md


def notice_period(start: dt.date, days: int | str,
                  calendar: Calendar | None = None) -> tuple[dt.date, dt.date]:
    """First and last day of a period of `days` days (or "N workdays") counted from
    `start`, on the official calendar and the council's own `calendar` lists.

    民法典第201条: 开始的当日不计入，自下一日开始计算; 第203条: 最后一日是法定休假日的，
    以法定休假日结束的次日为期间的最后一日 (yiguan.deadline).
    """
    period = deadline.count(start, days, _local_days(calendar))
    return period.first, period.last


def notice_window(meeting: Meeting, *, days: int | str | None = None,
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


def _local_days(calendar: Calendar | None) -> deadline.LocalDays | None:
    if calendar is None or calendar.is_empty():
        return None
    return deadline.LocalDays(calendar.holidays, calendar.workdays)


def render_notice(meeting: Meeting, *, council: str, source: str, lang: str = "zh",
                  days: int | str | None = None, start: dt.date | None = None,
                  contact: str | None = None, version: str = __version__,
                  calendar: Calendar | None = None) -> str:
    """The notice as Markdown text ending in one newline.

    `days` overrides the meeting's `notice_days`; `start` replaces the meeting date as
    the day the period is counted from (it cannot be before the meeting); `contact`
    replaces the default "whom to tell" (the council's recorder); `calendar` is the
    council's own list of holidays and workdays (see `notice_window`).
    """
    period = notice_window(meeting, days=days, start=start, calendar=calendar)
    base = start or meeting.date

    def say(key: str, **params: Any) -> str:
        return t(key, lang=lang, **params)

    name = md.inline(council)
    draft = meeting.status != "closed"
    lines = [f"# {say('notice.title', council=name)}"
             + (say("documents.draft_suffix") if draft else ""), ""]
    if draft:
        lines += [f"> {say('notice.draft')}", ""]

    people = facts.attendance(meeting)
    story = facts.quorum_story(meeting)
    where = say("notice.where", place=md.inline(meeting.place)) if meeting.place else ""
    intro = say("notice.intro", council=name, date=facts.date_words(meeting.date, lang),
                title=md.inline(meeting.title), where=where, expected=people.expected,
                attended=len(people.attended))
    resolutions = meeting.resolutions()
    if meeting.opened is None:
        lines += [say("notice.not_held", council=name, title=md.inline(meeting.title),
                      date=facts.date_words(meeting.date, lang), where=where), ""]
    elif not story.ever_met:
        lines += [intro + say("notice.no_quorum", needed=story.opening.needed), ""]
    elif not resolutions:
        lines += [intro + say("notice.no_resolutions"), ""]
    else:
        lines += [intro + say("notice.adopted"), ""]
        for number, (label, motion, vote) in enumerate(resolutions, 1):
            marker = f"{number}."
            indent = len(marker) + 1
            counts = say("notice.counts", yes=vote.yes, no=vote.no, abstain=vote.abstain)
            lines.append(f"{marker} **{label}** {md.block(motion.text, indent)}"
                         + "\\\n" + " " * indent + counts)
        lines.append("")
        assert period is not None  # a notice with resolutions states its period
        wording = ("notice.period_workdays" if period.length.workdays
                   else "notice.period_extended" if period.extended else "notice.period")
        lines.append("- **" + say("notice.label.period") + "**" + say("documents.colon")
                     + say(wording, first=facts.date_words(period.first, lang),
                           last=facts.date_words(period.last, lang), days=period.length.count,
                           due=facts.date_words(period.due, lang),
                           start=facts.date_words(base, lang)))
        if contact:
            whom = md.inline(contact)
        elif meeting.recorder:
            whom = say("notice.contact_recorder", council=name,
                       name=md.inline(meeting.recorder))
        else:
            whom = name
        lines.append("- **" + say("notice.label.objections") + "**" + say("documents.colon")
                     + say("notice.objections", contact=whom))
        lines += ["", say("notice.closing"), ""]
    # The signature block: the council and the day the notice is dated (the day the
    # period is counted from). A hard break keeps the two lines together.
    lines += [name + "\\", facts.date_words(base, lang), "", "---", ""]
    lines.append(say("documents.footer_notice", version=md.inline(version),
                     source=md.inline(source)))
    return "\n".join(lines) + "\n"

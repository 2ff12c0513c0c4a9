"""A meeting record → its minutes (会议记录) in Markdown, Chinese or English.

The minutes are what the council signs, files and posts, and what a 街道 reviewer reads,
so they carry the fields Chinese councils record, in this order: the meeting, time, place,
chair and recorder; attendance (应到/实到, rate, absentees, early departures, non-voting
attendees) and the quorum; the agenda; per item its speeches and motions with every vote;
the adopted resolutions; the actions table; the close and the signature lines; a footer
naming the generator and the source file. Pure and deterministic: the same meeting gives
the same bytes, nothing reads the clock, and every outcome's arithmetic comes from
`rules.decide`. All file text passes through `render.markdown`; all wording through the
catalogues. The council roster is never an input, so phone numbers and private notes
cannot reach the page.
"""

from __future__ import annotations

from typing import Any

from .. import __version__, rules
from ..messages import ClockTime, catalogue, clock_text, t
from ..model import Correction, Meeting, Motion, Speech, Vote, in_entry_order
from . import facts
from . import markdown as md
from .words import ratio_words

SIGNATURE_BLANK = "＿" * 10  # full-width low line: plain text in every Markdown dialect


def render_minutes(meeting: Meeting, *, source: str, council: str | None = None,
                   lang: str = "zh", version: str = __version__) -> str:
    """The minutes as Markdown text ending in one newline.

    `source` is the meeting file's name as the footer shows it (no folders: the minutes
    must not depend on where the file lies); `council` is the council's name, if known.
    """
    return _Minutes(meeting, source, council, lang, version).render()


class _Minutes:
    def __init__(self, meeting: Meeting, source: str, council: str | None, lang: str,
                 version: str) -> None:
        self.meeting = meeting
        self.source = source
        self.council = council
        self.lang = lang
        self.version = version
        self.lines: list[str] = []
        self.draft = meeting.status != "closed"
        self.story = facts.quorum_story(meeting)
        self.resolution_of = {m.id: r for r, m, _ in meeting.resolutions()}

    # --- small helpers ----------------------------------------------------------------
    def t(self, key: str, **params: Any) -> str:
        return t(key, lang=self.lang, **params)

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def gap(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def field(self, label_key: str, value: str) -> None:
        """`- **label**：value`; `value` is safe Markdown (continuations indented 2)."""
        self.add(f"- **{self.t(label_key)}**{self.t('documents.colon')}{value}".rstrip())

    def names(self, names: list[str]) -> str:
        if not names:
            return self.t("documents.none")
        return facts.names_list([md.inline(n) for n in names], self.lang)

    def optional(self, value: str | None) -> str:
        return md.inline(value) if value else self.t("documents.not_recorded")

    # --- the document -----------------------------------------------------------------
    def render(self) -> str:
        self.header()
        self.agenda()
        self.items()
        self.resolutions()
        self.actions()
        self.corrections()
        self.closing()
        while self.lines and self.lines[-1] == "":
            self.lines.pop()
        return "\n".join(self.lines) + "\n"

    def header(self) -> None:
        m = self.meeting
        title = (self.t("minutes.title", council=md.inline(self.council)) if self.council
                 else self.t("minutes.title_plain"))
        if self.draft:
            title += self.t("documents.draft_suffix")
        self.add(f"# {title}", "")
        if self.draft:
            key = "minutes.draft_planned" if m.status == "planned" else "minutes.draft_open"
            self.add(f"> {self.t(key)}", "")
        if m.opened is not None and not self.story.ever_met:
            needed = self.story.opening.needed
            if m.status == "closed":
                banner = self.t("minutes.quorum_never", peak=self.story.peak, needed=needed)
            else:
                banner = self.t("minutes.quorum_not_yet", present=self.story.peak,
                                needed=needed)
            self.add(f"> {banner}", "")
        people = facts.attendance(m)
        self.field("minutes.label.title", md.inline(m.title))
        self.field("minutes.label.time", self.time_text())
        self.field("minutes.label.place", self.optional(m.place))
        self.field("minutes.label.host", self.optional(m.host))
        self.field("minutes.label.recorder", self.optional(m.recorder))
        self.field("minutes.label.attendance", self.t(
            "minutes.attendance", expected=people.expected, attended=len(people.attended),
            rate=people.rate))
        absent = self.names(people.absent)
        if self.draft and people.absent:
            # people may still arrive: until the close they are only not here yet
            absent = self.t("minutes.not_signed_in", names=absent)
        self.field("minutes.label.absent", absent)
        self.field("minutes.label.left_early", self.departures(people.departures))
        guests = [self.t("minutes.guest", name=md.inline(name), org=md.inline(org))
                  if org else md.inline(name) for name, org in people.guests]
        self.field("minutes.label.guests",
                   facts.names_list(guests, self.lang) if guests else self.t("documents.none"))
        self.field("minutes.label.quorum", self.quorum_text())
        if m.note:
            self.field("minutes.label.note", md.block(m.note, 2))
        self.gap()

    def time_text(self) -> str:
        m = self.meeting
        day = facts.date_words(m.date, self.lang, weekday=True)
        if m.opened and m.closed:
            return self.t("minutes.time_range", date=day, start=ClockTime(m.opened),
                          end=ClockTime(m.closed))
        if m.opened:
            return self.t("minutes.time_open", date=day, start=ClockTime(m.opened))
        if m.time:
            return self.t("minutes.time_planned", date=day, start=ClockTime(m.time))
        return day

    def departures(self, departures: list[facts.Departure]) -> str:
        if not departures:
            return self.t("documents.none")
        entries = []
        for person in departures:
            times = [self.t("minutes.left_and_back", left=ClockTime(left), back=ClockTime(back))
                     if back else self.t("minutes.left_at", at=ClockTime(left))
                     for left, back in person.times]
            entries.append(self.t("minutes.departure", name=md.inline(person.name),
                                  times=self.t("documents.clause_separator").join(times)))
        return facts.names_list(entries, self.lang)

    def quorum_text(self) -> str:
        story = self.story
        if story.at is None:
            return self.t("minutes.quorum_now", explain=story.opening.explain(self.lang))
        parts = [self.t("minutes.quorum_at_opening", at=ClockTime(story.at),
                        explain=story.opening.explain(self.lang))]
        parts += [self.t("minutes.quorum_change", at=ClockTime(at), present=check.present,
                         brief=check.brief(self.lang)) for at, check in story.changes]
        return self.t("documents.clause_separator").join(parts)

    def agenda(self) -> None:
        self.add(f"## {self.t('minutes.section.agenda')}", "")
        if not self.meeting.item:
            self.add(self.t("minutes.no_agenda"), "")
            return
        for item in sorted(self.meeting.item, key=lambda i: i.id):
            self.add(f"{item.id}. {md.inline(item.title)}")
        self.gap()

    def items(self) -> None:
        m = self.meeting
        numbers = {i.id for i in m.item}
        for item in sorted(m.item, key=lambda i: i.id):
            heading = self.t("minutes.item_heading",
                             number=facts.ordinal_words(item.id, self.lang),
                             title=md.inline(item.title))
            self.add(f"## {heading}", "")
            self.field("minutes.label.item_by", self.optional(item.by))
            if item.note:
                self.field("minutes.label.item_note", md.block(item.note, 2))
            self.gap()
            self.discussion([s for s in m.speech if s.item == item.id],
                            [x for x in m.motion if x.item == item.id])
        # Speeches and motions in a meeting without agenda items (or on an item that a
        # hand edit removed) still belong in the record.
        speeches = [s for s in m.speech if s.item not in numbers]
        motions = [x for x in m.motion if x.item not in numbers]
        if speeches or motions:
            self.add(f"## {self.t('minutes.section.unassigned')}", "")
            self.discussion(speeches, motions)

    def discussion(self, speeches: list[Speech], motions: list[Motion]) -> None:
        self.add(f"### {self.t('minutes.section.speeches')}", "")
        if speeches:
            # In entry order: by time, and within a minute as they were typed (seq).
            for number, speech in enumerate(in_entry_order(speeches), 1):
                marker = f"{number}."
                self.add(f"{marker} {self.speech(speech, len(marker) + 1)}")
        else:
            self.add(self.t("minutes.no_speeches"))
        self.gap()
        for motion in in_entry_order(motions):
            self.motion(motion)

    def speech(self, speech: Speech, indent: int) -> str:
        parts = []
        if speech.stance:
            parts.append(self.t(f"minutes.stance.{speech.stance}"))
        if speech.minutes:
            parts.append(self.t("minutes.speech_minutes", n=speech.minutes))
        details = (self.t("minutes.speech_details",
                          parts=self.t("documents.detail_separator").join(parts))
                   if parts else "")
        return self.t("minutes.speech", at=ClockTime(speech.at), name=md.inline(speech.speaker),
                      details=details, text=md.block(speech.text, indent))

    def motion(self, motion: Motion) -> None:
        m = self.meeting
        self.add(f"### {self.t('minutes.motion_heading', id=motion.id)}", "")
        self.field("minutes.label.motion_text", md.block(motion.text, 2))
        self.field("minutes.label.mover", self.t("minutes.mover", name=md.inline(motion.by),
                                                  at=ClockTime(motion.at)))
        self.field("minutes.label.seconder", md.inline(motion.second) if motion.second
                   else self.t("documents.none"))
        amendments = m.amendments_of(motion.id)
        if amendments:
            self.field("minutes.label.amendments", "")
            for number, amendment in enumerate(amendments, 1):
                marker = f"{number}."
                indent = 2 + len(marker) + 1
                pad = "\\\n" + " " * indent
                self.add(f"  {marker} "
                         + self.t("minutes.amendment", at=ClockTime(amendment.at),
                                  name=md.inline(amendment.by))
                         + pad + self.t("minutes.amendment_before",
                                        text=md.block(amendment.previous, indent))
                         + pad + self.t("minutes.amendment_after",
                                        text=md.block(amendment.text, indent)))
        votes = m.votes_on(motion.id)
        if not votes:
            self.field("minutes.label.vote_method", self.t("minutes.not_put_to_vote"))
        for number, vote in enumerate(votes, 1):
            self.vote(vote, number if len(votes) > 1 else None)
        self.field("minutes.label.outcome", self.outcome(motion))
        self.gap()

    def vote(self, vote: Vote, number: int | None) -> None:
        m = self.meeting
        recusal = (self.t("minutes.recusal_counts", r=len(vote.recused), eligible=vote.eligible)
                   if vote.recused else "")
        method = self.t("minutes.vote_method", at=ClockTime(vote.at), present=vote.present,
                        recusal=recusal)
        if number is None:
            self.field("minutes.label.vote_method", method)
        else:
            self.add(f"- **{self.t('minutes.label.vote_n', n=number)}**"
                     f"{self.t('documents.colon')}{method}")
        quorum = facts.vote_had_quorum(m, vote.present)
        if not quorum.met:
            self.field("minutes.label.attention", self.t(
                "minutes.vote_without_quorum", present=vote.present, needed=quorum.needed))
        if vote.recused:
            self.field("minutes.label.recused",
                       self.t("minutes.recused_value", names=self.names(vote.recused)))
        counts = self.t("minutes.counts", yes=vote.yes, no=vote.no, abstain=vote.abstain)
        if vote.not_voting:
            counts += self.t("minutes.not_voting", n=vote.not_voting)
        self.field("minutes.label.counts", counts)
        threshold = rules.parse_threshold(vote.rule)
        self.field("minutes.label.rule", self.rule_text(threshold))
        decision = rules.decide(threshold, vote.tally(len(m.members)))
        self.field("minutes.label.arithmetic", self.t(
            "minutes.arithmetic", explain=decision.explain(self.lang),
            outcome_key=f"status.{vote.outcome}"))
        if decision.outcome != vote.outcome:
            self.field("minutes.label.attention", self.t(
                "minutes.outcome_mismatch", found_key=f"status.{vote.outcome}",
                want_key=f"status.{decision.outcome}"))
        if vote.reconsidered is not None:
            self.field("minutes.label.reconsidered",
                       self.t("minutes.reconsidered", at=ClockTime(vote.reconsidered)))

    def rule_text(self, threshold: rules.Threshold) -> str:
        assert threshold.base is not None
        words = self.t("minutes.rule_words",
                       op_key=f"minutes.rule_op.{threshold.op}",
                       base_key=f"minutes.rule_base.{threshold.base}",
                       ratio=ratio_words(threshold.ratio, self.lang))
        return self.t("minutes.rule_line", words=words, rule=md.code(str(threshold)))

    def outcome(self, motion: Motion) -> str:
        status = self.t(f"status.{motion.status}")
        resolution = self.resolution_of.get(motion.id)
        if resolution:
            return self.t("minutes.outcome_resolution", status=f"**{status}**", r=resolution)
        return f"**{status}**"

    def resolutions(self) -> None:
        self.add(f"## {self.t('minutes.section.resolutions')}", "")
        found = self.meeting.resolutions()
        if not found:
            key = ("minutes.no_resolutions_no_quorum"
                   if self.meeting.opened is not None and not self.story.ever_met
                   else "minutes.no_resolutions")
            self.add(self.t(key), "")
            return
        for number, motion, _ in found:
            self.add(f"- **{number}** {md.block(motion.text, 2)}")
        self.gap()

    def actions(self) -> None:
        self.add(f"## {self.t('minutes.section.actions')}", "")
        if not self.meeting.action:
            self.add(self.t("documents.none"), "")
            return
        rows = []
        for action in self.meeting.action:
            text = md.cell(action.text)
            if action.motion:
                reference = self.resolution_of.get(action.motion)
                text += (self.t("minutes.action_for_resolution", r=reference) if reference
                         else self.t("minutes.action_for_motion", id=action.motion))
            due = facts.date_words(action.due, self.lang) if action.due else "-"
            if action.done:
                status = self.t("action.done")
                if action.note:
                    status = self.t("minutes.done_with_note", status=status,
                                    note=md.cell(action.note))
            else:
                status = self.t("action.open")
            rows.append([text, md.cell(action.owner), due, status])
        header = [self.t(f"minutes.col.{c}") for c in ("action", "owner", "due", "status")]
        self.add(*md.table(header, rows))
        self.gap()

    def corrections(self) -> None:
        """更正说明: what was corrected after the close, when and why — one entry per
        correction made (the records one `fix` or `strike` wrote), each change on a line."""
        if not self.meeting.correction:
            return
        self.add(f"## {self.t('minutes.section.corrections')}", "",
                 self.t("minutes.corrections_intro"), "")
        groups: list[list[Correction]] = []
        for correction in self.meeting.correction:
            last = groups[-1][-1] if groups else None
            if last is not None and (last.date, last.reason) == (correction.date,
                                                                  correction.reason):
                groups[-1].append(correction)
            else:
                groups.append([correction])
        for number, group in enumerate(groups, 1):
            marker = f"{number}."
            indent = len(marker) + 1
            first = group[0]
            self.add(f"{marker} " + self.t(
                "minutes.correction_group", date=facts.date_words(first.date, self.lang),
                reason=md.block(first.reason, indent)))
            for correction in group:
                self.add(" " * indent + "- " + self.correction(correction, indent + 2))
        self.gap()

    def correction(self, correction: Correction, indent: int) -> str:
        table, _, record_id = correction.record.partition(" ")
        known = table in facts.CORRECTED_TABLES  # else a hand-written record: as it is
        label = {"what_key": f"table.{table}"} if known else {"what": md.inline(table)}
        if correction.field is None:
            summary = facts.struck_summary(table, correction.before, self.lang)
            return self.t("minutes.correction_struck", id=md.inline(record_id), **label,
                          summary=self.t("minutes.correction_summary", text=md.inline(summary))
                          if summary else "")
        field_key = f"field.{table}.{correction.field}"
        field = (self.t(field_key) if field_key in catalogue(self.lang)
                 else md.inline(correction.field))
        return self.t("minutes.correction_change", id=md.inline(record_id), **label,
                      field=field, before=self.value(correction.field, correction.before),
                      after=self.value(correction.field, correction.after))

    def value(self, field: str, text: str | None) -> str:
        if text is None:
            return self.t("documents.none")
        shown = facts.value_words(field, text, self.lang)
        return md.inline(shown)

    def closing(self) -> None:
        m = self.meeting
        closed = clock_text(m.closed, self.lang) if m.closed else self.t("minutes.not_closed")
        self.add(f"**{self.t('minutes.label.closed')}**{self.t('documents.colon')}{closed}", "")
        if self.draft:
            self.add(self.t("minutes.draft_no_signature"), "")
        else:
            self.add(self.t("minutes.signatures", blank=SIGNATURE_BLANK), "")
        self.add("---", "")
        self.add(self.t("documents.footer_minutes", version=md.inline(self.version),
                        source=md.inline(self.source)))

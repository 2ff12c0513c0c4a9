"""A meeting record → its minutes (会议记录) as a `Document`, Chinese or English.

The minutes are what the council signs, files and posts, and what a 街道 reviewer reads,
so they carry the fields Chinese councils record, in this order: the meeting, time, place,
chair and recorder; attendance (应到/实到, rate, absentees, early departures, non-voting
attendees) and the quorum; the agenda; the minutes of an earlier meeting confirmed at this
one (纪要确认, unnumbered); per item its speeches and motions with every vote; the adopted
resolutions; the actions table and residents' evaluations (居民评议); the corrections; the
close and the table to sign (the host, the recorder, every member present), and, once a
later meeting confirmed them, a line saying so; in Markdown a footer naming the generator
and the source file. Records are named as people do (动议一, 决议一, 动议一表决,
刘艳的发言（19:35）: `facts.RecordWords`), never by the codes the command line uses. Pure and
deterministic: the same meeting gives the same document, nothing reads the clock, and
every outcome's arithmetic comes from `rules.decide`. File text is marked as such
(`document.typed`) and escaped by each format; all wording comes from the catalogues.
The council roster is never an input, so phone numbers and private notes cannot reach
the page.

The attachments (附件) are listed after the actions, by caption; given their bytes
(`images`), the photos follow the signatures as an appendix on a page of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, NamedTuple

from .. import __version__
from ..record.kinds import KINDS, Attachment
from ..record.model import (
    SIGNATURES,
    Correction,
    Meeting,
    Motion,
    Speech,
    Vote,
    in_entry_order,
    noted,
)
from ..rules import engine as rules
from ..rules.words import rule_words
from ..text.messages import DEFAULT_LANGUAGE, ClockTime, catalogue, clock_text, locale, t
from . import facts
from .document import (
    Document,
    Field,
    Fields,
    Figure,
    Heading,
    Inline,
    ListBlock,
    ListItem,
    PageBreak,
    Paragraph,
    Stamp,
    Table,
    join,
    phrase,
    typed,
    words,
)


def render_minutes(meeting: Meeting, *, source: str, council: str | None = None,
                   lang: str = DEFAULT_LANGUAGE, version: str = __version__,
                   org: str | None = None, signatures: str | None = None,
                   confirmed: Confirmed | None = None) -> str:
    """The minutes as Markdown text ending in one newline."""
    from .to_markdown import markdown

    return markdown(minutes_document(meeting, source=source, council=council, lang=lang,
                                     version=version, org=org, signatures=signatures,
                                     confirmed=confirmed))


# the attachments the printed minutes show as pictures, and their MIME types
ATTACHMENT_TYPES = {"jpg": "image/jpeg", "png": "image/png"}


def minutes_document(meeting: Meeting, *, source: str, council: str | None = None,
                     lang: str = DEFAULT_LANGUAGE, version: str = __version__,
                     org: str | None = None, signatures: str | None = None,
                     images: Mapping[str, bytes] | None = None,
                     public: bool = False,
                     confirmed: Confirmed | None = None) -> Document:
    """The minutes as a Document.

    `source` is the meeting file's name as the Markdown footer shows it (no folders: the
    minutes must not depend on where the file lies); `council` is the council's name, if
    known; `org` the organisation that seals it (居民委员会), else the council seals;
    `signatures` who signs (council.toml's `signatures`): "all" (the default: the host,
    the recorder and every member present) or "officers" (the host and the recorder);
    `images` the bytes of the photos attached, by their name in files/ (`file`): given,
    they follow the minutes as an appendix (the printed formats; Markdown lists them).

    `public` gives the edition a site publishes (居务公开): 请假 and 缺席 as counts, no
    reason for a leave, and nobody outside the council named — a person who is neither
    a member of the meeting's roster, nor its host or recorder, nor a guest who came for
    an organisation (a resident who raised an item or spoke) is 「居民」.

    `confirmed`: the later meeting that confirmed these minutes (纪要确认), its date and
    title, found by the caller in the data folder; the minutes then end saying so.
    """
    made = _Minutes(meeting, source, council, lang, version, org,
                    signatures or SIGNATURES[0], public)
    made.images = dict(images or {})
    made.confirmed = confirmed
    return made.build()


class Confirmed(NamedTuple):
    """The meeting at which the minutes were confirmed: its date and title."""

    date: dt.date
    title: str


# the fields of a record that name people (`key("name")`, `key("names")`): a correction of
# one is worded, in the public edition, with the people named as that edition names them
PERSON_FIELDS = frozenset(key.name for kind in KINDS for key in kind.SPEC
                          if key.kind in ("name", "names"))

class _Minutes:
    def __init__(self, meeting: Meeting, source: str, council: str | None, lang: str,
                 version: str, org: str | None, signatures: str,
                 public: bool = False) -> None:
        self.meeting = meeting
        self.public = public
        # who the public edition names: the roster, the officers, guests for an organisation
        self.named = facts.may_be_named(meeting)
        self.record_words = facts.RecordWords(meeting, lang, self.person if public else None)
        self.signatures_by = signatures
        self.org = org or council
        self.source = source
        self.council = council
        self.lang = lang
        self.locale = locale(lang)
        self.version = version
        self.draft = meeting.status != "closed"
        self.story = facts.quorum_story(meeting)
        # 决议一, 决议二 …: the resolutions by their place, never their code R1
        self.resolution_of = {m.id: n for n, (_, m, _) in enumerate(meeting.resolutions(), 1)}
        title = (self.p("minutes.title", council=typed(council)) if council
                 else self.p("minutes.title_plain"))
        if self.draft:
            title += self.p("documents.draft_suffix")
        self.doc = Document("minutes", lang, title, meeting.date.isoformat())
        self.fields: list[Field] = []
        self.images: dict[str, bytes] = {}
        self.confirmed: Confirmed | None = None

    # --- small helpers ----------------------------------------------------------------
    def t(self, key: str, **params: Any) -> str:
        return t(key, lang=self.lang, **params)

    def p(self, key: str, **params: Any) -> Inline:
        return phrase(key, self.lang, **params)

    def field(self, label_key: str, value: Inline, items: tuple[Inline, ...] = ()) -> None:
        self.fields.append(Field(self.t(label_key), value, items))

    def flush(self) -> None:
        """Put the fields collected so far into the document as one block."""
        if self.fields:
            self.doc.add(Fields(tuple(self.fields)))
            self.fields = []

    def names(self, names: list[str]) -> Inline:
        if not names:
            return self.p("documents.none")
        return join([typed(n) for n in names], self.locale.list_separator)

    def person(self, name: str) -> Inline:
        """A name as the edition prints it: in the public edition, someone outside the
        council is 「居民」."""
        if self.public and name not in self.named:
            return self.p("minutes.public.resident")
        return typed(name)

    def people(self, names: list[str]) -> Inline:
        if not names:
            return self.p("documents.none")
        return join([self.person(n) for n in names], self.locale.list_separator)

    def optional(self, value: str | None) -> Inline:
        return typed(value) if value else self.p("documents.not_recorded")

    # --- the document -----------------------------------------------------------------
    def build(self) -> Document:
        self.header()
        self.agenda()
        self.confirmations()
        self.items()
        self.closing_remarks()
        self.resolutions()
        self.actions()
        self.evaluations()  # not part of the actions table: shown when it has none
        self.attachments()
        self.corrections()
        self.closing()
        self.figures()
        return self.doc

    def header(self) -> None:
        m = self.meeting
        if self.draft:
            key = "minutes.draft_planned" if m.status == "planned" else "minutes.draft_open"
            self.doc.add(Paragraph(self.p(key), "banner"))
        if m.opened is not None and not self.story.ever_met:
            needed = self.story.opening.needed
            if m.status == "closed":
                banner = self.p("minutes.quorum_never", peak=self.story.peak, needed=needed)
            else:
                banner = self.p("minutes.quorum_not_yet", present=self.story.peak,
                                needed=needed)
            self.doc.add(Paragraph(banner, "banner"))
        people = facts.attendance(m)
        self.field("minutes.label.title", typed(m.title))
        self.field("minutes.label.time", self.time_text())
        self.field("minutes.label.place", self.optional(m.place))
        self.field("minutes.label.host", self.host())
        self.field("minutes.label.recorder", self.optional(m.recorder))
        self.field("minutes.label.attendance", self.p(
            "minutes.attendance", expected=people.expected, attended=len(people.attended),
            rate=people.rate))
        absent = self.names(people.absent)
        if self.public:  # counts, never names: who stayed away is not for the lobby
            absent = (self.p("minutes.public.count", n=len(people.absent)) if people.absent
                      else self.p("documents.none"))
        elif self.draft and people.absent:
            # people may still arrive: until the close they are only not here yet
            absent = self.p("minutes.not_signed_in", names=absent)
        self.field("minutes.label.present", self.names(people.attended))
        if people.excused and self.public:
            self.field("minutes.label.excused",
                       self.p("minutes.public.count", n=len(people.excused)))
        elif people.excused:
            self.field("minutes.label.excused", join(
                [self.p("minutes.excused_reason", name=typed(name), reason=typed(said))
                 if (said := self.inside(reason)) else typed(name)
                 for name, reason in people.excused],
                self.locale.list_separator))
        self.field("minutes.label.absent", absent)
        if m.opened is not None:
            late = [self.p("minutes.late", name=typed(name), at=ClockTime(at)) if at
                    else typed(name) for name, at in facts.late_arrivals(m)]
            self.field("minutes.label.late", join(late, self.locale.list_separator)
                       if late else self.p("documents.none"))
        self.field("minutes.label.left_early", self.departures(people.departures))
        guests = [self.guest(name, org) for name, org in people.guests
                  if not self.public or name in self.named]
        if self.public and len(guests) < len(people.guests):
            guests.append(self.p("minutes.public.residents",
                                 n=len(people.guests) - len(guests)))
        self.field("minutes.label.guests",
                   join(guests, self.locale.list_separator) if guests
                   else self.p("documents.none"))
        self.field("minutes.label.quorum", self.quorum_text())
        if m.note:
            self.field("minutes.label.note", typed(m.note, lines=True))
        self.flush()

    def host(self) -> Inline:
        """The host, with the title or organisation they signed in with, if any (a
        社区书记 chairing as a non-voting attendee)."""
        m = self.meeting
        if not m.host:
            return self.p("documents.not_recorded")
        org = self.inside(next((a.org for a in m.stays(m.host) if a.org), None))
        return (self.p("minutes.guest", name=typed(m.host), org=typed(org)) if org
                else typed(m.host))

    def inside(self, text: str | None) -> str | None:
        """Typed text printed in brackets after a name (an organisation, a title, a
        reason), with no brackets of its own: 王丽娟（幸福里社区，社区书记）."""
        return facts.unbracketed(text, self.lang) or None if text else None

    def guest(self, name: str, org: str | None) -> Inline:
        """A 列席 guest, with their organisation and, when they came after the opening at
        a time someone noted, when they joined (到会 15:38): a guest is never late."""
        m = self.meeting
        org = self.inside(org)
        stay = facts.first_arrivals(m)[name]
        joined = (m.opened is not None and stay.arrived > m.opened
                  and noted(stay, "arrived"))
        if joined and org:
            return self.p("minutes.guest_joined_org", name=typed(name), org=typed(org),
                          at=ClockTime(stay.arrived))
        if joined:
            return self.p("minutes.guest_joined", name=typed(name), at=ClockTime(stay.arrived))
        return self.p("minutes.guest", name=typed(name), org=typed(org)) if org else typed(name)

    def time_text(self) -> Inline:
        """The day and the times someone noted: a time the meeting clock supplied while
        the meeting was typed up from notes is left out (the planned start is said as
        planned)."""
        m = self.meeting
        day = self.locale.date_words(m.date, weekday=True)
        start = m.opened if m.opened and noted(m, "opened") else None
        end = m.closed if m.closed and noted(m, "closed") else None
        if start and end:
            return self.p("minutes.time_range", date=day, start=ClockTime(start),
                          end=ClockTime(end))
        if start and m.closed:
            return self.p("minutes.time_from", date=day, start=ClockTime(start))
        if start:
            return self.p("minutes.time_open", date=day, start=ClockTime(start))
        if end:
            return self.p("minutes.time_until", date=day, end=ClockTime(end))
        if m.time:
            return self.p("minutes.time_planned", date=day, start=ClockTime(m.time))
        return words(day)

    def departures(self, departures: list[facts.Departure]) -> Inline:
        if not departures:
            return self.p("documents.none")
        entries = []
        for person in departures:
            times = [self.leaving(stay, back) for stay, back in person.times]
            if self.public and person.name not in self.named:
                continue  # a resident who came as a guest and left
            entries.append(self.p("minutes.departure", name=typed(person.name),
                                  times=self.t("documents.clause_separator").join(times)))
        return join(entries, self.locale.list_separator)

    def leaving(self, stay: Any, back: Any) -> str:
        """When someone left (and came back), in the times someone noted."""
        left = ClockTime(stay.left) if noted(stay, "left") else None
        if back is None:
            return (self.t("minutes.left_at", at=left) if left
                    else self.t("minutes.left_untimed"))
        returned = ClockTime(back.arrived) if noted(back, "arrived") else None
        if left and returned:
            return self.t("minutes.left_and_back", left=left, back=returned)
        if left:
            return self.t("minutes.left_at_and_back", at=left)
        if returned:
            return self.t("minutes.left_and_back_at", at=returned)
        return self.t("minutes.left_and_back_untimed")

    def quorum_text(self) -> Inline:
        story = self.story
        if story.at is None:
            return self.p("minutes.quorum_now", explain=story.opening.explain(self.lang))
        explain = story.opening.explain(self.lang)
        parts = [self.t("minutes.quorum_at_opening", at=ClockTime(story.at), explain=explain)
                 if story.at in story.noted
                 else self.t("minutes.quorum_at_opening_untimed", explain=explain)]
        parts += [self.t("minutes.quorum_change", at=ClockTime(at), present=check.present,
                         brief=check.brief(self.lang)) if at in story.noted
                  else self.t("minutes.quorum_change_untimed", present=check.present,
                              brief=check.brief(self.lang))
                  for at, check in story.changes]
        return words(self.t("documents.clause_separator").join(parts))

    def agenda(self) -> None:
        self.doc.add(Heading(2, self.p("minutes.section.agenda")))
        if not self.meeting.item:
            self.doc.add(Paragraph(self.p("minutes.no_agenda")))
            return
        self.doc.add(ListBlock(tuple(ListItem(typed(item.title), number=item.id)
                                     for item in sorted(self.meeting.item,
                                                        key=lambda i: i.id))))

    def confirmations(self) -> None:
        """The minutes of earlier meetings confirmed at this one: unnumbered, before the
        first item (the order in which a council takes them)."""
        from ..meeting.cycle import confirmations

        found = confirmations(self.meeting)
        if not found:
            return
        self.doc.add(Heading(2, self.p("minutes.section.confirmation")))
        for confirmation in found:
            self.doc.add(Paragraph(self.p(
                "minutes.confirmation", title=typed(confirmation.title),
                date=self.locale.date_words(dt.date.fromisoformat(confirmation.meeting[:10])),
                yes=confirmation.yes, no=confirmation.no, abstain=confirmation.abstain)))

    def items(self) -> None:
        m = self.meeting
        numbers = {i.id for i in m.item}
        for item in sorted(m.item, key=lambda i: i.id):
            self.doc.add(Heading(2, self.p(
                "minutes.item_heading", number=self.locale.number_words(item.id),
                title=typed(item.title))))
            if item.by:  # nobody noted who raised it: no line saying so
                self.field("minutes.label.item_by", self.person(item.by))
            if item.topic is not None:  # made from a resident's topic: where it came from
                from .sources import source_label, source_of

                source = source_of(item, self.lang, public=self.public)
                if source:
                    self.fields.append(Field(source_label(self.lang), source))
            if item.note:
                self.field("minutes.label.item_note", typed(item.note, lines=True))
            self.flush()
            self.discussion([s for s in m.speech if s.item == item.id],
                            [x for x in m.motion if x.item == item.id])
        # Speeches and motions in a meeting without agenda items (or on an item that a
        # hand edit removed) still belong in the record.
        speeches = [s for s in m.speech if s.item not in numbers and not s.closing]
        motions = [x for x in m.motion if x.item not in numbers]
        if speeches or motions:
            self.doc.add(Heading(2, self.p("minutes.section.unassigned")))
            self.discussion(speeches, motions)

    def discussion(self, speeches: list[Speech], motions: list[Motion]) -> None:
        self.doc.add(Heading(3, self.p("minutes.section.speeches")))
        if speeches:
            # In entry order: by time, and within a minute as they were typed (seq).
            self.doc.add(ListBlock(tuple(ListItem(self.speech(speech))
                                         for speech in in_entry_order(speeches))))
        else:
            self.doc.add(Paragraph(self.p("minutes.no_speeches")))
        for motion in in_entry_order(motions):
            self.motion(motion)

    def speech(self, speech: Speech) -> Inline:
        parts = []
        if speech.stance:
            parts.append(self.t(f"minutes.stance.{speech.stance}"))
        if speech.minutes:
            parts.append(self.t("minutes.speech_minutes", n=speech.minutes))
        details = (self.t("minutes.speech_details",
                          parts=self.t("documents.detail_separator").join(parts))
                   if parts else "")
        if not noted(speech, "at"):
            return self.p("minutes.speech_untimed", name=self.person(speech.speaker),
                          details=details, text=typed(speech.text, lines=True))
        return self.p("minutes.speech", at=ClockTime(speech.at),
                      name=self.person(speech.speaker),
                      details=details, text=typed(speech.text, lines=True))

    def motion(self, motion: Motion) -> None:
        m = self.meeting
        self.doc.add(Heading(3, self.p("minutes.motion_heading",
                                       number=self.number_of(motion.id))))
        self.field("minutes.label.motion_text", typed(motion.text, lines=True))
        self.field("minutes.label.mover",
                   self.p("minutes.mover", name=self.person(motion.by),
                          at=ClockTime(motion.at))
                   if noted(motion, "at") else self.person(motion.by))
        self.field("minutes.label.seconder", self.person(motion.second) if motion.second
                   else self.p("documents.none"))
        amendments = m.amendments_of(motion.id)
        if amendments:
            self.field("minutes.label.amendments", (), tuple(
                (self.p("minutes.amendment", at=ClockTime(a.at), name=self.person(a.by))
                 if noted(a, "at") else self.p("minutes.amendment_untimed",
                                               name=self.person(a.by)))
                + words("\n")
                + self.p("minutes.amendment_before", text=typed(a.previous, lines=True))
                + words("\n")
                + self.p("minutes.amendment_after", text=typed(a.text, lines=True))
                for a in amendments))
        votes = m.votes_on(motion.id)
        if not votes:
            self.field("minutes.label.vote_method", self.p("minutes.not_put_to_vote"))
        for number, vote in enumerate(votes, 1):
            self.vote(vote, number if len(votes) > 1 else None)
        self.field("minutes.label.outcome", self.outcome(motion))
        self.flush()

    def vote(self, vote: Vote, number: int | None) -> None:
        m = self.meeting
        recusal = (self.t("minutes.recusal_counts", r=len(vote.recused), eligible=vote.eligible)
                   if vote.recused else "")
        method = (self.p("minutes.vote_method", at=ClockTime(vote.at), present=vote.present,
                         recusal=recusal) if noted(vote, "at")
                  else self.p("minutes.vote_method_untimed", present=vote.present,
                              recusal=recusal))
        if number is None:
            self.field("minutes.label.vote_method", method)
        else:
            self.fields.append(Field(self.t("minutes.label.vote_n", n=number), method))
        quorum = facts.vote_had_quorum(m, vote.present)
        if not quorum.met:
            self.field("minutes.label.attention", self.p(
                "minutes.vote_without_quorum", present=vote.present, needed=quorum.needed))
        if vote.recused:
            self.field("minutes.label.recused",
                       self.p("minutes.recused_value", names=self.names(vote.recused)))
        threshold = rules.parse_threshold(vote.rule)
        decision = rules.decide(threshold, vote.tally(len(m.members)))
        minimum = threshold.minimum(decision.base_size)
        assert threshold.base is not None
        # Shares of the base the rule decided by: after one 回避 among 7 present, 4 of the
        # 6 who could vote is 66.7%, the figure a resident checks against 过半数.
        size = decision.base_size
        self.field("minutes.label.counts", self.p(
            "minutes.counts_share", yes=vote.yes, no=vote.no, abstain=vote.abstain,
            base=self.p(f"minutes.base.{threshold.base}", n=size),
            yes_share=facts.percent(vote.yes, size), no_share=facts.percent(vote.no, size),
            abstain_share=(self.t("minutes.share_not_counted") if threshold.base == "yes+no"
                           else facts.percent(vote.abstain, size)))
            + (self.p("minutes.not_voting", n=vote.not_voting) if vote.not_voting else ()))
        if vote.tellers:
            self.field("minutes.label.tellers", self.people(vote.tellers))
        self.field("minutes.label.rule", self.rule_text(threshold, minimum))
        if decision.base_size == 0:
            arithmetic = self.p("minutes.arithmetic", explain=decision.explain(self.lang),
                                outcome_key=f"status.{vote.outcome}")
        else:
            arithmetic = self.p(
                "minutes.arithmetic_minimum", yes=vote.yes, minimum=minimum,
                base_key=f"minutes.base.{threshold.base}", n=decision.base_size,
                outcome_key=f"status.{vote.outcome}")
        self.field("minutes.label.arithmetic", arithmetic)
        if decision.outcome != vote.outcome:
            self.field("minutes.label.attention", self.p(
                "minutes.outcome_mismatch", found_key=f"status.{vote.outcome}",
                want_key=f"status.{decision.outcome}"))
        if vote.reconsidered is not None:
            self.field("minutes.label.reconsidered",
                       self.p("minutes.reconsidered", at=ClockTime(vote.reconsidered))
                       if noted(vote, "reconsidered")
                       else self.p("minutes.reconsidered_untimed"))

    def rule_text(self, threshold: rules.Threshold, minimum: int) -> Inline:
        """The rule in words and what it asked of this vote: never the rule's code nor
        a fraction such as 16/3 ≈ 5.33, which a resident cannot check by counting."""
        assert threshold.base is not None
        return self.p("minutes.rule_with_minimum", words=rule_words(threshold, self.lang),
                      minimum=minimum)

    def number_of(self, motion_id: str) -> str:
        """A motion's number in words (动议三: the 三), as its id numbers it."""
        number = facts.id_number(motion_id)
        return self.locale.number_words(number) if number is not None else motion_id

    def outcome(self, motion: Motion) -> Inline:
        status = words(self.t(f"status.{motion.status}"), bold=True)
        resolution = self.resolution_of.get(motion.id)
        if resolution:
            return self.p("minutes.outcome_resolution", status=status,
                          number=self.locale.number_words(resolution))
        return status

    def closing_remarks(self) -> None:
        """会议小结: the host's closing words, after the last item's result under their own
        heading, never as a speech of the last item."""
        remarks = in_entry_order([s for s in self.meeting.speech if s.closing])
        if not remarks:
            return
        self.doc.add(Heading(2, self.p("minutes.section.closing")))
        for remark in remarks:
            self.doc.add(Paragraph(self.speech(remark)))

    def resolutions(self) -> None:
        self.doc.add(Heading(2, self.p("minutes.section.resolutions")))
        found = self.meeting.resolutions()
        if not found:
            key = ("minutes.no_resolutions_no_quorum"
                   if self.meeting.opened is not None and not self.story.ever_met
                   else "minutes.no_resolutions")
            self.doc.add(Paragraph(self.p(key)))
            return
        # one paragraph each, led by its name: 决议一 is the number, no list marker too
        for number, (_, motion, _vote) in enumerate(found, 1):
            self.doc.add(Paragraph(words(facts.resolution_words(number, self.lang), bold=True)
                                   + words(" ")
                                   + typed(motion.text, lines=True)))

    def actions(self) -> None:
        self.doc.add(Heading(2, self.p("minutes.section.actions")))
        if not self.meeting.action:
            self.doc.add(Paragraph(self.p("documents.none")))
            return
        rows = []
        for action in self.meeting.action:
            text = typed(action.text, lines=True)
            if action.motion:
                reference = self.resolution_of.get(action.motion)
                text += (self.p("minutes.action_for_resolution",
                                number=self.locale.number_words(reference)) if reference
                         else self.p("minutes.action_for_motion",
                                     number=self.number_of(action.motion)))
            if action.added is not None:  # follow-up given after the close
                text += self.p("minutes.action_added",
                               date=self.locale.date_words(action.added))
            due = words(self.locale.date_words(action.due) if action.due else "-")
            if action.done:
                status = self.p("action.done")
                if action.note:
                    status = self.p("minutes.done_with_note", status=status,
                                    note=typed(action.note, lines=True))
            else:
                status = self.p("action.open")
            rows.append((text, self.person(action.owner), due, status))
        header = tuple(self.t(f"minutes.col.{c}") for c in ("action", "owner", "due", "status"))
        self.doc.add(Table(header, tuple(rows), widths=(5, 2, 2, 3)))

    def evaluations(self) -> None:
        """Residents' evaluations of the resolutions carried out (居民评议, follow-up
        like the actions above): 决议一 居民评议（…）：满意 30 人…, one paragraph each."""
        from ..meeting.cycle import evaluations_of

        for motion_id, number in self.resolution_of.items():
            for evaluation in evaluations_of(self.meeting, motion_id):
                self.doc.add(Paragraph(
                    words(facts.resolution_words(number, self.lang), bold=True) + words(" ")
                    + facts.evaluation_words(evaluation, self.lang)))

    def attachments(self) -> None:
        """附件: each photo or scan by its caption (else the name it had) and its type,
        marked when it was added after the close; never its code or its hash. None, no
        section. The public edition shows only those marked fit for a public page."""
        records = self.shown_attachments()
        if not records:
            return
        self.doc.add(Heading(2, self.p("minutes.section.attachments")))
        entries = []
        for record in records:
            kind = self.t(f"minutes.attachment_type.{record.file.rpartition('.')[2]}")
            what = typed(record.caption or record.name)
            entries.append(ListItem(
                self.p("minutes.attachment_added", text=what, type=kind,
                       date=self.locale.date_words(record.added)) if record.added
                else self.p("minutes.attachment", text=what, type=kind)))
        self.doc.add(ListBlock(tuple(entries)))

    def shown_attachments(self) -> list[Attachment]:
        """The attachments this edition shows: all of them, or in the public edition
        only those added with `--public` (a scan of signed sheets stays in the record)."""
        return [record for record in self.meeting.records(Attachment)
                if not self.public or record.public]

    def figures(self) -> None:
        """The photos given (`images`), each as wide as the page under its number and
        caption in the list of attachments: an appendix after the signatures."""
        shown = [(number, record) for number, record in
                 enumerate(self.shown_attachments(), 1)
                 if record.file in self.images
                 and record.file.rpartition(".")[2] in ATTACHMENT_TYPES]
        if not shown:
            return
        self.doc.add(PageBreak(), Heading(2, self.p("minutes.section.figures")))
        for number, record in shown:
            self.doc.add(Figure(self.images[record.file],
                                ATTACHMENT_TYPES[record.file.rpartition(".")[2]],
                                self.p("minutes.figure", number=number,
                                       text=typed(record.caption or record.name))))

    def corrections(self) -> None:
        """更正说明: what was corrected after the close, when and why — one entry per
        correction made (the records one `fix`, `strike` or `excuse` wrote), each change on
        a line."""
        if not self.meeting.correction:
            return
        self.doc.add(Heading(2, self.p("minutes.section.corrections")),
                     Paragraph(self.p("minutes.corrections_intro")))
        groups: list[list[Correction]] = []
        for correction in self.meeting.correction:
            last = groups[-1][-1] if groups else None
            if last is not None and (last.date, last.reason) == (correction.date,
                                                                  correction.reason):
                groups[-1].append(correction)
            else:
                groups.append([correction])
        self.doc.add(ListBlock(tuple(
            ListItem(self.p("minutes.correction_group",
                            date=self.locale.date_words(group[0].date),
                            reason=self.reason(group[0].reason)),
                     tuple(self.correction(c) for c in group))
            for group in groups)))

    def reason(self, text: str) -> Inline:
        """Why a correction was made, as typed; in the public edition with the names of
        the people it may not name put in words (「居民」, 「一名成员」 for a member who
        stayed away): a secretary writes 会后补交假条牛建平 or 孙大妈要求删除."""
        if not self.public:
            return typed(text, lines=True)
        hidden = self.hidden_names()
        for name in sorted(hidden, key=len, reverse=True):  # 王建国 before 王建
            text = text.replace(name, self.t(hidden[name]))
        return typed(text, lines=True)

    def hidden_names(self) -> dict[str, str]:
        """The names the public edition does not print, with the catalogue key of the
        words that stand for them: people outside the council, and members absent or
        excused (counted, never named)."""
        m = self.meeting
        mentioned = {a.name for a in m.attendee} | {s.speaker for s in m.speech} | {
            name for name in (*(i.by for i in m.item), *(i.raised_by for i in m.item),
                              *(mo.by for mo in m.motion), *(mo.second for mo in m.motion),
                              *(a.owner for a in m.action), *(e.name for e in m.excused))
            if name}
        attended = set(m.members_attended())
        hidden = {name: "minutes.public.resident" for name in mentioned
                  if name not in self.named}
        hidden |= {name: "minutes.public.a_member" for name in m.members
                   if name not in attended and name not in (m.host, m.recorder)}
        return hidden

    def correction(self, correction: Correction) -> Inline:
        """One change, naming the record as people do (动议一表决的赞成票数, 删除刘艳的
        发言（19:33）), never by its code."""
        table, _, record_id = correction.record.partition(" ")
        if self.public and table == "excused":
            # whose leave and why stay off the public edition
            return self.p("minutes.public.excused_corrected")
        if self.public and table == "attendee":
            # a sign-in struck or moved: who, and so who stayed away, stays off it
            return self.p("minutes.public.attendee_corrected")
        if self.public and table == "attachment":
            # a private attachment's caption stays off it, and the public edition numbers
            # only the public ones: no attachment is named in its 更正说明
            return self.p("minutes.public.attachment_corrected")
        if not facts.is_corrected(table):  # a hand-written record: as it is
            record: Inline = typed(correction.record)
        else:
            record = self.record_words.name(table, record_id)
        if correction.field is None and correction.before is None:
            # a record added after the close (`excuse`): the whole record is in `after`
            content = self.record_words.content(table, correction.after)
            return self.p("minutes.correction_added", record=record,
                          summary=self.p("minutes.added_summary", text=typed(content))
                          if content else "")
        if correction.field is None:
            content = self.record_words.content(table, correction.before)
            return self.p("minutes.correction_struck", record=record,
                          summary=self.p("minutes.correction_summary", text=typed(content))
                          if content else "")
        field_key = f"field.{table}.{correction.field}"
        field = (words(self.t(field_key)) if field_key in catalogue(self.lang)
                 else typed(correction.field))
        if self.public and correction.field in PERSON_FIELDS:
            # who spoke, moved or counted, before and after: named as the edition names
            # people (a resident outside the council is 「居民」)
            return self.p("minutes.correction_change", record=record, field=field,
                          before=self.names_in(correction.before),
                          after=self.names_in(correction.after))
        return self.p("minutes.correction_change", record=record, field=field,
                      before=self.value(correction.field, correction.before),
                      after=self.value(correction.field, correction.after))

    def names_in(self, text: str | None) -> Inline:
        """A corrected value that names people (one name, or several joined by 、 as the
        trail keeps them), each as the edition names people."""
        if text is None:
            return self.p("documents.none")
        return join([self.person(name) for name in text.split("、")],
                    self.locale.list_separator)

    def signatures(self) -> None:
        """Who signs the minutes, as a table of names with a blank cell each: the host and
        the recorder (whatever their role: often 列席), then — unless the council signs
        by its officers only (`signatures = "officers"`) — every member present
        (参会人员签字), two to a row. Other guests sign the 签到表, not the minutes."""
        m = self.meeting
        officers = tuple((words(self.t(f"minutes.sign.{role}")), typed(name) if name else (),
                          ()) for role, name in (("host", m.host), ("recorder", m.recorder)))
        self.doc.add(Table(tuple(self.t(f"minutes.sign.col.{c}")
                                 for c in ("role", "name", "signature")),
                           officers, widths=(2, 3, 5), tall=True, to_sign=True))
        if self.signatures_by != "all":
            return
        members = [name for name in m.members_attended() if name not in (m.host, m.recorder)]
        if not members:
            return
        pairs = []
        for start in range(0, len(members), 2):
            row: tuple[Inline, ...] = ()
            for name in members[start:start + 2]:
                row += (typed(name), ())
            pairs.append(row + ((), ()) * (2 - len(members[start:start + 2])))
        columns = tuple(self.t(f"minutes.sign.col.{c}") for c in ("name", "signature"))
        self.doc.add(Paragraph(self.p("minutes.sign.members"), "lead"),
                     Table(columns * 2, tuple(pairs), widths=(2, 3, 2, 3), tall=True,
                           to_sign=True))

    def value(self, field: str, text: str | None) -> Inline:
        if text is None:
            return self.p("documents.none")
        return typed(facts.value_words(field, text, self.lang))

    def closing(self) -> None:
        m = self.meeting
        if m.closed and noted(m, "closed"):
            closed = clock_text(m.closed, self.lang)
        elif m.closed:
            closed = self.t("documents.not_recorded")
        else:
            closed = self.t("minutes.not_closed")
        # a line of the record, as 会议时间 above it: flush left, not a paragraph of prose
        self.doc.add(Paragraph(words(self.t("minutes.label.closed"), bold=True)
                               + words(self.t("documents.colon") + closed), "flush"))
        if self.draft:
            self.doc.add(Paragraph(self.p("minutes.draft_no_signature")))
        else:
            self.signatures()
            self.doc.add(Stamp(typed(self.org) if self.org else (),
                               self.locale.date_words(m.date), self.t("documents.seal")))
            if self.confirmed is not None:
                self.doc.add(Paragraph(self.p(
                    "minutes.confirmed_by", date=self.locale.date_words(self.confirmed.date),
                    title=typed(self.confirmed.title)), "flush"))
        self.doc.footer = self.p("documents.footer_minutes", version=typed(self.version),
                                 source=typed(self.source))

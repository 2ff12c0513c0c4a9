"""The site's pages as HTML: one frame (title, the way back, the council's tabs) round
a document of `render` or a table of the ledgers.

Every page is self-contained: its styles inline, the charts inline SVG, no script, no
font or image from anywhere, the system's own fonts; every link relative, so the site
opens from a USB stick (file://) as from any static host. Made for a phone first: text
wraps anywhere rather than widen the page, and a table that still cannot fit scrolls
inside its own box. Pure: the same inputs give the same bytes (no clock; the "as of"
day is given).

The pages never print a record's code (M1, R1): resolutions by their place (决议一),
meetings by their date and title. The attendance page is the one page that names who
was excused or absent, as counts per member.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from ..meeting.topics import Listing, holds_phone
from ..record.topics import Topic, Topics
from ..render import charts
from ..render.document import Document, Figure, PageBreak, Table
from ..render.facts import evaluation_words, id_number, item_words, percent, resolution_words
from ..render.reports import ActionRow, AttendanceRow, LedgerRow, MotionRow
from ..render.to_html import block_html, inline
from ..text.messages import locale, t

FONT = ('system-ui, -apple-system, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", '
        '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", sans-serif')

CSS = f"""*, *::before, *::after {{ box-sizing: border-box; }}
html {{ -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }}
body {{ margin: 0; font-family: {FONT}; font-size: 16px; line-height: 1.65; color: #1f2328;
  background: #f3f4f6; overflow-wrap: break-word; }}
a {{ color: #0b57a4; }}
header.site {{ background: #9b1c1c; color: #fff; padding: 0.7rem 1rem; }}
header.site a {{ color: #fff; text-decoration: none; }}
header.site .name {{ font-size: 1.15rem; font-weight: bold; }}
nav.crumbs {{ font-size: 0.9rem; margin-top: 0.2rem; }}
nav.crumbs a {{ text-decoration: underline; }}
main {{ max-width: 60rem; margin: 0 auto; padding: 1rem; background: #fff;
  min-height: 60vh; }}
h1 {{ font-size: 1.45rem; line-height: 1.35; margin: 0.4rem 0 0.8rem; }}
h2 {{ font-size: 1.2rem; margin: 1.4rem 0 0.5rem; }}
h3 {{ font-size: 1.05rem; margin: 1rem 0 0.4rem; }}
nav.tabs {{ display: flex; flex-wrap: wrap; gap: 0.5rem; margin: 0.6rem 0 1rem; }}
nav.tabs a {{ display: inline-block; padding: 0.25rem 0.8rem; border: 1px solid #c9ccd1;
  border-radius: 1rem; text-decoration: none; }}
nav.tabs a[aria-current] {{ background: #9b1c1c; border-color: #9b1c1c; color: #fff; }}
.scroll {{ max-width: 100%; overflow-x: auto; margin: 0.5rem 0; }}
table {{ border-collapse: collapse; width: 100%; font-size: 0.95rem; }}
th, td {{ border: 1px solid #d0d4da; padding: 0.35rem 0.5rem; text-align: left;
  vertical-align: top; }}
th {{ background: #f2f3f5; font-weight: bold; }}
td.n {{ text-align: right; white-space: nowrap; }}
.nowrap {{ white-space: nowrap; }}
td .title, td .council {{ display: block; color: #57606a; font-size: 0.9rem; }}
td .council {{ color: #1f2328; font-weight: bold; }}
.state-done {{ color: #1d6b35; }}
.state-overdue {{ color: #b42318; font-weight: bold; }}
.state-open {{ color: #8a5300; }}
.status-adopted {{ color: #1d6b35; font-weight: bold; }}
.status-rejected {{ color: #b42318; }}
.status-postponed, .status-withdrawn, .status-reconsidering, .status-pending {{
  color: #8a5300; }}
td .item, td .source {{ display: block; color: #57606a; font-size: 0.9rem; }}
.evaluation {{ display: block; margin-top: 0.3rem; color: #1f2328; font-size: 0.9rem; }}
.doc figure.photo {{ margin: 0.8rem 0; text-align: center; }}
.doc figure.photo img {{ display: block; max-width: 100%; height: auto; margin: 0 auto;
  border-radius: 0.3rem; }}
.doc figure.photo figcaption {{ color: #57606a; font-size: 0.9rem; margin-top: 0.3rem; }}
.meta {{ color: #57606a; font-size: 0.92rem; }}
.charts {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 26rem), 1fr));
  gap: 1rem; margin: 1rem 0; }}
.chart {{ border: 1px solid #e1e4e8; border-radius: 0.4rem; padding: 0.4rem; min-width: 0; }}
.chart svg {{ display: block; width: 100%; height: auto; }}
.doc h1 {{ text-align: center; }}
.doc p {{ margin: 0.35rem 0; }}
.doc p.body {{ text-indent: 2em; }}
.doc .banner {{ border: 2px solid #333; padding: 0.3rem 0.6rem; margin: 0.6rem 0; }}
.doc .fields {{ list-style: none; padding: 0; margin: 0.4rem 0; }}
.doc .fields li {{ padding-left: 2em; text-indent: -2em; }}
.doc .fields li ol, .doc .fields li ol li {{ text-indent: 0; padding-left: 0; }}
.doc .fields li ol {{ padding-left: 1.5em; }}
.doc .label {{ font-weight: bold; }}
.doc ol, .doc ul {{ padding-left: 1.6em; }}
.doc table.tall td {{ height: 3rem; }}
.doc .signatures {{ display: flex; flex-wrap: wrap; gap: 0.8em 2em; margin: 1.2em 0; }}
.doc .signature .line {{ display: inline-block; min-width: 5em; border-bottom: 1px solid #000; }}
.doc .stamp {{ margin: 1.5em 0 0 auto; max-width: 100%; text-align: right; }}
.doc .seal {{ color: #666; }}
.docs a {{ margin-right: 0.8em; white-space: nowrap; }}
@media (max-width: 480px) {{ main {{ padding: 0.75rem; }}
  th, td {{ padding: 0.3rem 0.3rem; }} .docs a {{ display: block; }} }}
footer {{ max-width: 60rem; margin: 0 auto; padding: 0.8rem 1rem 2rem; color: #57606a;
  font-size: 0.85rem; }}
"""


@dataclass(frozen=True)
class Link:
    """A crumb or a tab: its words and its relative address (None: the page itself)."""

    label: str
    href: str | None = None


@dataclass(frozen=True)
class MeetingLine:
    """A meeting as the lists show it, with the addresses of its pages (relative to the
    council's folder)."""

    id: str
    date: str
    title: str
    status: str
    attended: int
    expected: int
    resolutions: int
    notice: bool
    results: bool

    @property
    def page(self) -> str:
        return meeting_page(self.id)


def meeting_page(meeting_id: str, kind: str = "") -> str:
    """The address of a meeting's page in its council's folder: m/2022-03-08.html, its
    notice m/2022-03-08-notice.html."""
    return f"m/{meeting_id}{'-' + kind if kind else ''}.html"


def page(lang: str, title: str, crumbs: list[Link], body: str,
         tabs: list[Link] | None = None) -> bytes:
    """A whole page: `crumbs` lead back to the index, `tabs` are the council's pages."""
    home = crumbs[0] if crumbs else Link(t("site.title", lang=lang))
    out = ["<!DOCTYPE html>", f'<html lang="{escape(locale(lang).tag)}">', "<head>",
           '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{escape(title)}</title>", f"<style>\n{CSS}</style>", "</head>", "<body>",
           '<header class="site">',
           f'<div class="name">{_link(home)}</div>']
    if len(crumbs) > 1:
        out.append('<nav class="crumbs">' + " › ".join(_link(c) for c in crumbs[1:])
                   + "</nav>")
    out += ["</header>", "<main>"]
    if tabs:
        out.append('<nav class="tabs">' + "".join(
            f'<a aria-current="page">{escape(tab.label)}</a>' if tab.href is None
            else _link(tab) for tab in tabs) + "</nav>")
    out += [body, "</main>", f'<footer>{escape(t("site.footer", lang=lang))}</footer>',
            "</body>", "</html>"]
    return ("\n".join(out) + "\n").encode("utf-8")


def _link(link: Link) -> str:
    if link.href is None:
        return f"<span>{escape(link.label)}</span>"
    return f'<a href="{escape(link.href)}">{escape(link.label)}</a>'


def document_body(doc: Document, before: str = "", photos: str | None = None) -> str:
    """A document of `render` (the minutes, a notice) as the body of a page: its blocks
    as the HTML writer writes them, each table in a box that scrolls on a narrow screen.
    `photos`: the folder (relative to the page) its pictures are files in, each named
    as in the data folder's files/ (`photo_name`), instead of inside the page — a page
    of photos stays light, and a phone fetches a picture only when it scrolls to it."""
    colon = doc.locale.colon
    out = ['<article class="doc">', before, f"<h1>{inline(doc.title)}</h1>"]
    for block in doc.blocks:
        if photos is not None and isinstance(block, PageBreak):
            continue  # a page's break is for paper
        if photos is not None and isinstance(block, Figure):
            alt = escape("".join(span.text for span in block.caption), quote=True)
            size = image_size(block.data)
            box = f' width="{size[0]}" height="{size[1]}"' if size else ""
            out.append(f'<figure class="photo"><img src="{escape(photos)}/'
                       f'{photo_name(block.data, block.mime)}" alt="{alt}"{box} '
                       'loading="lazy">'
                       f"<figcaption>{inline(block.caption)}</figcaption></figure>")
            continue
        made = block_html(block, colon)
        out.append(f'<div class="scroll">{made}</div>' if isinstance(block, Table) else made)
    out.append("</article>")
    return "\n".join(out)


def photo_name(data: bytes, mime: str) -> str:
    """A picture's file name in the site: as in the data folder's files/ (the first 16
    hex digits of its SHA-256 and its type)."""
    import hashlib

    return f"{hashlib.sha256(data).hexdigest()[:16]}.{'png' if mime == 'image/png' else 'jpg'}"


def image_size(data: bytes) -> tuple[int, int] | None:
    """A PNG's or a JPEG's width and height in pixels (so that the page keeps the
    picture's room before it is fetched), None when the bytes do not say."""
    import struct

    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return (width, height) if width and height else None
    at = 2
    while data.startswith(b"\xff\xd8") and at + 4 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            at += 1 if marker == 0xFF else 2
            continue
        (length,) = struct.unpack(">H", data[at + 2:at + 4])
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD,
                      0xCE, 0xCF) and at + 9 <= len(data):
            height, width = struct.unpack(">HH", data[at + 5:at + 9])
            return (width, height) if width and height else None
        if marker == 0xDA:  # the scan begins: no frame header before it
            return None
        at += 2 + length
    return None


def table(header: Iterable[str], rows: Iterable[Iterable[str]],
          numeric: frozenset[int] = frozenset()) -> str:
    """A table of cells already in HTML (escaped by the caller)."""
    out = ['<div class="scroll"><table>', "<thead><tr>"
           + "".join(f"<th>{escape(h)}</th>" for h in header) + "</tr></thead>", "<tbody>"]
    for row in rows:
        out.append("<tr>" + "".join(f'<td class="n">{c}</td>' if i in numeric else f"<td>{c}</td>"
                                    for i, c in enumerate(row)) + "</tr>")
    out.append("</tbody></table></div>")
    return "\n".join(out)


def a(href: str, text: str) -> str:
    return f'<a href="{escape(href)}">{escape(text)}</a>'


def day(date: str, lang: str) -> str:
    import datetime as dt

    return locale(lang).date_words(dt.date.fromisoformat(date))


def meetings_table(lines: list[MeetingLine], lang: str, prefixes: list[str] | None = None,
                   councils: list[str] | None = None) -> str:
    """Meetings newest first: the date (to the minutes), the title, the status, who came,
    how many resolutions, and the notices. `prefixes` lead to each meeting's council
    folder (the index); `councils` puts each meeting's council under its date (the index
    across councils)."""
    if not lines:
        return f'<p class="meta">{escape(t("site.no_meetings", lang=lang))}</p>'
    header = [t("site.col.meeting", lang=lang)]
    header += [t(f"site.col.{c}", lang=lang)
               for c in ("status", "attended", "resolutions", "documents")]
    rows = []
    for index, line in enumerate(lines):
        prefix = prefixes[index] if prefixes is not None else ""
        docs = [a(prefix + line.page, t("site.minutes", lang=lang))]
        if line.notice:
            docs.append(a(prefix + meeting_page(line.id, "notice"), t("site.notice", lang=lang)))
        if line.results:
            docs.append(a(prefix + meeting_page(line.id, "results"),
                          t("site.results", lang=lang)))
        row = [f'<a class="nowrap" href="{escape(prefix + line.page)}">'
               f'{escape(day(line.date, lang))}</a>'
               + (f'<span class="council">{escape(councils[index])}</span>'
                  if councils is not None else "")
               + f'<span class="title">{escape(line.title)}</span>']
        row += [escape(t(f"meeting_status.{line.status}", lang=lang)),
                f"{line.attended}/{line.expected}", str(line.resolutions),
                '<span class="docs">' + "".join(docs) + "</span>"]
        rows.append(row)
    return table(header, rows, frozenset({2, 3}))


def ledger_table(rows: list[LedgerRow], lang: str) -> str:
    """Every adopted resolution, newest first, by its place in its meeting (决议一), with
    residents' latest evaluation of it (居民评议) under its text, as the notices word it."""
    if not rows:
        return f'<p class="meta">{escape(t("site.empty", lang=lang))}</p>'
    header = [t(f"site.col.{c}", lang=lang) for c in ("meeting", "text", "counts")]
    body = []
    for row in reversed(rows):
        number = id_number(row.resolution)
        name = resolution_words(number, lang) if number is not None else ""
        body.append([_meeting_cell(row.meeting, row.date, row.title, lang),
                     f"<b>{escape(name)}</b> " + escape(row.text).replace("\n", "<br>")
                     + _evaluation(row, lang),
                     escape(t("site.counts", lang=lang, yes=row.yes, no=row.no,
                              abstain=row.abstain))])
    return table(header, body, frozenset({2}))


def _evaluation(row: LedgerRow, lang: str) -> str:
    """The resolution's latest evaluation by residents in words (facts.evaluation_words:
    the counts, 满意率 and what it counts); nothing before any."""
    if row.evaluated is None or row.satisfied is None or row.basic is None \
            or row.unsatisfied is None:
        return ""
    import datetime as dt
    from typing import cast

    from ..record.kinds import Evaluation, EvaluationWay

    record = Evaluation(id="J1", motion=row.motion, date=dt.date.fromisoformat(row.evaluated),
                        how=cast(EvaluationWay | None, row.evaluated_how),
                        satisfied=row.satisfied, basic=row.basic, unsatisfied=row.unsatisfied)
    return f'<span class="evaluation">{inline(evaluation_words(record, lang))}</span>'


def motions_table(rows: list[MotionRow], lang: str, sources: dict[str, str]) -> str:
    """Every proposal (`ledger --all`), newest meeting first, in the order moved: its
    item and where that came from (`sources`: topic id → words, never a name), its text,
    and what became of it in words — 通过 with its resolution's place (决议一), 未通过,
    搁置, 撤回, 重议中, 待表决 — with the show of hands that stands."""
    if not rows:
        return f'<p class="meta">{escape(t("site.empty", lang=lang))}</p>'
    header = [t(f"site.col.{c}", lang=lang) for c in ("meeting", "proposal", "outcome")]
    body = []
    ordered = sorted(range(len(rows)), key=lambda i: (rows[i].date, rows[i].meeting, -i),
                     reverse=True)
    for row in (rows[i] for i in ordered):
        item = ""
        if row.item is not None:
            item = escape(item_words(row.item, lang)) + (
                f"{locale(lang).colon}{escape(row.item_title)}" if row.item_title else "")
            item = f'<span class="item">{item}</span>'
        if row.topic is not None:
            source = sources.get(row.topic) or t("site.topic_source_unknown", lang=lang)
            item += f'<span class="source">{escape(source)}</span>'
        outcome = (f'<span class="nowrap status-{escape(row.status)}">'
                   f'{escape(t(f"status.{row.status}", lang=lang))}</span>')
        number = id_number(row.resolution) if row.resolution else None
        if row.status == "adopted" and number is not None:
            outcome += f'<span class="title">{escape(resolution_words(number, lang))}</span>'
        if row.yes is not None:
            counts = t("site.counts", lang=lang, yes=row.yes, no=row.no, abstain=row.abstain)
            outcome += f'<span class="title nowrap">{escape(counts)}</span>'
        body.append([_meeting_cell(row.meeting, row.date, row.title, lang),
                     item + escape(row.text).replace("\n", "<br>"), outcome])
    return table(header, body)


def _meeting_cell(meeting_id: str, date: str, title: str, lang: str) -> str:
    """A meeting in a table: its date, linked to its minutes, over its title."""
    return (f'<a class="nowrap" href="{escape(meeting_page(meeting_id))}">'
            f'{escape(day(date, lang))}</a><span class="title">{escape(title)}</span>')


def action_state(row: ActionRow) -> str:
    return "done" if row.done else "overdue" if row.overdue else "open"


def actions_table(rows: list[ActionRow], lang: str) -> str:
    """Follow-up work, newest meeting first: the meeting, what, who, by when, its state
    (done, overdue on the day the site is as of, in progress)."""
    if not rows:
        return f'<p class="meta">{escape(t("site.empty", lang=lang))}</p>'
    header = [t(f"site.col.{c}", lang=lang) for c in ("meeting", "action", "owner", "state")]
    due = t("site.col.due", lang=lang)
    body = []
    for row in sorted(rows, key=lambda r: r.date, reverse=True):
        state = action_state(row)
        body.append([_meeting_cell(row.meeting, row.date, row.title, lang),
                     escape(row.text).replace("\n", "<br>"),
                     escape(row.owner) + (f'<span class="title">{escape(due)}'
                                          f"{locale(lang).colon}"
                                          f"{escape(day(row.due, lang))}</span>"
                                          if row.due else ""),
                     f'<span class="nowrap state-{state}">'
                     f'{escape(t(f"site.state.{state}", lang=lang))}</span>'])
    return table(header, body)


def attendance_table(rows: list[AttendanceRow], lang: str) -> str:
    """Per member: meetings expected at, present, excused, absent, and the rate. The one
    place the site names who was excused or absent, and only as counts."""
    if not rows:
        return f'<p class="meta">{escape(t("site.empty", lang=lang))}</p>'
    header = [t(f"site.col.{c}", lang=lang)
              for c in ("name", "held", "present", "excused", "absent", "rate")]
    body = [[escape(r.name), str(r.held), str(r.attended), str(r.excused), str(r.absent),
             percent(r.attended, r.held)] for r in rows]
    return (table(header, body, frozenset({1, 2, 3, 4, 5}))
            + f'<p class="meta">{escape(t("site.attendance_note", lang=lang))}</p>')


# --- charts ------------------------------------------------------------------------------

MONTHS = 24  # the charts by month show the last two years that have meetings
MEETINGS = 24  # the attendance chart shows the last meetings held


def _months(first: str, last: str) -> list[str]:
    """Every month from `first` to `last` (YYYY-MM), at most the last MONTHS."""
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out[-MONTHS:]


def charts_html(lines: list[MeetingLine], ledger: list[LedgerRow], actions: list[ActionRow],
                lang: str) -> str:
    """The council's three charts: resolutions per month, follow-up by the month of its
    meeting (done, overdue, in progress), and the attendance rate of the last meetings."""
    held = sorted((line for line in lines if line.status != "planned"),
                  key=lambda line: line.date)
    if not held:
        return ""
    months = _months(held[0].date[:7], held[-1].date[:7])
    adopted = {month: 0 for month in months}
    for row in ledger:
        if row.date[:7] in adopted:
            adopted[row.date[:7]] += 1
    states = {state: dict.fromkeys(months, 0) for state in ("done", "overdue", "open")}
    for action in actions:
        if action.date[:7] in adopted:
            states[action_state(action)][action.date[:7]] += 1
    recent = held[-MEETINGS:]
    made = [
        charts.Chart(t("site.chart.resolutions", lang=lang), tuple(months),
                     (charts.Series(t("site.series.resolutions", lang=lang),
                                    tuple(float(adopted[m]) for m in months)),)),
        charts.Chart(t("site.chart.actions", lang=lang), tuple(months),
                     tuple(charts.Series(t(f"site.state.{state}", lang=lang),
                                         tuple(float(states[state][m]) for m in months))
                           for state in ("done", "overdue", "open")), stacked=True),
        charts.Chart(t("site.chart.attendance", lang=lang),
                     tuple(line.date[5:].replace("-", "/") for line in recent),
                     (charts.Series(t("site.series.rate", lang=lang), tuple(
                         round(100 * line.attended / line.expected, 1) if line.expected
                         else 0.0 for line in recent)),), unit="%", top=100),
    ]
    return '<div class="charts">' + "".join(
        f'<figure class="chart" style="margin:0">{charts.svg(chart)}</figure>'
        for chart in made) + "</div>"


# --- topics (议题征集) ---------------------------------------------------------------------

def topic_source(topic: Topic, lang: str) -> str:
    """来源：心愿墙（2024-04-02）: how a topic came in and when, never who brought it (the
    words of a 公示, render/sources.py)."""
    via = (t(f"topics.via.{topic.via}", lang=lang) if topic.via
           else t("sources.unknown_via", lang=lang))
    return t("sources.line", lang=lang, source=t(
        "sources.value_public", lang=lang, via=via, date=topic.date.isoformat()))


def topic_anchor(topic_id: str) -> str:
    """A topic's place on the topics page (topic-3), for 已合并至 to point at."""
    return "topic-" + topic_id[1:]


def topics_table(pool: Topics, listed: dict[str, Listing],
                 meetings: dict[str, tuple[str, str]], lang: str) -> str:
    """Every topic of the pool, newest first: the day it came in and how (心愿墙 …), its
    text, and where it stands — 待议; 已列入 a meeting (linked to its minutes) and its
    item, then 通过/未通过/搁置; 不予列入 with the reason; 已合并至 another topic (linked
    on this page). `listed` is meeting/topics.listings; `meetings` the meetings' date
    and title by id. Never the resident who brought it (`Topic.by`)."""
    if not pool.topic:
        return f'<p class="meta">{escape(t("site.empty", lang=lang))}</p>'
    header = [t(f"site.col.{c}", lang=lang) for c in ("raised", "topic", "progress")]
    colon = locale(lang).colon
    body = []
    order = sorted(range(len(pool.topic)),
                   key=lambda i: (pool.topic[i].date, i), reverse=True)
    for topic in (pool.topic[i] for i in order):
        via = (t(f"topics.via.{topic.via}", lang=lang) if topic.via
               else t("sources.unknown_via", lang=lang))
        raised = (f'<span class="nowrap" id="{topic_anchor(topic.id)}">'
                  f"{escape(day(topic.date.isoformat(), lang))}</span>"
                  f'<span class="title">{escape(via)}</span>')
        listing = listed.get(topic.id)
        if topic.status == "rejected":
            reason = topic.reason if topic.reason and not holds_phone(topic.reason) else None
            state = (f'<span class="status-rejected">{escape(t("site.topic.rejected", lang=lang))}'
                     "</span>" + (f"{colon}{escape(reason)}" if reason else ""))
        elif topic.status == "merged":
            into = pool.get(topic.into or "")
            state = escape(t("site.topic.merged", lang=lang))
            if into is not None:
                state += (f' <a href="#{topic_anchor(into.id)}">'
                          f"{escape(_short(into.text))}</a>")
        elif listing is None:
            state = f'<span class="state-open">{escape(t("site.topic.open", lang=lang))}</span>'
        else:
            date, title = meetings.get(listing.meeting, (listing.meeting[:10], ""))
            state = (escape(t("site.topic.listed", lang=lang)) + " "
                     + f'<a href="{escape(meeting_page(listing.meeting))}">'
                     + escape(day(date, lang)) + (f" {escape(title)}" if title else "")
                     + "</a> " + escape(item_words(listing.item, lang)))
            if listing.outcome is not None:
                state += (f'<span class="nowrap status-{escape(listing.outcome)}" '
                          'style="display: block">'
                          f'{escape(t(f"status.{listing.outcome}", lang=lang))}</span>')
        # a phone hand-edited into a topic (`check` warns of it) never reaches the lobby
        text = (escape(t("site.topic.withheld", lang=lang)) if holds_phone(topic.text)
                else escape(topic.text).replace("\n", "<br>"))
        body.append([raised, text, state])
    return table(header, body)


def _short(text: str, most: int = 24) -> str:
    """A topic's text on one line, cut to `most` characters."""
    line = " ".join(text.split())
    return line if len(line) <= most else line[:most - 1] + "…"

"""Build the site: find the councils, guard the output folder, write what changed.

A council is a data folder (one with council.toml). A folder without one whose
subfolders have one is a street office's: each such subfolder is a council, in the
order of their names. Each council gets its own folder of the site, named after its
data folder when that name is a plain ASCII word (`xingfuli`), else `c-` and a digest
of the name; two data folders of one name get `-2`, `-3`. So two councils never share a
page, whatever their members' names or their meetings' dates.

The output folder is created if missing. It is refused when it is a data folder or
inside one (the site must never mix with the records), when a council's folder is
inside it, and when it holds anything and is not a site yiguan made: a site carries its
manifest, `.yiguan-site.json`, which lists every file written with its digest and, per
meeting, a digest of the page's inputs (the meeting file, council.toml, the language, the styles
and yiguan's version). A rebuild renders a meeting's pages again only when those inputs
changed; the pages that depend on everything (the index, the ledger, follow-up,
attendance and their charts) are rendered each time but written only when their bytes
changed; files a previous build wrote and this one did not make (a meeting deleted) are
removed. Each file is written to a temporary name beside it and renamed over it. No
clock is read: the day "overdue" is judged on is given (`as_of`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from .. import __version__
from ..record.fileformat import load_council, load_meeting
from ..record.model import Council
from ..render import reports
from ..render.document import Document
from ..render.minutes import minutes_document
from ..render.notice import notice_document, results_document
from ..store.files import COUNCIL_FILE
from ..store.folder import DataFolder
from ..store.index import Index
from ..text.errors import BrokenFile, YiguanError
from ..text.messages import t
from . import pages
from .pages import Link, MeetingLine, meeting_page

MANIFEST = ".yiguan-site.json"
SITE_FORMAT = 1  # bump when a page's layout changes: every meeting page is made again
RECENT = 30  # meetings listed on the index across councils
# The council's pages besides its meetings, in the order of their tabs: `<name>.html`,
# titled by the catalogue's `site.<name>`, its body from `_Council.page_<name>`. A new
# section (issue 23's topics and their outcome, residents' evaluations) is one more name
# here and one more method.
COUNCIL_PAGES = ("ledger", "actions", "attendance")
_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}")
# what a manifest may name: nothing outside the site, nothing but our pages
_OURS = re.compile(r"(?:[a-z0-9][a-z0-9_-]{0,70}/(?:m/)?)?[A-Za-z0-9][A-Za-z0-9._-]{0,80}\.html")


@dataclass
class Built:
    """What a build did: councils and meetings published, files written, files left as
    they were, files removed, and the meetings that could not be read (council, file,
    why)."""

    councils: int = 0
    meetings: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: list[tuple[str, str, str]] = field(default_factory=list)


def council_folders(paths: list[Path]) -> list[Path]:
    """The councils' data folders among `paths`: each a council, or a street office's
    folder whose subfolders holding council.toml are its councils."""
    found: list[Path] = []
    for path in paths:
        if (path / COUNCIL_FILE).is_file():
            found.append(path)
            continue
        subfolders = sorted(p for p in path.iterdir() if not p.name.startswith(".")
                            and p.is_dir() and (p / COUNCIL_FILE).is_file()) \
            if path.is_dir() else []
        if not subfolders:
            raise YiguanError("site.no_council", path=str(path))
        found += subfolders
    return found


def slugs(folders: list[Path]) -> list[str]:
    """Each council's folder in the site: a safe name, never the same twice."""
    taken: set[str] = set()
    out = []
    for folder in folders:
        name = folder.resolve().name
        base = (name.lower() if _SLUG.fullmatch(name.lower())
                else "c-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:10])
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        out.append(slug)
    return out


def read_manifest(out: Path) -> dict[str, Any] | None:
    """The manifest of a site yiguan made, or None."""
    try:
        data = json.loads((out / MANIFEST).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("generator") != "yiguan" \
            or not isinstance(data.get("files"), dict) \
            or not isinstance(data.get("meetings"), dict):
        return None
    return data


def prepare_output(out: Path, councils: list[Path]) -> dict[str, Any]:
    """Check that the site may be written to `out` and make the folder; the previous
    build's manifest (empty for a new site)."""
    target = out.resolve()
    for place in (target, *target.parents):
        if (place / COUNCIL_FILE).exists():
            raise YiguanError("site.out_in_data", path=str(out))
    for council in councils:
        root = council.resolve()
        if root == target or root in target.parents or target in root.parents:
            raise YiguanError("site.out_in_data", path=str(out))
    if out.exists() and not out.is_dir():
        raise YiguanError("site.out_not_folder", path=str(out))
    if not out.exists():
        out.mkdir(parents=True)
        return {"files": {}, "meetings": {}}
    manifest = read_manifest(out)
    if manifest is None:
        if any(os.scandir(out)):
            raise YiguanError("site.out_not_site", path=str(out))
        return {"files": {}, "meetings": {}}
    return manifest


class Writer:
    """Writes the site's files: only those whose bytes changed, each atomically."""

    def __init__(self, out: Path, old: dict[str, Any]) -> None:
        self.out = out
        self.old: dict[str, str] = {k: v for k, v in old["files"].items()
                                    if isinstance(k, str) and _OURS.fullmatch(k)}
        self.files: dict[str, str] = {}
        self.built = Built()
        self.checked: set[str] = set()

    def folder(self, rel: str) -> Path:
        """A folder of the site, made if missing; never a link out of it."""
        path = self.out / rel
        if rel not in self.checked:
            if path.is_symlink() or (path.exists() and not path.is_dir()):
                raise YiguanError("site.out_not_site", path=str(self.out))
            path.mkdir(parents=True, exist_ok=True)
            self.checked.add(rel)
        return path

    def put(self, rel: str, data: bytes) -> None:
        digest = hashlib.sha256(data).hexdigest()
        self.files[rel] = digest
        parent, _, name = rel.rpartition("/")
        path = (self.folder(parent) if parent else self.out) / name
        if self.old.get(rel) == digest and path.is_file() and not path.is_symlink():
            self.built.unchanged += 1
            return
        _atomic(path, data)
        self.built.written += 1

    def keep(self, rel: str) -> bool:
        """Keep a file the previous build wrote, if it is still there."""
        path = self.out / rel
        if rel in self.old and path.is_file() and not path.is_symlink():
            self.files[rel] = self.old[rel]
            self.built.unchanged += 1
            return True
        return False

    def finish(self, meetings: dict[str, Any]) -> Built:
        emptied: set[Path] = set()
        for rel in sorted(self.old.keys() - self.files.keys()):
            with contextlib.suppress(FileNotFoundError):
                (self.out / rel).unlink()
                self.built.removed += 1
            emptied.update(parent for parent in (self.out / rel).parents
                           if self.out in parent.parents)
        for folder in sorted(emptied, key=lambda p: len(p.parts), reverse=True):
            with contextlib.suppress(OSError):  # only when nothing is left: a council gone
                folder.rmdir()
        manifest = {"generator": "yiguan", "format": SITE_FORMAT, "files": self.files,
                    "meetings": meetings}
        data = (json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=0)
                + "\n").encode("utf-8")
        path = self.out / MANIFEST
        try:
            same = path.read_bytes() == data
        except OSError:
            same = False
        if not same:
            _atomic(path, data)
        return self.built


def _atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file renamed over it (the umask gives
    the mode: a site is for everyone to read)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0),
                 0o666)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


# --- one council ----------------------------------------------------------------------------

@dataclass
class CouncilSite:
    """A council as the index across councils shows it."""

    name: str
    slug: str
    lines: list[MeetingLine]
    resolutions: int


class _Council:
    def __init__(self, writer: Writer, root: Path, slug: str, as_of: dt.date, lang: str,
                 version: str, old_meetings: dict[str, Any]) -> None:
        self.writer, self.slug, self.as_of, self.lang = writer, slug, as_of, lang
        self.version = version
        self.folder = DataFolder(root)
        self.council_bytes = self.folder.council_path.read_bytes()
        self.council: Council = load_council(self.council_bytes,
                                             self.folder.display(self.folder.council_path))
        self.old_meetings = old_meetings
        self.meetings: dict[str, Any] = {}

    def t(self, key: str, **params: Any) -> str:
        return t(key, lang=self.lang, **params)

    def crumbs(self, up: str, here: str | None = None) -> list[Link]:
        """Home › council › here, from a page `up` levels below the site's root."""
        home = Link(self.t("site.title"), f"{up}index.html")
        if here is None:
            return [home, Link(self.council.name)]
        return [home, Link(self.council.name, up[3:] + "index.html"), Link(here)]

    def tabs(self, current: str) -> list[Link]:
        return [Link(self.t(f"site.{name}"), None if name == current else f"{name}.html"
                     if name != "meetings" else "index.html")
                for name in ("meetings", *COUNCIL_PAGES)]

    def build(self) -> CouncilSite:
        entries = Index(self.folder).entries(("attendance", "ledger", "actions"))
        lines = []
        good = []
        for entry in entries:
            summary = entry.summary
            if summary is None:
                self.writer.built.skipped.append((self.council.name, entry.meeting_id,
                                                  entry.problem or ""))
                continue
            good.append((self.council.name, entry))
            closed = summary["status"] == "closed"
            lines.append(MeetingLine(
                entry.meeting_id, summary["date"], summary["title"], summary["status"],
                summary["n_attended"], summary["n_members"], summary["n_resolutions"],
                closed and summary["n_resolutions"] > 0, closed and bool(summary["actions"])))
        self.meeting_pages(lines)
        self.lines = sorted(lines, key=lambda line: line.date, reverse=True)
        self.ledger = reports.ledger_rows(good, reports.Query())
        self.actions = reports.action_rows(good, reports.Query(today=self.as_of))
        roster = {self.council.name: [m.name for m in self.council.members]}
        self.attendance = reports.attendance_rows(good, roster, reports.Query())
        self.as_of_words = self.t("site.as_of", date=pages.day(self.as_of.isoformat(),
                                                                self.lang))
        name = self.council.name
        self.writer.put(f"{self.slug}/index.html", pages.page(
            self.lang, name, self.crumbs("../"), self.page_meetings(), self.tabs("meetings")))
        for kind in COUNCIL_PAGES:
            title = self.t(f"site.{kind}")
            body = getattr(self, f"page_{kind}")()
            self.writer.put(f"{self.slug}/{kind}.html", pages.page(
                self.lang, f"{title} · {name}", self.crumbs("../", title),
                f"<h1>{escape(title)}</h1>" + body, self.tabs(kind)))
        return CouncilSite(name, self.slug, self.lines, len(self.ledger))

    # --- the council's pages: one method each, named in COUNCIL_PAGES ---------------------
    def page_meetings(self) -> str:
        """The council's own index: its figures, the charts, its meetings newest first."""
        figures = self.t("site.summary", meetings=len(self.lines),
                         resolutions=len(self.ledger))
        return (f'<p class="meta">{escape(figures)} · {escape(self.as_of_words)}</p>'
                + pages.charts_html(self.lines, self.ledger, self.actions, self.lang)
                + pages.meetings_table(self.lines, self.lang))

    def page_ledger(self) -> str:
        return pages.ledger_table(self.ledger, self.lang)

    def page_actions(self) -> str:
        return (f'<p class="meta">{escape(self.as_of_words)}</p>'
                + pages.actions_table(self.actions, self.lang))

    def page_attendance(self) -> str:
        return pages.attendance_table(self.attendance, self.lang)

    def meeting_pages(self, lines: list[MeetingLine]) -> None:
        """Each meeting's minutes (public edition) and notices, made again only when the
        meeting file, council.toml, the language or yiguan changed; on every core when
        many changed (a new site)."""
        context = Context(self.slug, self.lang, self.version, self.council_bytes,
                          self.folder.display(self.folder.council_path))
        tasks: list[tuple[Context, MeetingLine, bytes, str]] = []
        for line in lines:
            path = self.folder.meeting_path(line.id)
            try:
                data = path.read_bytes()
            except OSError:
                continue
            key = hashlib.sha256(
                f"{SITE_FORMAT}\0{self.version}\0{self.lang}\0{self.slug}\0".encode()
                + LAYOUT + self.council_bytes + b"\0" + data).hexdigest()
            name = f"{self.slug}/{line.id}"
            self.meetings[name] = key
            if self.old_meetings.get(name) == key \
                    and all(self.writer.keep(rel) for rel in meeting_files(self.slug, line)):
                continue
            tasks.append((context, line, data, self.folder.display(path)))
        workers = os.cpu_count() or 1
        if len(tasks) >= PARALLEL_FROM and workers > 1 and hasattr(os, "fork"):
            made = _parallel(tasks, workers)
        else:
            made = map(render_meeting, tasks)
        for (_, line, _, _), bodies in zip(tasks, made, strict=True):
            for rel, body in zip(meeting_files(self.slug, line), bodies or (), strict=False):
                self.writer.put(rel, body)


PARALLEL_FROM = 64  # fewer meetings to render than this are rendered in-process
# the pages' styles are part of every meeting page's inputs: a new look makes them again
LAYOUT = hashlib.sha256(pages.CSS.encode("utf-8")).digest()


@dataclass(frozen=True)
class Context:
    """What a meeting's pages are made from besides the meeting: the council's folder
    of the site, the language, yiguan's version and council.toml (its bytes and name)."""

    slug: str
    lang: str
    version: str
    council_bytes: bytes
    council_display: str


_COUNCILS: dict[bytes, Council] = {}


def _council_of(context: Context) -> Council:
    found = _COUNCILS.get(context.council_bytes)
    if found is None:
        found = _COUNCILS[context.council_bytes] = load_council(context.council_bytes,
                                                                context.council_display)
    return found


def meeting_files(slug: str, line: MeetingLine) -> list[str]:
    """The pages of a meeting: its minutes, and once it is closed its notice (when it
    adopted something) and results notice (when it gave follow-up work)."""
    return [f"{slug}/{meeting_page(line.id, kind)}" for kind, made in
            (("", True), ("notice", line.notice), ("results", line.results)) if made]


def render_meeting(task: tuple[Context, MeetingLine, bytes, str]) -> list[bytes] | None:
    """The pages of `meeting_files`, in that order; None for a file that does not load."""
    context, line, data, display = task
    lang = context.lang
    c = _council_of(context)
    try:
        meeting = load_meeting(data, display)
    except (YiguanError, BrokenFile):
        return None
    source = f"{line.id}.toml"
    docs: list[Document] = [minutes_document(
        meeting, source=source, council=c.name, lang=lang, version=context.version,
        org=c.org, signatures=c.signatures, public=True)]
    kinds = ["minutes"]
    if line.notice:
        docs.append(notice_document(meeting, council=c.name, source=source, lang=lang,
                                    version=context.version, org=c.org,
                                    place=c.notice_place, phone=c.contact,
                                    calendar=c.calendar))
        kinds.append("notice")
    if line.results:
        docs.append(results_document(meeting, council=c.name, source=source, lang=lang,
                                     version=context.version, org=c.org,
                                     place=c.notice_place, phone=c.contact,
                                     calendar=c.calendar))
        kinds.append("results")
    here = f"{pages.day(line.date, lang)} {line.title}"
    crumbs = [Link(t("site.title", lang=lang), "../../index.html"),
              Link(c.name, "../index.html"), Link(here)]
    out = []
    for doc, current in zip(docs, kinds, strict=True):
        tabs = [Link(t(f"site.{kind}", lang=lang), None if kind == current
                     else meeting_page(line.id, "" if kind == "minutes" else kind)[2:])
                for kind in kinds]
        out.append(pages.page(lang, f"{here} · {t(f'site.{current}', lang=lang)}", crumbs,
                              pages.document_body(doc), tabs if len(kinds) > 1 else None))
    return out


def _parallel(tasks: list[tuple[Context, MeetingLine, bytes, str]], workers: int
              ) -> Iterator[list[bytes] | None]:
    """The pages of `tasks`, in their order, as the worker processes make them."""
    import gc
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(4, min(32, len(tasks) // (workers * 16)))
    with ProcessPoolExecutor(max_workers=workers, initializer=gc.disable) as pool:
        yield from pool.map(render_meeting, tasks, chunksize=chunk)


def build_site(paths: list[Path], out: Path, *, as_of: dt.date, lang: str,
               version: str = __version__) -> Built:
    """Build (or bring up to date) the site of the councils in `paths` in `out`."""
    roots = council_folders(paths)
    for root in roots:  # a council.toml that does not load: refused before anything is made
        DataFolder(root).load_council()
    manifest = prepare_output(out, roots)
    writer = Writer(out, manifest)
    old_meetings = manifest.get("meetings", {})
    meetings: dict[str, Any] = {}
    made = []
    for root, slug in zip(roots, slugs(roots), strict=True):
        council = _Council(writer, root, slug, as_of, lang, version, old_meetings)
        made.append(council.build())
        meetings.update(council.meetings)
    writer.put("index.html", index_page(made, lang))
    built = writer.finish(meetings)
    built.councils = len(made)
    built.meetings = sum(len(c.lines) for c in made)
    return built


def index_page(councils: list[CouncilSite], lang: str) -> bytes:
    """The index across councils: each council with its figures, then the latest
    meetings of them all, newest first."""
    title = t("site.title", lang=lang)
    rows = [[pages.a(f"{c.slug}/index.html", c.name), str(len(c.lines)), str(c.resolutions),
             escape(pages.day(c.lines[0].date, lang)) if c.lines else "-"]
            for c in councils]
    header = [t("site.councils", lang=lang), t("site.meetings", lang=lang),
              t("site.col.resolutions", lang=lang), t("site.col.latest", lang=lang)]
    body = [f"<h1>{escape(title)}</h1>",
            pages.table(header, rows, frozenset({1, 2})),
            f"<h2>{escape(t('site.meetings', lang=lang))}</h2>"]
    recent = sorted(((line, c) for c in councils for line in c.lines),
                    key=lambda pair: pair[0].date, reverse=True)[:RECENT]
    body.append(pages.meetings_table(
        [line for line, _ in recent], lang, prefixes=[f"{c.slug}/" for _, c in recent],
        councils=[c.name for _, c in recent] if len(councils) > 1 else None))
    return pages.page(lang, title, [Link(title)], "\n".join(body))

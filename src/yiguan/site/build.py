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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..meeting.topics import listings
from ..record.fileformat import load_council, load_meeting
from ..record.kinds import Attachment
from ..record.model import Council, Meeting
from ..record.topics import Topics
from ..render import reports
from ..render.document import Document
from ..render.facts import may_be_named
from ..render.minutes import Confirmed, minutes_document
from ..render.notice import notice_document, results_document
from ..render.reports import ActionRow
from ..store.attachments import named_in, path_of
from ..store.files import COUNCIL_FILE
from ..store.folder import DataFolder
from ..store.index import Index, confirmed_by
from ..text.errors import BrokenFile, YiguanError
from ..text.messages import t
from . import pages
from .pages import Link, MeetingLine, meeting_page

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

MANIFEST = ".yiguan-site.json"
SITE_FORMAT = 3  # bump when a page's layout changes: every meeting page is made again
RECENT = 30  # meetings listed on the index across councils
# The council's pages besides its meetings, in the order of their tabs: `<name>.html`,
# titled by the catalogue's `site.<name>`, its body from `_Council.page_<name>`. A new
# section (issue 23's topics and their outcome, residents' evaluations) is one more name
# here and one more method. The topics page (议题征集) is made only for a council that
# keeps a pool of topics (topics.toml).
COUNCIL_PAGES = ("topics", "ledger", "actions", "attendance")
_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}")
# what a manifest may name: nothing outside the site, nothing but our pages and the
# photos of a meeting (`<council>/m/<meeting>/<16 hex digits>.jpg`)
_OURS = re.compile(r"(?:[a-z0-9][a-z0-9_-]{0,70}/(?:m/)?)?[A-Za-z0-9][A-Za-z0-9._-]{0,80}\.html"
                   r"|[a-z0-9][a-z0-9_-]{0,70}/m/[0-9][0-9-]{9,14}/[0-9a-f]{16}\.(?:jpg|png)")


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
    warnings: list[str] = field(default_factory=list)  # worded: a photo left out …


def council_folders(paths: list[Path], nested: list[Path] | None = None) -> list[Path]:
    """The councils' data folders among `paths`: each a council, or a street office's
    folder whose subfolders holding council.toml are its councils; each folder once (by
    its resolved path), in the order first given. A street office's subfolder without
    council.toml whose own subfolders hold one (a district's folder) is not searched:
    it is added to `nested`, for a warning."""
    found: list[Path] = []
    for path in paths:
        if (path / COUNCIL_FILE).is_file():
            found.append(path)
            continue
        children = sorted(p for p in path.iterdir() if not p.name.startswith(".")
                          and p.is_dir()) if path.is_dir() else []
        subfolders = [p for p in children if (p / COUNCIL_FILE).is_file()]
        if not subfolders:
            raise YiguanError("site.no_council", path=str(path))
        found += subfolders
        if nested is not None:
            nested += [p for p in children if not (p / COUNCIL_FILE).is_file()
                       and any(not q.name.startswith(".") and (q / COUNCIL_FILE).is_file()
                               for q in _subfolders(p))]
    seen: set[Path] = set()
    unique = []
    for folder in found:
        if folder.resolve() not in seen:
            seen.add(folder.resolve())
            unique.append(folder)
    return unique


def _subfolders(path: Path) -> list[Path]:
    try:
        return [p for p in path.iterdir() if p.is_dir()]
    except OSError:
        return []


def _slug(name: str) -> str:
    return (name.lower() if _SLUG.fullmatch(name.lower())
            else "c-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:10])


def slugs(folders: list[Path]) -> list[str]:
    """Each council's folder in the site: a safe name, never the same twice, whatever
    the order the folders were given in. A name no other council has is the data
    folder's (`xingfuli`); councils whose data folders share a name (`a/meetings`,
    `b/meetings`) are each named after the folder above too (`a-meetings`); names still
    shared get `-2`, `-3` in the order of their resolved paths."""
    roots = [folder.resolve() for folder in folders]
    first = [_slug(root.name) for root in roots]
    shared = {slug for slug in first if first.count(slug) > 1}
    second = [_slug(f"{root.parent.name}-{root.name}") if slug in shared else slug
              for root, slug in zip(roots, first, strict=True)]
    out: dict[Path, str] = {}
    taken: set[str] = set(second)
    for slug in sorted(set(second)):
        group = sorted(root for root, name in zip(roots, second, strict=True) if name == slug)
        out[group[0]] = slug
        n = 2
        for root in group[1:]:
            while f"{slug}-{n}" in taken:
                n += 1
            out[root] = f"{slug}-{n}"
            taken.add(out[root])
    return [out[root] for root in roots]


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
    else:
        manifest = read_manifest(out)
        if manifest is not None:
            return manifest
        if any(os.scandir(out)):
            raise YiguanError("site.out_not_site", path=str(out))
    # a new site carries its manifest (no files yet) before its first page: a build
    # interrupted halfway leaves a folder the next build knows as its own and completes
    empty: dict[str, Any] = {"files": {}, "meetings": {}}
    _atomic(out / MANIFEST, _manifest_bytes(empty))
    return empty


def _manifest_bytes(parts: dict[str, Any]) -> bytes:
    manifest = {"generator": "yiguan", "format": SITE_FORMAT, **parts}
    return (json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=0)
            + "\n").encode("utf-8")


class Writer:
    """Writes the site's files: only those whose bytes changed, each atomically."""

    def __init__(self, out: Path, old: dict[str, Any]) -> None:
        self.out = out
        self.root = out.resolve()
        self.old: dict[str, str] = {k: v for k, v in old["files"].items()
                                    if isinstance(k, str) and _OURS.fullmatch(k)}
        facts = old.get("actions")
        self.old_actions: dict[str, Any] = facts if isinstance(facts, dict) else {}
        self.actions: dict[str, Any] = {}
        self.files: dict[str, str] = {}
        self.built = Built()
        self.checked: set[str] = set()

    def guard(self, rel: str, *, page: bool = False) -> Path:
        """`out/rel`, once every folder on the way to it (and the page itself, with
        `page`) is checked: no link, nothing but folders, nothing outside the site. A
        link where the site keeps a folder or a page is refused before it is followed."""
        path = self.out
        parts = [part for part in rel.split("/") if part]
        for n, part in enumerate(parts):
            path = path / part
            last = n == len(parts) - 1
            if path.is_symlink():
                raise YiguanError("site.out_link", path=str(path))
            if path.exists() and not (last and page) and not path.is_dir():
                raise YiguanError("site.out_not_site", path=str(self.out))
        if parts and path.exists() and self.root not in path.resolve().parents:
            raise YiguanError("site.out_link", path=str(path))
        return path

    def check(self, rels: list[str]) -> None:
        """Refuse, before anything is written, a link where the site keeps a folder or
        a page (the previous build's files, the councils' folders)."""
        for rel in sorted({*self.old, *rels}):
            self.guard(rel, page=rel.endswith((".html", ".jpg", ".png")))

    def folder(self, rel: str) -> Path:
        """A folder of the site, made if missing; never a link out of it."""
        path = self.out / rel
        if rel not in self.checked:
            self.guard(rel)
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
            path = self.guard(rel, page=True)  # never through a link: refused
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                self.built.removed += 1
            emptied.update(parent for parent in path.parents if self.out in parent.parents)
        for folder in sorted(emptied, key=lambda p: len(p.parts), reverse=True):
            self.guard(folder.relative_to(self.out).as_posix())
            with contextlib.suppress(OSError):  # only when nothing is left: a council gone
                folder.rmdir()
        data = _manifest_bytes({"files": self.files, "meetings": meetings,
                                "actions": self.actions})
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
    path: str = ""  # the data folder, resolved: orders councils of one name


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
        self.facts: dict[str, list[Any]] = {}  # meeting id: action_facts

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
                for name in ("meetings", *self.pages)]

    def load_pool(self) -> Topics | None:
        """The council's pool of topics, None when it keeps none (no topics.toml) or
        when the file does not load (said as a warning: `check` names what is wrong)."""
        if not self.folder.topics_path.exists():
            return None
        try:
            pool: Topics = self.folder.load_topics()
        except (BrokenFile, YiguanError, OSError):
            self.writer.built.warnings.append(self.t(
                "site.topics_broken", path=self.folder.display(self.folder.topics_path)))
            return None
        return pool

    def build(self) -> CouncilSite:
        self.pool = self.load_pool()
        self.pages = [name for name in COUNCIL_PAGES
                      if name != "topics" or self.pool is not None]
        entries = Index(self.folder).entries(("attendance", "ledger", "actions", "motions"))
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
        self.motions = reports.motion_rows(good, reports.Query())
        self.actions = self.public_actions(
            reports.action_rows(good, reports.Query(today=self.as_of)))
        roster = {self.council.name: [m.name for m in self.council.members]}
        self.attendance = reports.attendance_rows(good, roster, reports.Query())
        self.as_of_words = self.t("site.as_of", date=pages.day(self.as_of.isoformat(),
                                                                self.lang))
        name = self.council.name
        self.writer.put(f"{self.slug}/index.html", pages.page(
            self.lang, name, self.crumbs("../"), self.page_meetings(), self.tabs("meetings")))
        for kind in self.pages:
            title = self.t(f"site.{kind}")
            body = getattr(self, f"page_{kind}")()
            self.writer.put(f"{self.slug}/{kind}.html", pages.page(
                self.lang, f"{title} · {name}", self.crumbs("../", title),
                f"<h1>{escape(title)}</h1>" + body, self.tabs(kind)))
        return CouncilSite(name, self.slug, self.lines, len(self.ledger),
                           str(self.folder.root.resolve()))

    def public_actions(self, rows: list[ActionRow]) -> list[ActionRow]:
        """The actions as of the site's day: one done after it is not done yet (open or
        overdue, as the yearly report counts it), and an owner the public pages may not
        name (a resident) is 居民."""
        resident = self.t("site.resident")
        out = []
        for row in rows:
            local = row.id.rpartition("/")[2]
            fact = next((f for f in self.facts.get(row.meeting, ())
                         if isinstance(f, list) and len(f) == 3 and f[0] == local), None)
            if fact is None:  # not known (a file that did not render): nobody named
                out.append(row._replace(owner=resident))
                continue
            _, done_on, named = fact
            if row.done and isinstance(done_on, str) and done_on > self.as_of.isoformat():
                row = row._replace(done=False, overdue=row.due is not None
                                   and row.due < self.as_of.isoformat())
            out.append(row if named is True else row._replace(owner=resident))
        return out

    # --- the council's pages: one method each, named in COUNCIL_PAGES ---------------------
    def page_meetings(self) -> str:
        """The council's own index: its figures, the charts, its meetings newest first."""
        figures = self.t("site.summary", meetings=len(self.lines),
                         resolutions=len(self.ledger))
        return (f'<p class="meta">{escape(figures)} · {escape(self.as_of_words)}</p>'
                + pages.charts_html(self.lines, self.ledger, self.actions, self.lang)
                + pages.meetings_table(self.lines, self.lang))

    def page_topics(self) -> str:
        """Every topic of the pool and where it stands (meeting/topics.listings: the
        meeting that listed it and what came of it), without who brought it."""
        assert self.pool is not None
        listed = listings(self.folder, self.pool)
        meetings = {line.id: (line.date, line.title) for line in self.lines}
        return pages.topics_table(self.pool, listed, meetings, self.lang)

    def page_ledger(self) -> str:
        """The adopted resolutions (决议) with residents' evaluation, then every
        proposal with what became of it (全部议案, `ledger --all`)."""
        pool = self.pool.topic if self.pool is not None else []
        sources = {topic.id: pages.topic_source(topic, self.lang) for topic in pool}
        return (pages.ledger_table(self.ledger, self.lang)
                + f"<h2>{escape(self.t('site.every_proposal'))}</h2>"
                + pages.motions_table(self.motions, self.lang, sources))

    def page_actions(self) -> str:
        return (f'<p class="meta">{escape(self.as_of_words)}</p>'
                + pages.actions_table(self.actions, self.lang))

    def page_attendance(self) -> str:
        return pages.attendance_table(self.attendance, self.lang)

    def meeting_pages(self, lines: list[MeetingLine]) -> None:
        """Each meeting's minutes (public edition) and notices, with the photos marked
        public as files beside them, made again only when their inputs changed: the
        meeting file, council.toml, the language, the styles, yiguan's version, the
        later meeting that confirmed the minutes, and the files its attachments name
        (their size and time: a photo restored or changed by hand is seen). On every
        core when many changed (a new site)."""
        context = Context(self.slug, self.lang, self.version, self.council_bytes,
                          self.folder.display(self.folder.council_path), str(self.folder.root))
        found = confirmed_by(self.folder)
        tasks: list[Task] = []
        for line in lines:
            path = self.folder.meeting_path(line.id)
            try:
                data = path.read_bytes()
            except OSError:
                continue
            later = found.get(line.id) if line.status == "closed" else None
            confirmed = (later.date, later.title) if later is not None else None
            key = hashlib.sha256(
                f"{SITE_FORMAT}\0{self.version}\0{self.lang}\0{self.slug}\0".encode()
                + LAYOUT + self.council_bytes + b"\0" + data + b"\0"
                + json.dumps([confirmed, self.files_state(data)],
                             ensure_ascii=False).encode("utf-8")).hexdigest()
            name = f"{self.slug}/{line.id}"
            photos = f"{self.slug}/m/{line.id}/"
            if self.old_meetings.get(name) == key and all(self.writer.keep(rel) for rel in (
                    *meeting_files(self.slug, line),
                    *sorted(rel for rel in self.writer.old if rel.startswith(photos)))):
                self.meetings[name] = key
                self.facts[line.id] = self.writer.old_actions.get(name, [])
                continue
            tasks.append(Task(context, line, data, self.folder.display(path), confirmed))
            self.meetings[name] = key
        workers = os.cpu_count() or 1
        if len(tasks) >= PARALLEL_FROM and workers > 1 and hasattr(os, "fork"):
            pool = _pool(workers)
            try:
                self.take(tasks, _rendered(pool, tasks, workers))
            except BaseException:  # Ctrl-C: the workers are stopped, nothing waits for them
                _stop(pool)
                raise
            pool.shutdown()
        else:
            self.take(tasks, map(render_meeting, tasks))
        for name in self.meetings:
            facts = self.facts.get(name.rpartition("/")[2])
            if facts:
                self.writer.actions[name] = facts

    def take(self, tasks: list[Task], made: Iterable[Made | None]) -> None:
        """Write the pages and photos of the meetings rendered."""
        for task, result in zip(tasks, made, strict=True):
            line = task.line
            if result is None:
                continue
            self.facts[line.id] = [list(fact) for fact in result.actions]
            for rel, body in zip(meeting_files(self.slug, line), result.pages, strict=False):
                self.writer.put(rel, body)
            for file, photo in result.photos:
                self.writer.put(f"{self.slug}/m/{line.id}/{file}", photo)
            if result.missing:  # said at every build until the file is put right
                del self.meetings[f"{self.slug}/{line.id}"]
                self.writer.built.warnings += [
                    self.t("site.photo_left_out", meeting=line.id, name=name)
                    for name in result.missing]

    def files_state(self, data: bytes) -> list[tuple[str, int, int] | str]:
        """The size and time of each file the meeting's attachments name (its name
        alone when it is not there): what its pages' photos were made from."""
        out: list[tuple[str, int, int] | str] = []
        for file in sorted(named_in(data)):
            path = path_of(self.folder.root, file)
            try:
                if path is None:
                    raise FileNotFoundError(file)
                info = path.stat()
            except OSError:
                out.append(file)
                continue
            out.append((file, info.st_size, info.st_mtime_ns))
        return out


PARALLEL_FROM = 64  # fewer meetings to render than this are rendered in-process
# the pages' styles are part of every meeting page's inputs: a new look makes them again
LAYOUT = hashlib.sha256(pages.CSS.encode("utf-8")).digest()


@dataclass(frozen=True)
class Context:
    """What a meeting's pages are made from besides the meeting: the council's folder
    of the site, the language, yiguan's version, council.toml (its bytes and name) and
    the data folder (its files/ hold the photos)."""

    slug: str
    lang: str
    version: str
    council_bytes: bytes
    council_display: str
    root: str


@dataclass(frozen=True)
class Task:
    """A meeting to render: its line, its file's bytes and name, and the later meeting
    that confirmed its minutes (date, title), if one did."""

    context: Context
    line: MeetingLine
    data: bytes
    display: str
    confirmed: tuple[str, str] | None


@dataclass(frozen=True)
class Made:
    """A meeting's pages (in `meeting_files` order), its public photos (name in the
    site, bytes) and the public photos left out (their caption or name: the file is
    missing or no longer what was attached)."""

    pages: list[bytes]
    photos: list[tuple[str, bytes]]
    missing: list[str]
    actions: list[tuple[str, str | None, bool]] = field(default_factory=list)  # action_facts


def action_facts(meeting: Meeting) -> list[tuple[str, str | None, bool]]:
    """What the follow-up page needs of each action beyond the index: its id, the day
    it was marked done (None when not done or not recorded) and whether its owner may be
    named."""
    named = may_be_named(meeting)
    return [(a.id, a.done_on.isoformat() if a.done and a.done_on else None, a.owner in named)
            for a in meeting.action]


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


def public_photos(root: Path, meeting: Meeting) -> tuple[dict[str, bytes], list[str]]:
    """The photos of the meeting's attachments marked public whose bytes are what was
    attached (store/attachments.images), by their name in files/; and the caption (else
    the name) of each public photo left out: its file missing or changed since
    (`check` names it)."""
    from ..store.attachments import IMAGES, images

    public = [record for record in meeting.records(Attachment)
              if record.public and record.file.rpartition(".")[2] in IMAGES]
    if not public:
        return {}, []
    found = images(root, meeting)
    shown = {record.file: found[record.file] for record in public if record.file in found}
    return shown, [record.caption or record.name for record in public
                   if record.file not in found]


def render_meeting(task: Task) -> Made | None:
    """The pages of `meeting_files`, in that order, and the photos they show; None for a
    file that does not load."""
    context, line, lang = task.context, task.line, task.context.lang
    c = _council_of(context)
    try:
        meeting = load_meeting(task.data, task.display)
    except (YiguanError, BrokenFile):
        return None
    source = f"{line.id}.toml"
    photos, missing = public_photos(Path(context.root), meeting)
    confirmed = (Confirmed(dt.date.fromisoformat(task.confirmed[0]), task.confirmed[1])
                 if task.confirmed is not None else None)
    docs: list[Document] = [minutes_document(
        meeting, source=source, council=c.name, lang=lang, version=context.version,
        org=c.org, signatures=c.signatures, public=True, images=photos, confirmed=confirmed)]
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
                                     calendar=c.calendar, public=True))
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
                              pages.document_body(doc, photos=line.id),
                              tabs if len(kinds) > 1 else None))
    # named as in files/: the bytes are what was attached, so their digest is the name
    return Made(out, sorted(photos.items()), missing, action_facts(meeting))


def _worker_start() -> None:
    """A worker leaves Ctrl-C to the parent (it is born deaf to it, `_rendered`, and
    stays so) and never collects garbage: it lives for one build."""
    import gc
    import signal

    gc.disable()
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _pool(workers: int) -> ProcessPoolExecutor:
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=workers, initializer=_worker_start)


def render_chunk(tasks: list[Task]) -> list[Made | None]:
    return [render_meeting(task) for task in tasks]


def _rendered(pool: ProcessPoolExecutor, tasks: list[Task],
              workers: int) -> Iterator[Made | None]:
    """The pages of `tasks`, in their order, as the workers make them, in chunks, with
    no more chunks handed out than keep the workers busy: interrupted, the pool is only
    waited for (`_stop`) while each worker finishes the chunk in hand. The workers are
    forked with Ctrl-C ignored (a Ctrl-C in the terminal reaches the whole process group):
    one killed halfway through a queue's message leaves the pool's thread waiting for the
    rest of it for ever. Not `pool.map` either: interrupted, its iterator cancels the
    futures left, which races with the pool's thread failing them (InvalidStateError)."""
    import signal
    from collections import deque
    from itertools import islice

    size = max(4, min(32, len(tasks) // (workers * 16)))
    chunks = (tasks[n:n + size] for n in range(0, len(tasks), size))
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:  # the workers are forked at the first submit
        pending = deque(pool.submit(render_chunk, chunk) for chunk in islice(chunks, workers + 1))
    finally:
        signal.signal(signal.SIGINT, previous)
    while pending:
        made = pending.popleft().result()
        following = next(chunks, None)
        if following is not None:
            pending.append(pool.submit(render_chunk, following))
        yield from made


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop the pool (interrupted): nothing more is handed out; the chunks in hand are
    finished (a fraction of a second) and the workers leave. Not terminated: a worker
    killed while writing its result hangs the pool's thread, and the exit with it."""
    pool.shutdown(wait=True)


def build_site(paths: list[Path], out: Path, *, as_of: dt.date, lang: str,
               version: str = __version__) -> Built:
    """Build (or bring up to date) the site of the councils in `paths` in `out`."""
    nested: list[Path] = []
    roots = council_folders(paths, nested)
    for root in roots:  # a council.toml that does not load: refused before anything is made
        DataFolder(root).load_council()
    manifest = prepare_output(out, roots)
    writer = Writer(out, manifest)
    names = slugs(roots)
    writer.check([*names, *(f"{slug}/m" for slug in names), "index.html"])
    writer.built.warnings += [t("site.nested", lang=lang, path=str(path)) for path in nested]
    old_meetings = manifest.get("meetings", {})
    meetings: dict[str, Any] = {}
    made = []
    for root, slug in zip(roots, names, strict=True):
        council = _Council(writer, root, slug, as_of, lang, version, old_meetings)
        made.append(council.build())
        meetings.update(council.meetings)
    # the index lists the councils by name, then by folder: not by the order given
    made.sort(key=lambda c: (c.name, c.path))
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

"""`git-setup`, `textconv`, `diff`, `merge-driver` and `fmt`: meetings in git."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..text.errors import YiguanError
from ..text.messages import t
from ..text.safety import printable
from .common import error_text, folder, notes, say, stderr_line, target_files


def git_setup(
    ctx: typer.Context,
    lfs: Annotated[bool, typer.Option("--lfs", help=t("help.opt.git_lfs"))] = False,
) -> None:
    """Write .gitattributes and git config so git diffs and merges records."""
    from ..git.support import setup

    data = folder(ctx)
    if not data.root.is_dir():
        raise YiguanError("store.no_folder", path=str(data.root))
    repo, changed = setup(data.root, lfs=lfs)
    from ..store.files import ignore_private

    if ignore_private(data.root):  # members' phones and notes: never in git
        changed.append(str(data.root / ".gitignore"))
    if not changed:
        say("git.setup_unchanged", repo=str(repo))
    for line in changed:
        say("git.setup_changed", what=line)
    if lfs:  # the attributes ask for Git LFS; git needs it installed to honour them
        say("git.setup_lfs", repo=str(repo))


def textconv(
    path: Annotated[Path, typer.Argument(help=t("help.arg.textconv_file"), show_default=False)],
) -> None:
    """Print a meeting file as one line per record (git diff textconv)."""
    from ..git.support import textconv as convert
    from ..store.files import read_regular

    sys.stdout.write(convert(read_regular(path)))


def diff(
    first: Annotated[str, typer.Argument(help=t("help.arg.diff_a"), show_default=False,
                                         metavar="A")],
    second: Annotated[str, typer.Argument(help=t("help.arg.diff_b"), show_default=False,
                                          metavar="B")],
) -> None:
    """Compare two versions of a meeting record by record."""
    from ..git.support import diff_specs

    changes = diff_specs(first, second)
    for line in changes:
        print(printable(line))  # text from the files: no control sequence reaches the terminal
    if not changes:
        say("diff.none")


def merge_driver(
    base: Annotated[Path, typer.Argument(help=t("help.arg.merge_base"), show_default=False,
                                         metavar="BASE")],
    ours: Annotated[Path, typer.Argument(help=t("help.arg.merge_ours"), show_default=False,
                                         metavar="OURS")],
    theirs: Annotated[Path, typer.Argument(help=t("help.arg.merge_theirs"), show_default=False,
                                           metavar="THEIRS")],
    path: Annotated[str | None, typer.Argument(help=t("help.arg.merge_path"),
                                               show_default=False, metavar="PATH")] = None,
) -> None:
    """Merge three versions of a meeting file by record id (git calls it)."""
    from ..git.merge import Unmergeable, merge, merged_text
    from ..git.support import merge_lines
    from ..meeting.check import roster_beside
    from ..store.files import atomic_write, read_regular

    shown = path or str(ours)
    # the council's pool of topics merges by its own rules (git/topics_merge.py)
    topics = Path(path).name == "topics.toml" if path else _holds_topics(ours)
    # the council beside the meeting in the work tree (git runs the driver at its top):
    # the owners of actions may be on its roster
    roster = roster_beside(Path(path)) if path and not topics else None
    try:
        if topics:
            from ..git.topics_merge import dump_topics_data, merge_topics

            result = merge_topics(read_regular(base), read_regular(ours),
                                  read_regular(theirs))
        else:
            result = merge(read_regular(base), read_regular(ours), read_regular(theirs),
                           roster=roster)
    except Unmergeable as why:
        # not record by record: a line-by-line merge with conflict markers keeps every
        # line of both sides for a person to resolve (git has the three versions too)
        lines = merge_lines(base, ours, theirs)
        if lines is not None:
            atomic_write(ours, lines)
        raise YiguanError("merge.unmergeable", path=shown,
                          why=t(why.key, **why.params)) from None
    text = dump_topics_data(result.data) if topics else merged_text(result)
    atomic_write(ours, text.encode("utf-8"))
    for moved in result.renumbered:
        key = "merge.renumbered_reused" if moved.reused else "merge.renumbered"
        stderr_line(t(key, path=shown, side_key=f"merge.side.{moved.side}",
                      table=t(f"table.{moved.table}"), old=moved.old, new=moved.new))
    for key, params in result.said:  # each conflict, naming records as the secretary does
        stderr_line(t("merge.conflict_line", path=shown, conflict=t(key, **params)))
    if result.conflicts:
        stderr_line(t("merge.conflicts", path=shown, n=result.conflicts))
    elif result.carried:
        stderr_line(t("merge.carried", path=shown, n=result.carried))
    if not result.clean:
        raise typer.Exit(1)


def _holds_topics(path: Path) -> bool:
    """Whether a file git gave without its name is topics.toml: its first table is
    `[[topic]]` (a meeting's and the council's never are)."""
    from ..store.files import read_regular

    try:
        head = read_regular(path)[:4096].decode("utf-8", "replace")
    except (OSError, YiguanError):
        return False
    return next((line for line in head.splitlines() if line.startswith("[")),
                "") == "[[topic]]"


def fmt(
    ctx: typer.Context,
    check_only: Annotated[bool, typer.Option("--check", help=t("help.opt.fmt_check"))] = False,
    paths: Annotated[list[Path] | None, typer.Argument(help=t("help.arg.fmt_paths"),
                                                        show_default=False,
                                                        metavar="PATH...")] = None,
) -> None:
    """Rewrite files in canonical form, or with --check list those that differ."""
    from ..store.files import is_data_file
    from ..store.reformat import reformat

    if paths and not check_only:
        # a rewrite goes through the store (a lock file beside it, the undo history in
        # the folder's .yiguan): only for the files the store keeps, never beside any
        # file; --check only reads, so it takes any file
        root = folder(ctx).root
        for path in paths:
            if not is_data_file(path, root):
                raise YiguanError("fmt.not_a_data_file", path=str(path), folder=str(root))
    targets = target_files(ctx, paths)
    differing, broken = [], 0
    for target in targets:
        try:
            result = reformat(target, write=not check_only)
        except YiguanError as error:  # broken, a link, read-only: said, the rest go on
            error_text(error.message())
            broken += 1
            continue
        except OSError as error:
            error_text(t("os.error", what=error.strerror or "", path=str(target)))
            broken += 1
            continue
        if not result.differed:
            continue
        differing.append(target)
        if check_only:
            print(target)
            continue
        notes(result.notes)
        say("fmt.rewrote", path=str(target))
    if check_only and differing:
        stderr_line(t("fmt.check_failed", n=len(differing)))
    if broken or (check_only and differing):
        raise typer.Exit(1)
    if not differing:
        say("fmt.all_canonical", n=len(targets))


COMMANDS = {"git-setup": git_setup, "textconv": textconv, "diff": diff,
            "merge-driver": merge_driver, "fmt": fmt}
GROUPS: dict[str, object] = {}

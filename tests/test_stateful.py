"""Random meetings: hypothesis drives the command line through arbitrary sequences of
sign-ins, departures, speeches, motions, seconds, amendments, votes, withdrawals,
postponements, reconsiderations, actions, undo and close — with valid and invalid names,
ids, counts and times — on one open meeting.

After every step:
- `check` finds no problem in the meeting file (no sequence of commands can write a file
  that the validators reject);
- a command that exited non-zero left the file, and the undo journal, byte-identical;
- a command never crashes (exit 0, 1 or 2, never a traceback), and a refusal is one line;
- `undo` puts back exactly the bytes from before the latest change, step by step.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import traceback
from pathlib import Path
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from typer.testing import CliRunner

from yiguan.check import check_file
from yiguan.cli import make_app

MEETING = "2024-05-10"
# Mostly values that work in the room as it is (opened at 19:30, five members present),
# repeated so that they are drawn more often; then ones that do not: times before the
# opening or out of order, absent members, a guest, strangers, a fragment, bad ids.
VALID_TIMES = ["19:40", "19:45", "19:50", "20:00", "20:15", "20:30"]
TIMES = VALID_TIMES * 3 + ["19:30", "19:25", "19:10", "25:61"]
PRESENT = ["lxj", "ly", "wjg", "zgl", "lxy", "刘晓菊", "LY"]
PEOPLE = PRESENT * 3 + ["csz", "陈淑珍", "zzq", "王丽娟", "路人甲", "刘"]
SECONDERS = PEOPLE[1:] + PEOPLE[:1]
MOTIONS = ["M1", "M2"] * 3 + ["M3", "m1", "M9"]
LATER_MOTIONS = ["M3", "M4", "M2", "m3", "M1", "M9"]  # withdraw/postpone: spare M1 a while
ACTIONS = ["A1", "A2", "a1", "A9"]
TEXTS = ["同意清运楼道堆物", "小游园增设垃圾桶", "第一点：饮水机。\n第二点：集资。"] * 2
TEXTS += ["-", "  "]

times = st.sampled_from(TIMES)
people = st.sampled_from(PEOPLE)
seconders = st.sampled_from(SECONDERS)
motions = st.sampled_from(MOTIONS)
later_motions = st.sampled_from(LATER_MOTIONS)
texts = st.sampled_from(TEXTS)
counts = st.integers(0, 3)


def _files(folder: Path) -> dict[str, bytes]:
    """The meeting, the council and the undo journal (not locks, not caches)."""
    out = {}
    for path in folder.rglob("*"):
        name = path.relative_to(folder).as_posix()
        if path.is_file() and (name.endswith(".toml") or name.startswith(".yiguan/undo/")):
            out[name] = path.read_bytes()
    return out


class MeetingSession(RuleBasedStateMachine):
    """One open meeting (five of seven members present since 19:20, opened at 19:30)."""

    template: Path

    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="yiguan-stateful-"))
        self.folder = self.tmp / "meetings"
        self.folder.mkdir()
        for name in ("council.toml", f"{MEETING}.toml", ".gitignore"):
            shutil.copyfile(self.template / name, self.folder / name)
        self.path = self.folder / f"{MEETING}.toml"
        self.earlier: list[bytes] = []  # the meeting's bytes before each change, oldest first

    def teardown(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    # --- running a command ------------------------------------------------------------
    def run(self, *args: str, stdin: str | None = None, remember: bool = True) -> Any:
        argv = ["--dir", str(self.folder), *args, "-m", MEETING]
        before = _files(self.folder)
        # main() builds only the named command: the app the secretary really runs
        result = CliRunner().invoke(make_app(argv), argv, input=stdin)
        after = _files(self.folder)
        crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
        assert not crashed, (args, "".join(traceback.format_exception(result.exception)))
        assert result.exit_code in (0, 1, 2), (args, result.output)
        if result.exit_code != 0:
            assert after == before, (args, result.output, "a refused command changed files")
        if result.exit_code == 1:
            lines = result.stderr.splitlines()
            assert len(lines) == 1 and lines[0].startswith("yiguan: 错误："), (args, result.stderr)
        if remember and result.exit_code == 0:
            old, new = before[f"{MEETING}.toml"], after[f"{MEETING}.toml"]
            if new != old:
                self.earlier.append(old)
        return result

    @initialize()
    def motions_on_the_floor(self) -> None:
        """Start with something to vote on: M1 (moved by 王建国, seconded by 张桂兰) and
        M2 (moved by 李秀英, not yet seconded)."""
        for args in (["propose", "三天后统一清运楼道堆物", "--by", "wjg", "--second", "zgl"],
                     ["propose", "小游园增设垃圾桶", "--by", "lxy"]):
            result = self.run(*args, "--at", "19:35")
            assert result.exit_code == 0, result.output

    @invariant()
    def check_finds_no_problem(self) -> None:
        problems = [p.render("zh") for p in check_file(self.path)]
        assert problems == [], problems

    # --- attendance -------------------------------------------------------------------
    @rule(names=st.lists(people, min_size=1, max_size=3), at=times, guest=st.booleans())
    def sign(self, names: list[str], at: str, guest: bool) -> None:
        self.run("sign", *names, "--at", at, *(["--guest"] if guest else []))

    @rule(names=st.lists(people, min_size=1, max_size=2), at=times)
    def leave(self, names: list[str], at: str) -> None:
        self.run("leave", *names, "--at", at)

    # --- speeches ---------------------------------------------------------------------
    @rule(name=people, text=texts, item=st.sampled_from([None, 1, 2, 7]), at=times,
          stance=st.sampled_from([None, "for", "反对", "maybe"]),
          minutes=st.sampled_from([None, 1, 5]))
    def speak(self, name: str, text: str, item: int | None, at: str, stance: str | None,
              minutes: int | None) -> None:
        extra = [*(["--item", str(item)] if item else []),
                 *(["--stance", stance] if stance else []),
                 *(["--minutes", str(minutes)] if minutes else [])]
        self.run("speak", name, text, *extra, "--at", at,
                 stdin="从标准输入读到的发言要点" if text == "-" else None)

    # --- motions ----------------------------------------------------------------------
    @rule(text=texts, by=people, second=seconders | st.none(), at=times,
          item=st.sampled_from([None, 1, 2, 7]),
          rule_=st.sampled_from([None, "two-thirds", "nantang", ">=1/2 cast", "大多数"]))
    def propose(self, text: str, by: str, second: str | None, at: str, item: int | None,
                rule_: str | None) -> None:
        extra = [*(["--second", second] if second else []),
                 *(["--item", str(item)] if item else []),
                 *(["--rule", rule_] if rule_ else [])]
        self.run("propose", text, "--by", by, *extra, "--at", at,
                 stdin="从标准输入读到的动议" if text == "-" else None)

    @rule(motion=motions, name=seconders, at=times)
    def second(self, motion: str, name: str, at: str) -> None:
        self.run("second", motion, name, "--at", at)

    @rule(motion=motions, text=texts, by=people, at=times)
    def amend(self, motion: str, text: str, by: str, at: str) -> None:
        self.run("amend", motion, text, "--by", by, "--at", at,
                 stdin="修正后的动议" if text == "-" else None)

    @rule(motion=motions, yes=counts, no=counts, abstain=counts,
          recuse=st.lists(people, max_size=2), unanimous=st.booleans(), at=times)
    def vote(self, motion: str, yes: int, no: int, abstain: int, recuse: list[str],
             unanimous: bool, at: str) -> None:
        extra = [arg for name in recuse for arg in ("--recuse", name)]
        hands = ["--unanimous"] if unanimous else ["--yes", str(yes), "--no", str(no),
                                                    "--abstain", str(abstain)]
        self.run("vote", motion, *hands, *extra, "--at", at)

    @rule(motion=later_motions)
    def withdraw(self, motion: str) -> None:
        self.run("withdraw", motion)

    @rule(motion=later_motions)
    def postpone(self, motion: str) -> None:
        self.run("postpone", motion)

    @rule(motion=motions, at=times)
    def reconsider(self, motion: str, at: str) -> None:
        self.run("reconsider", motion, "--at", at)

    # --- actions ----------------------------------------------------------------------
    @rule(text=texts, owner=people, at=times, motion=st.none() | motions,
          due=st.sampled_from([None, "2024-05-20", "2024-05-01", "5月20日"]))
    def action(self, text: str, owner: str, at: str, motion: str | None,
               due: str | None) -> None:
        extra = [*(["--motion", motion] if motion else []), *(["--due", due] if due else [])]
        self.run("action", text, "--owner", owner, *extra, "--at", at,
                 stdin="从标准输入读到的事项" if text == "-" else None)

    @rule(action=st.sampled_from(ACTIONS), note=st.none() | st.sampled_from(["已完成", " "]))
    def done(self, action: str, note: str | None) -> None:
        self.run("done", action, *(["--note", note] if note else []))

    # --- the meeting --------------------------------------------------------------------
    @rule(title=st.sampled_from(["电动车充电桩", " "]))
    def agenda_add(self, title: str) -> None:
        self.run("agenda", "add", title)

    @precondition(lambda self: len(self.earlier) >= 10)  # let the meeting happen first
    @rule(postpone_pending=st.booleans(), at=times)
    def close(self, postpone_pending: bool, at: str) -> None:
        self.run("close", "--at", at, *(["--postpone-pending"] if postpone_pending else []))

    @rule()
    def undo(self) -> None:
        result = self.run("undo", remember=False)
        if self.earlier:
            assert result.exit_code == 0, result.output
            assert self.path.read_bytes() == self.earlier.pop(), "undo restores the bytes"
        else:
            assert result.exit_code == 1, result.output


def test_random_command_sequences_keep_the_meeting_valid(templates: dict[str, Path]) -> None:
    """Bounded for CI (30 sessions of 25 steps, a few seconds); HYPOTHESIS_PROFILE=dev
    runs ten times as many."""
    MeetingSession.template = templates["open"]
    deeper = os.environ.get("HYPOTHESIS_PROFILE") == "dev"
    run_state_machine_as_test(
        MeetingSession,
        settings=settings(max_examples=300 if deeper else 30, stateful_step_count=25,
                          deadline=None),
    )

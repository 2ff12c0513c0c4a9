"""The merge driver: three-way merges of a meeting by record id.

Two people edit one meeting in git — the secretary records the evening, the 书记 fixes a
typo in a name afterwards — and the merge must keep everything both did, renumber ids
that both sides handed out, and leave real disagreements as `[[conflict]]` records that
`check` reports, in a file that is still valid TOML.
"""

from __future__ import annotations

import shutil
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import git
from yiguan import fileformat
from yiguan.check import check_file
from yiguan.merge import merge, merged_text
from yiguan.model import Speech, Vote

SEED = Path(__file__).resolve().parent.parent / "meetings" / "2022-03-08.toml"


def seed_meeting():
    return fileformat.load_meeting(SEED.read_bytes(), str(SEED))


def dump(meeting) -> bytes:
    return fileformat.dump_meeting(meeting).encode()


def merged_meeting(result):
    return fileformat.load_meeting(merged_text(result).encode(), "merged")


def test_changes_to_different_records_merge_cleanly():
    base = seed_meeting()
    ours, theirs = seed_meeting(), seed_meeting()
    ours.speech.append(Speech(id="S7", item=1, speaker="刘晓菊", at="20:45", text="补充一句"))
    theirs.vote[0].yes, theirs.vote[0].abstain = 15, 0  # the 书记 recounted V1
    result = merge(dump(base), dump(ours), dump(theirs))
    assert result.conflicts == 0
    assert result.renumbered == []
    merged = merged_meeting(result)
    assert merged.speech[-1].text == "补充一句"
    assert (merged.vote[0].yes, merged.vote[0].abstain) == (15, 0)


def test_a_field_changed_on_one_side_takes_that_side(tmp_path):
    base = seed_meeting()
    ours, theirs = seed_meeting(), seed_meeting()
    theirs.place = "幸福里社区二楼活动室"
    result = merge(dump(base), dump(ours), dump(theirs))
    assert result.conflicts == 0
    assert merged_meeting(result).place == "幸福里社区二楼活动室"


def test_records_added_on_both_sides_are_all_kept_and_theirs_renumbered():
    base = seed_meeting()
    ours, theirs = seed_meeting(), seed_meeting()
    ours.speech.append(Speech(id="S7", item=1, speaker="刘晓菊", at="20:45", text="我们这边"))
    theirs.speech.append(Speech(id="S7", item=1, speaker="刘艳", at="20:46", text="他们那边"))
    result = merge(dump(base), dump(ours), dump(theirs))
    assert result.conflicts == 0
    assert ("speech", "S7", "S8") in result.renumbered
    merged = merged_meeting(result)
    texts = {s.id: s.text for s in merged.speech}
    assert texts["S7"] == "我们这边" and texts["S8"] == "他们那边"


def test_renumbering_carries_references_along():
    base = seed_meeting()
    ours, theirs = seed_meeting(), seed_meeting()
    for side, text in ((ours, "我们的动议"), (theirs, "他们的动议")):
        motion = base.motion[0].copy(id="M4", text=text, status="adopted", at="20:46")
        side.motion.append(motion)
        side.vote.append(Vote(id="V4", motion="M4", at="20:47", yes=10, no=0, abstain=0,
                              present=15, eligible=15, not_voting=5, rule=">1/2 present",
                              outcome="adopted"))
    result = merge(dump(base), dump(ours), dump(theirs))
    merged = merged_meeting(result)
    assert {m.id: m.text for m in merged.motion}["M5"] == "他们的动议"
    assert {v.id: v.motion for v in merged.vote} == {"V1": "M1", "V2": "M2", "V3": "M3",
                                                     "V4": "M4", "V5": "M5"}


def test_identical_additions_are_kept_once():
    base = seed_meeting()
    ours, theirs = seed_meeting(), seed_meeting()
    for side in (ours, theirs):
        side.speech.append(Speech(id="S7", item=1, speaker="刘晓菊", at="20:45", text="同一句"))
    result = merge(dump(base), dump(ours), dump(theirs))
    assert result.renumbered == []
    assert [s.id for s in merged_meeting(result).speech].count("S7") == 1


def test_the_same_field_changed_differently_is_a_recorded_conflict(tmp_path):
    base = seed_meeting()
    ours, theirs = seed_meeting(), seed_meeting()
    ours.vote[0].yes = 13
    theirs.vote[0].yes = 12
    result = merge(dump(base), dump(ours), dump(theirs))
    assert result.conflicts == 1
    text = merged_text(result)
    data = tomllib.loads(text)  # still valid TOML
    conflict = data["conflict"][0]
    assert conflict["record"] == "vote V1" and conflict["field"] == "yes"
    assert (conflict["ours"], conflict["theirs"], conflict["base"]) == ("13", "12", "14")
    path = tmp_path / "2022-03-08.toml"
    path.write_text(text, "utf-8")
    assert any(p.key == "check.merge_conflict" for p in check_file(path))


def test_deleted_on_one_side_and_changed_on_the_other_keeps_the_record():
    base = seed_meeting()
    ours, theirs = seed_meeting(), seed_meeting()
    ours.action = [a for a in ours.action if a.id != "A3"]
    theirs.action[2].done = True
    result = merge(dump(base), dump(ours), dump(theirs))
    assert result.conflicts == 1
    assert "A3" in [a.id for a in merged_meeting(result).action]


def test_deleted_on_one_side_and_untouched_on_the_other_is_deleted():
    base = seed_meeting()
    ours, theirs = seed_meeting(), seed_meeting()
    ours.action = [a for a in ours.action if a.id != "A3"]
    result = merge(dump(base), dump(ours), dump(theirs))
    assert result.conflicts == 0
    assert "A3" not in [a.id for a in merged_meeting(result).action]


def test_a_file_added_on_both_sides_merges_from_an_empty_base():
    ours, theirs = seed_meeting(), seed_meeting()
    theirs.note = "另一份备注"
    result = merge(b"", dump(ours), dump(theirs))
    assert result.conflicts == 1  # no base: both notes are kept, as a conflict


# --- through git itself ---------------------------------------------------------------

@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding the bundled meetings, with yiguan as its merge driver."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    data = repo / "meetings"
    data.mkdir(parents=True)
    shutil.copy(SEED, data / SEED.name)
    shutil.copy(SEED.parent / "council.toml", data / "council.toml")
    assert git(repo, "init", "-q", "-b", "main").returncode == 0
    (data / ".gitattributes").write_text("*-*-*.toml merge=yiguan\n", "utf-8")
    git(repo, "config", "merge.yiguan.driver",
        f'"{sys.executable}" -m yiguan merge-driver %O %A %B %P')
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "seed")
    return repo


def commit_on(repo: Path, branch: str, meeting, message: str, *, new: bool) -> None:
    git(repo, "checkout", "-q", *(["-b"] if new else []), branch)
    (repo / "meetings" / SEED.name).write_bytes(dump(meeting))
    git(repo, "commit", "-qam", message)


def test_git_merges_two_branches_with_the_driver(repo):
    shuji = seed_meeting()
    shuji.vote[0].yes, shuji.vote[0].abstain = 15, 0
    commit_on(repo, "shuji", shuji, "书记 recounts V1", new=True)
    secretary = seed_meeting()
    secretary.speech.append(Speech(id="S7", item=1, speaker="刘晓菊", at="20:45", text="补充"))
    commit_on(repo, "main", secretary, "secretary adds a speech", new=False)

    merged = git(repo, "merge", "-q", "--no-edit", "shuji")
    assert merged.returncode == 0, merged.stdout + merged.stderr
    path = repo / "meetings" / SEED.name
    result = fileformat.load_meeting(path.read_bytes(), "merged")
    assert result.vote[0].yes == 15 and result.speech[-1].text == "补充"
    assert check_file(path) == []


def test_git_reports_a_conflict_and_keeps_both_values(repo):
    other = seed_meeting()
    other.vote[0].yes = 12
    commit_on(repo, "other", other, "12", new=True)
    mine = seed_meeting()
    mine.vote[0].yes = 13
    commit_on(repo, "main", mine, "13", new=False)
    merged = git(repo, "merge", "-q", "--no-edit", "other")
    assert merged.returncode != 0
    data_after = tomllib.loads((repo / "meetings" / SEED.name).read_text("utf-8"))
    assert data_after["conflict"][0]["ours"] == "13"
    assert data_after["conflict"][0]["theirs"] == "12"

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

from conftest import assert_refused, git
from yiguan.git.merge import merge, merged_text
from yiguan.meeting.check import check_file
from yiguan.record import fileformat
from yiguan.record.model import Speech, Vote
from yiguan.text.messages import t

SEED = Path(__file__).resolve().parent.parent / "meetings" / "2022-03-08.toml"


def seed_meeting():
    """The bundled meeting as it stood before the close: these tests edit records as the
    room does, which a closed meeting takes only as corrections (tests/test_trail.py)."""
    meeting = fileformat.load_meeting(SEED.read_bytes(), str(SEED))
    meeting.status, meeting.closed, meeting.signed = "open", None, None
    return meeting


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
    assert [(r.side, r.table, r.old, r.new) for r in result.renumbered] == [
        ("theirs", "speech", "S7", "S8")]
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
    ours.vote[0].yes, ours.vote[0].abstain = 13, 2
    theirs.vote[0].yes, theirs.vote[0].abstain = 12, 3
    result = merge(dump(base), dump(ours), dump(theirs))
    assert result.conflicts == 2  # the vote merges whole: each key where the sides differ
    text = merged_text(result)
    data = tomllib.loads(text)  # still valid TOML
    conflict = data["conflict"][0]
    assert conflict["record"] == "vote V1" and conflict["field"] == "yes"
    assert (conflict["ours"], conflict["theirs"], conflict["base"]) == ("13", "12", "14")
    assert data["conflict"][1]["field"] == "abstain"
    assert data["vote"][0]["yes"] == 13 and data["vote"][0]["abstain"] == 2  # ours, whole
    path = tmp_path / "2022-03-08.toml"
    path.write_text(text, "utf-8")
    assert any(p.key == "check.merge_conflict_on" for p in check_file(path))


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
    (data / SEED.name).write_bytes(dump(seed_meeting()))
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
    assert "meetings/2022-03-08.toml：表决 V1 两边改得不同：yes 我方为 13，对方为 12" in \
        merged.stderr.splitlines(), merged.stderr
    data_after = tomllib.loads((repo / "meetings" / SEED.name).read_text("utf-8"))
    assert data_after["conflict"][0]["ours"] == "13"
    assert data_after["conflict"][0]["theirs"] == "12"


# --- what cannot be merged record by record is a conflict, never a silent loss (#1, #4) --

def run_driver(tmp_path: Path, base: bytes, ours: bytes, theirs: bytes):
    """The merge-driver command on three files, as git calls it; (result, OURS after)."""
    from conftest import invoke

    paths = []
    for name, data in (("base", base), ("ours", ours), ("theirs", theirs)):
        paths.append(tmp_path / f".merge_file_{name}")
        paths[-1].write_bytes(data)
    result = invoke(tmp_path, "merge-driver", *map(str, paths), "meetings/2022-03-08.toml")
    return result, paths[1].read_bytes()


def with_duplicate_speech(data: bytes) -> bytes:
    """The seed file with a second [[speech]] block under the id S2 (a hand edit)."""
    text = data.decode()
    block = text[text.index('[[speech]]\nid = "S2"'):]
    block = block[: block.index("\n\n") + 2]
    return text.replace(block, block + block.replace("text = \"", "text = \"又一段："), 1).encode()


def test_two_records_with_one_id_are_a_conflict_with_every_record_kept(tmp_path):
    base = dump(seed_meeting())
    ours = with_duplicate_speech(base)
    theirs_meeting = seed_meeting()
    theirs_meeting.action.append(theirs_meeting.action[0].copy(id="A9", text="新增的事项"))
    result, after = run_driver(tmp_path, base, ours, dump(theirs_meeting))
    assert result.exit_code == 1
    assert "S2" in result.stderr and "speech" in result.stderr
    text = after.decode()
    assert text.count('id = "S2"') == 2 and "又一段：" in text  # both speeches
    assert "新增的事项" in text  # and their action


def test_a_record_without_an_id_is_a_conflict_not_a_collapse(tmp_path):
    base = dump(seed_meeting())
    ours = base.replace(b'[[speech]]\nid = "S3"\n', b'[[speech]]\n', 1)
    theirs = base.replace(b'[[speech]]\nid = "S4"\n', b'[[speech]]\n', 1)
    result, after = run_driver(tmp_path, base, ours, theirs)
    assert_refused(result, "merge.unmergeable", path="meetings/2022-03-08.toml",
                   why=t("merge.why.missing_id", side_key="merge.side.ours", table="speech"))
    assert after.count(b"[[speech]]") >= base.count(b"[[speech]]")
    with pytest.raises(Exception, match="missing_id"):
        merge(base, ours, theirs)


def test_an_id_that_is_a_list_is_one_clear_line_not_a_traceback(tmp_path):
    base = dump(seed_meeting())
    ours = base.replace(b'id = "S1"', b'id = [\n    "S1",\n]', 1)
    result, _ = run_driver(tmp_path, base, ours, base)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert_refused(result, "merge.unmergeable", path="meetings/2022-03-08.toml",
                   why=t("merge.why.missing_id", side_key="merge.side.ours", table="speech"))


def rules_as_a_number(data: bytes) -> bytes:
    """`rules = 5` where the [rules] table belongs: parseable, but not what yiguan writes."""
    text = data.decode()
    rules = text[text.index("[rules]\n"):text.index("[[attendee]]")]
    return text.replace(rules, "").replace("format = 1\n", "format = 1\nrules = 5\n").encode()


def with_a_comment(data: bytes) -> bytes:
    return data.replace(b"place = ", "# 注释\nplace = ".encode(), 1)


@pytest.mark.parametrize("edit", [
    (b"rules = 5\n", rules_as_a_number),
    ("# 注释\nplace = ".encode(), with_a_comment),
], ids=["rules-not-a-table", "comment"])
def test_data_the_writer_would_rewrite_is_a_conflict_not_a_rewrite(tmp_path, edit):
    base = dump(seed_meeting())
    ours = edit[1](base)
    tomllib.loads(ours.decode())  # valid TOML
    assert ours != base
    theirs_meeting = seed_meeting()
    theirs_meeting.vote[0].yes = 15
    result, after = run_driver(tmp_path, base, ours, dump(theirs_meeting))
    assert_refused(result, "merge.unmergeable", path="meetings/2022-03-08.toml",
                   why=t("merge.why.not_canonical", side_key="merge.side.ours"))
    assert edit[0] in after  # ours' bytes are still there, not rewritten


def test_crlf_inside_a_string_is_not_silently_turned_into_lf(tmp_path):
    meeting = seed_meeting()
    meeting.note = "第一行\n第二行"
    base = dump(meeting)
    ours = base.replace("第一行\n第二行".encode(), "第一行\r\n第二行".encode())
    assert ours != base and tomllib.loads(ours.decode()) == tomllib.loads(base.decode())
    result, after = run_driver(tmp_path, base, ours, base)
    assert_refused(result, "merge.unmergeable", path="meetings/2022-03-08.toml",
                   why=t("merge.why.not_canonical", side_key="merge.side.ours"))
    assert "第一行\r\n第二行".encode() in after


def test_merging_a_file_with_itself_changes_no_byte(tmp_path):
    data = dump(seed_meeting())
    result, after = run_driver(tmp_path, data, data, data)
    assert result.exit_code == 0 and after == data


# --- a record is its id and its identity (#3) ----------------------------------------

def test_an_id_reused_after_undo_is_another_record(tmp_path):
    """Base has M4 (充电桩). Ours votes on it; theirs took M4 back and proposed 取消广场舞,
    which got M4 again. Both motions survive, the vote stays with 充电桩, and the removal
    of a motion ours changed is a conflict."""
    base_meeting = seed_meeting()
    base_meeting.motion.append(base_meeting.motion[0].copy(
        id="M4", text="安装电动车充电桩", status="pending", at="20:40", by="王建国"))
    ours = seed_meeting()
    ours.motion.append(base_meeting.motion[-1].copy(status="adopted"))
    ours.vote.append(Vote(id="V4", motion="M4", at="20:42", yes=12, no=1, abstain=2,
                          present=15, eligible=15, not_voting=0, rule=">1/2 present",
                          outcome="adopted"))
    theirs = seed_meeting()
    theirs.motion.append(base_meeting.motion[0].copy(
        id="M4", text="取消广场舞", status="pending", at="20:41", by="张桂兰"))
    result = merge(dump(base_meeting), dump(ours), dump(theirs))
    assert result.conflicts == 1
    data = tomllib.loads(merged_text(result))
    motions = {m["id"]: m["text"] for m in data["motion"]}
    assert motions["M4"] == "安装电动车充电桩" and motions["M5"] == "取消广场舞"
    assert {v["id"]: v["motion"] for v in data["vote"]}["V4"] == "M4"
    assert [(r.side, r.table, r.old, r.new, r.reused) for r in result.renumbered] == [
        ("theirs", "motion", "M4", "M5", True)]
    assert data["conflict"][0]["record"] == "motion M4"


def test_a_reused_id_untouched_on_the_other_side_simply_replaces_the_old_record():
    base_meeting = seed_meeting()
    base_meeting.speech.append(Speech(id="S7", item=1, speaker="刘晓菊", at="20:45", text="旧"))
    ours = seed_meeting()  # took S7 back, then recorded another speech as S7
    ours.speech.append(Speech(id="S7", item=1, speaker="刘艳", at="20:47", text="新"))
    result = merge(dump(base_meeting), dump(ours), dump(base_meeting))
    assert result.conflicts == 0 and result.renumbered == []
    assert [s.text for s in merged_meeting(result).speech if s.id == "S7"] == ["新"]


def test_references_to_a_renumbered_new_record_follow_it():
    base_meeting = seed_meeting()
    base_meeting.motion.append(base_meeting.motion[0].copy(id="M4", status="pending",
                                                           at="20:40"))
    ours = seed_meeting()
    ours.motion.append(base_meeting.motion[-1].copy(text="我方改过的文字"))
    theirs = seed_meeting()
    theirs.motion.append(base_meeting.motion[0].copy(id="M4", text="另一项", status="adopted",
                                                      at="20:50", by="张桂兰"))
    theirs.vote.append(Vote(id="V4", motion="M4", at="20:52", yes=12, no=1, abstain=2,
                            present=15, eligible=15, not_voting=0, rule=">1/2 present",
                            outcome="adopted"))
    data = tomllib.loads(merged_text(merge(dump(base_meeting), dump(ours), dump(theirs))))
    motions = {m["id"]: m["text"] for m in data["motion"]}
    assert motions["M4"] == "我方改过的文字" and motions["M5"] == "另一项"
    assert {v["id"]: v["motion"] for v in data["vote"]}["V4"] == "M5"


def test_identity_comes_from_the_schema():
    from yiguan.record.kinds import KINDS

    IDENTITY = {kind.TABLE: kind.IDENTITY for kind in KINDS}
    REFERENCES = KINDS.references

    assert IDENTITY["motion"] == ("by", "at") and IDENTITY["speech"] == ("speaker", "at")
    assert IDENTITY["vote"] == ("motion", "at") and IDENTITY["item"] == ("title",)
    assert ("vote", "motion") in REFERENCES["motion"] and ("speech", "item") in REFERENCES["item"]


# --- the same, through git ---------------------------------------------------------------

def commit_bytes(repo: Path, branch: str, data: bytes, message: str, *, new: bool) -> None:
    git(repo, "checkout", "-q", *(["-b"] if new else []), branch)
    (repo / "meetings" / SEED.name).write_bytes(data)
    git(repo, "commit", "-qam", message)


def test_git_stops_on_a_duplicate_id_and_loses_no_record(repo):
    """#1: a hand edit left two speeches S2; the other branch added an action. Before,
    git reported a clean merge and one speech was gone."""
    theirs = seed_meeting()
    theirs.action.append(theirs.action[0].copy(id="A9", text="新增的事项"))
    commit_on(repo, "other", theirs, "an action", new=True)
    commit_bytes(repo, "main", with_duplicate_speech(dump(seed_meeting())), "two S2",
                 new=False)
    merged = git(repo, "merge", "--no-edit", "other")
    assert merged.returncode != 0, merged.stdout
    assert "S2" in merged.stdout + merged.stderr
    text = (repo / "meetings" / SEED.name).read_text("utf-8")
    assert text.count('id = "S2"') == 2 and "新增的事项" in text


def test_git_keeps_both_motions_when_an_id_was_reused_after_undo(repo, cli_for):
    """#3 through the command line: base proposes M4; one branch votes on it, the other
    takes it back with undo and proposes something else, which gets M4 again."""
    data = repo / "meetings"
    run = cli_for(data)
    meeting = seed_meeting()
    meeting.status, meeting.closed = "open", None
    (data / SEED.name).write_bytes(dump(meeting))
    git(repo, "commit", "-qam", "reopened")
    run.ok("propose", "安装电动车充电桩", "--by", "王建国", "--second", "张桂兰",
           "--at", "20:40", "-m", "2022-03-08")
    git(repo, "commit", "-qam", "M4")
    git(repo, "checkout", "-q", "-b", "other")
    run.ok("undo", "-m", "2022-03-08")
    run.ok("propose", "取消广场舞", "--by", "刘艳", "--second", "刘晓菊", "--at", "20:41",
           "-m", "2022-03-08")
    git(repo, "commit", "-qam", "M4 again")
    git(repo, "checkout", "-q", "main")
    run.ok("vote", "M4", "--yes", "12", "--no", "1", "--at", "20:42", "-m", "2022-03-08")
    git(repo, "commit", "-qam", "vote on M4")
    merged = git(repo, "merge", "--no-edit", "other")
    assert merged.returncode != 0  # removal against change: a conflict for a person
    said = ("meetings/2022-03-08.toml：动议 M4：对方版本删除了它，我方版本却改动了它；"
            "两边都已保留，请决定")
    assert said in merged.stderr.splitlines(), merged.stderr
    after = tomllib.loads((data / SEED.name).read_text("utf-8"))
    motions = {m["id"]: m["text"] for m in after["motion"]}
    assert motions["M4"] == "安装电动车充电桩" and motions["M5"] == "取消广场舞"
    assert {v["id"]: v["motion"] for v in after["vote"]}["V4"] == "M4"


def test_the_owners_of_actions_are_checked_against_the_roster_given():
    """The driver hands merge the roster of the council.toml beside the meeting: an owner
    who is neither a member of the meeting, nor attended, nor on the roster, is a
    problem `check` would report, and so a conflict."""
    base = seed_meeting()
    ours, theirs = seed_meeting(), seed_meeting()
    ours.action.append(ours.action[0].copy(id="A9", owner="孙新人", text="联系物业"))
    theirs.speech.append(Speech(id="S7", item=1, speaker="刘晓菊", at="20:45", text="补充"))
    unknown = merge(dump(base), dump(ours), dump(theirs), roster=set())
    assert not unknown.clean
    assert unknown.said == [("merge.said.problem", {
        "problem": "事项 A9：责任人 孙新人 既不在成员名单中，也没有出席本次会议"})]
    assert merge(dump(base), dump(ours), dump(theirs), roster={"孙新人"}).clean

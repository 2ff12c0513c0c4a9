"""Within a minute, the order in which commands were typed decides (issue 9, point 1), and
the chair's and non-voting attendees' words are not counted against the members' limits
(point 6).

Each timed record carries `seq`, its place in the order of entry; the current item, who
was in the room at a vote, the minutes and `status` follow (time, seq). A file without
numbers (written before them, or by hand) reads as it always did. The `opened` fixture:
seven members, five present since 19:20 (刘晓菊 lxj, 刘艳 ly, 王建国 wjg, 张桂兰 zgl,
李秀英 lxy), opened at 19:30, items 1 楼道堆物清理 and 2 小游园卫生管理, chair 王丽娟.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from yiguan.git.merge import merge, merged_text
from yiguan.meeting.check import check_file
from yiguan.record import fileformat
from yiguan.render.minutes import render_minutes


def _minutes(run: Any) -> str:
    result = run.ok("minutes")
    return str(result.stdout)


def _section(text: str, heading: str) -> str:
    """The minutes from `## heading` to the next `## `."""
    start = text.index(f"## {heading}")
    end = text.find("\n## ", start + 1)
    return text[start:] if end < 0 else text[start:end]


# --- the scenario of the issue -------------------------------------------------------------

def test_a_speech_typed_after_a_motion_in_the_same_minute_follows_the_item_it_was_typed_on(
        run: Any, opened: str) -> None:
    """propose … --item 1 at 19:40, speak … --item 2 at 19:40, then speak at 19:40 without
    --item: the last speech (and a later motion) belong to item 2, not to item 1."""
    run.ok("propose", "三天后统一清运楼道堆物", "--by", "lxj", "--second", "ly", "--item", "1",
           "--at", "19:40")
    run.ok("speak", "wjg", "小游园的垃圾桶不够。", "--item", "2", "--at", "19:40")
    result = run.ok("speak", "zgl", "同意增设垃圾桶。", "--at", "19:40")
    assert "议题 2" in result.stdout, result.stdout
    run.ok("propose", "小游园增设两个垃圾桶", "--by", "zgl", "--second", "wjg", "--at", "19:40")
    meeting = run.meeting()
    assert [s.item for s in meeting.speech] == [2, 2]
    assert [m.item for m in meeting.motion] == [1, 2]
    assert "2. 小游园卫生管理" in run.ok("status").stdout
    run.ok("vote", "M2", "--yes", "4", "--no", "1", "--at", "19:45")
    text = _minutes(run)
    item_two = _section(text, "议题二")
    assert "张桂兰：同意增设垃圾桶" in item_two and "### 动议二" in item_two
    assert "形成决议一" in item_two
    assert "动议二" not in _section(text, "议题一")


def test_a_member_who_leaves_in_the_minute_of_a_vote_after_it_was_there_for_it(
        run: Any, opened: str) -> None:
    run.ok("propose", "三天后统一清运楼道堆物", "--by", "lxj", "--second", "ly", "--at", "19:40")
    run.ok("vote", "M1", "--yes", "4", "--no", "1", "--at", "19:50")
    run.ok("leave", "lxy", "--at", "19:50")
    meeting = run.meeting()
    assert meeting.vote[0].present == 5
    stay = next(a for a in meeting.attendee if a.name == "李秀英")
    assert stay.left == "19:50" and stay.left_seq is not None
    assert stay.left_seq > meeting.vote[0].seq  # type: ignore[operator]
    assert meeting.voting_present("19:50", meeting.vote[0].seq or 0) == [
        "刘晓菊", "刘艳", "王建国", "张桂兰", "李秀英"]
    text = _minutes(run)
    assert "到会有表决权成员 5 人" in text
    assert "李秀英（19:50 离场）" in text
    assert check_file(run.meeting_path()) == []
    # a correction of the vote judges the room at its place in the order, not at 19:50's end
    result = run.ok("fix", "V1", "--yes", "3", "--no", "2")
    assert "实到有表决权成员 5 人" in result.stdout, result.stdout
    assert run.meeting().vote[0].present == 5


def test_a_member_who_left_in_the_minute_before_the_vote_was_typed_is_not_counted(
        run: Any, opened: str) -> None:
    run.ok("propose", "三天后统一清运楼道堆物", "--by", "lxj", "--second", "ly", "--at", "19:40")
    run.ok("leave", "lxy", "--at", "19:50")
    run.ok("vote", "M1", "--yes", "3", "--no", "1", "--at", "19:50")
    assert run.meeting().vote[0].present == 4


def test_someone_signing_in_in_the_minute_of_a_vote_after_it_was_not_there_for_it(
        run: Any, opened: str) -> None:
    run.ok("propose", "三天后统一清运楼道堆物", "--by", "lxj", "--second", "ly", "--at", "19:40")
    run.ok("vote", "M1", "--yes", "4", "--no", "1", "--at", "19:50")
    run.ok("sign", "csz", "--at", "19:50")
    # the vote stays as taken, and correcting it still sees five members, not six
    run.ok("fix", "V1", "--abstain", "0", "--yes", "5", "--no", "0")
    assert run.meeting().vote[0].present == 5
    run.refused("fix", "V1", "--yes", "6", "--no", "0",  # six hands of five members
                because="live.too_many_hands", cast=6, eligible=5, present=5)


def test_every_timed_command_numbers_its_entry_in_the_order_typed(run: Any, opened: str) -> None:
    run.ok("sign", "csz", "zzq", "--at", "19:40")
    run.ok("speak", "lxj", "一", "--at", "19:40")
    run.ok("propose", "二", "--by", "ly", "--second", "wjg", "--at", "19:40")
    run.ok("amend", "M1", "二（修正）", "--by", "zgl", "--at", "19:40")
    run.ok("vote", "M1", "--yes", "5", "--no", "2", "--at", "19:40")
    run.ok("action", "三", "--owner", "lxj", "--at", "19:40")
    run.ok("leave", "zzq", "--at", "19:40")
    meeting = run.meeting()
    numbers = [meeting.attendee[-2].seq, meeting.attendee[-1].seq, meeting.speech[0].seq,
               meeting.motion[0].seq, meeting.amendment[0].seq, meeting.vote[0].seq,
               meeting.action[0].seq, meeting.attendee[-1].left_seq]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers), numbers
    assert numbers[0] == max(a.seq or 0 for a in meeting.attendee[:-2]) + 1
    assert meeting.next_seq() == numbers[-1] + 1
    assert check_file(run.meeting_path()) == []


def test_the_minutes_list_speeches_of_one_minute_in_the_order_typed(run: Any, opened: str) -> None:
    run.ok("speak", "wjg", "第一个说", "--at", "19:45")
    run.ok("speak", "lxj", "第二个说", "--at", "19:40")
    run.ok("speak", "ly", "第三个说", "--at", "19:45")
    text = _section(_minutes(run), "议题一")
    assert text.index("第二个说") < text.index("第一个说") < text.index("第三个说")


# --- files without numbers, fmt, merges ----------------------------------------------------

def _without_numbers(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines
                            if not line.startswith(("seq = ", "left_seq = "))), encoding="utf-8")


def test_a_file_without_numbers_reads_as_before(run: Any, opened: str) -> None:
    """Without seq, records of one minute keep file order (a speech before a motion) and
    the room is judged at the end of the minute, as yiguan did before numbers existed."""
    run.ok("propose", "清运", "--by", "lxj", "--second", "ly", "--item", "1", "--at", "19:40")
    run.ok("speak", "wjg", "说二", "--item", "2", "--at", "19:40")
    _without_numbers(run.meeting_path())
    meeting = run.meeting()
    assert all(s.seq is None for s in meeting.speech)
    assert meeting.current_item().id == 1  # type: ignore[union-attr]
    assert check_file(run.meeting_path()) == []
    result = run.ok("speak", "zgl", "说三", "--at", "19:41")
    assert "议题 1" in result.stdout  # the motion, being later in file order, made item 1 current


def test_a_hand_added_record_without_a_number_comes_after_the_numbered_ones_of_its_minute(
        run: Any, opened: str) -> None:
    run.ok("speak", "wjg", "先说", "--item", "2", "--at", "19:40")
    with run.meeting_path().open("a", encoding="utf-8") as handle:
        handle.write('\n[[speech]]\nid = "S2"\nitem = 1\nspeaker = "刘晓菊"\nat = "19:40"\n'
                     'text = "手工补记"\n')
    assert check_file(run.meeting_path()) == []
    assert run.meeting().current_item().id == 1  # type: ignore[union-attr]
    text = _minutes(run)
    assert "手工补记" in _section(text, "议题一")
    # the next command numbers after the largest number, not after the count
    run.ok("speak", "ly", "再说", "--at", "19:41")
    assert run.meeting().speech[-1].seq == run.meeting().speech[0].seq + 1  # type: ignore[operator]


def test_fmt_keeps_the_numbers(run: Any, opened: str) -> None:
    run.ok("speak", "wjg", "说", "--at", "19:40")
    path = run.meeting_path()
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    # a hand edit in another layout (keys reordered) is put back in canonical form
    speech = data["speech"][0]
    data["speech"][0] = {key: speech[key] for key in reversed(list(speech))}
    import tomli_w

    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    run.ok("fmt")
    assert tomllib.loads(path.read_text(encoding="utf-8"))["speech"][0]["seq"] == speech["seq"]
    run.ok("fmt", "--check")


def test_a_merge_where_both_sides_gave_the_same_number_is_harmless_and_deterministic(
        run: Any, opened: str) -> None:
    """Two secretaries each typed a speech at 19:40 on their branch: both got the same
    seq (and id). The merge driver keeps both (theirs renumbered S2); the tie keeps file
    order, the merged file passes check, and the next command numbers past both."""
    path = run.meeting_path()
    base = path.read_bytes()
    run.ok("speak", "wjg", "我方的发言", "--item", "1", "--at", "19:40")
    ours = path.read_bytes()
    path.write_bytes(base)
    run.ok("speak", "ly", "对方的发言", "--item", "2", "--at", "19:40")
    theirs = path.read_bytes()
    result = merge(base, ours, theirs)
    assert result.conflicts == 0 and [(r.table, r.old, r.new) for r in result.renumbered] == [
        ("speech", "S1", "S2")]
    path.write_text(merged_text(result), encoding="utf-8")
    assert check_file(path) == []
    meeting = run.meeting()
    assert meeting.speech[0].seq == meeting.speech[1].seq
    assert meeting.current_item().id == 2  # type: ignore[union-attr]  # the later in the file
    again = merge(base, ours, theirs)
    assert merged_text(again) == path.read_text(encoding="utf-8")  # same inputs, same file
    run.ok("speak", "zgl", "合并后的发言", "--at", "19:41")
    assert run.meeting().speech[-1].seq == meeting.speech[0].seq + 1  # type: ignore[operator]
    rendered = render_minutes(run.meeting(), source="x.toml")
    assert rendered.index("我方的发言") < rendered.index("合并后的发言")


def test_the_bundled_meeting_and_older_files_stay_valid() -> None:
    root = Path(__file__).resolve().parent
    for path in [root.parent / "meetings" / "2022-03-08.toml",
                 *sorted((root / "golden").glob("*.toml"))]:
        assert check_file(path) == [], path
        fileformat.load_meeting(path.read_bytes(), path.name)


# --- the chair's remarks and non-voting attendees' answers (point 6) -----------------------

def test_the_chairs_third_remark_brings_no_warning_and_status_lists_it_apart(
        run: Any, opened: str) -> None:
    run.ok("sign", "--guest", "王丽娟", "--org", "幸福里社区", "--at", "19:25")
    for minute in ("19:35", "19:40"):
        run.ok("speak", "王丽娟", "请大家围绕议题发言。", "--at", minute)
    result = run.ok("speak", "王丽娟", "时间到，请下一位。", "--at", "19:45")
    assert result.stderr == "", result.stderr
    assert "主持人" in result.stdout and "不计入" in result.stdout, result.stdout
    status = run.ok("status").stdout
    assert "王丽娟（主持人）3次" in status and "主持与列席发言" in status, status
    speeches_line = next(line for line in status.splitlines() if "本议题发言" in line)
    assert "王丽娟" not in speeches_line


def test_a_guests_answers_are_not_counted_but_a_members_third_speech_still_is(
        run: Any, opened: str) -> None:
    run.ok("sign", "--guest", "物业小李", "--at", "19:25")
    for minute in ("19:35", "19:36", "19:37"):
        result = run.ok("speak", "物业小李", "物业会处理。", "--minutes", "5", "--at", minute)
        assert result.stderr == "", result.stderr
    run.ok("speak", "lxj", "一", "--at", "19:38")
    run.ok("speak", "lxj", "二", "--at", "19:39")
    third = run.ok("speak", "lxj", "三", "--minutes", "5", "--at", "19:40")
    assert "第 3 次" in third.stdout and "超过" in third.stderr, third.stderr
    status = run.ok("status").stdout
    assert "刘晓菊3次!" in status and "物业小李3次" in status, status


def test_a_chair_who_is_a_member_is_not_limited_either(run: Any, folder: Path) -> None:
    run.ok("new", "六月议事会", "--date", "2024-06-10", "--host", "lxj")
    run.ok("agenda", "add", "议题")
    run.ok("sign", "lxj", "ly", "wjg", "zgl", "--at", "19:20")
    run.ok("open", "--at", "19:30")
    for minute in ("19:31", "19:32", "19:33"):
        result = run.ok("speak", "lxj", "请发言。", "--at", minute)
        assert result.stderr == "", result.stderr
    assert "刘晓菊（主持人）3次" in run.ok("status").stdout

"""The facts printed documents need: 请假 (`excuse`), tellers (`vote --teller`) and the
council's public particulars (`init --org/--notice-place/--contact`, `council set|unset|
show`). Each goes through the store: locked, atomic, undone by `undo`; a refusal is one
line and changes nothing. Members' phones stay private: only what `council set` was
given for the public is ever printed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import COUNCIL_NAME

# --- excuse ------------------------------------------------------------------------------------

def test_excuse_before_the_meeting_with_a_reason(run: Any, planned: str) -> None:
    result = run.ok("excuse", "csz", "--reason", "出差")
    assert "已记录 陈淑珍 请假（出差）" in result.output
    excused = run.meeting().excused
    assert [(e.id, e.name, e.reason) for e in excused] == [("L1", "陈淑珍", "出差")]


def test_excuse_again_replaces_the_reason_and_undo_takes_it_back(run: Any, planned: str) -> None:
    run.ok("excuse", "陈淑珍")
    run.ok("excuse", "陈淑珍", "--reason", "身体不适")
    assert [(e.name, e.reason) for e in run.meeting().excused] == [("陈淑珍", "身体不适")]
    run.ok("undo")
    assert [(e.name, e.reason) for e in run.meeting().excused] == [("陈淑珍", None)]
    run.ok("undo")
    assert run.meeting().excused == []


def test_excuse_during_the_meeting(run: Any, opened: str) -> None:
    run.ok("excuse", "zzq", "--reason", "加班")
    minutes = run.ok("minutes").output
    assert "- **请假人员**：赵志强（加班）" in minutes
    assert "- **缺席人员**：陈淑珍（尚未签到）" in minutes


def test_an_excused_member_who_comes_after_all_is_present_not_excused(run: Any,
                                                                      opened: str) -> None:
    run.ok("excuse", "zzq")
    signed = run.ok("sign", "zzq", "--at", "19:40").output
    assert "赵志强 已到会，原请假记录 L1 已取消" in signed
    assert run.meeting().excused == []  # the file says one thing: she came
    minutes = run.ok("minutes").output
    assert "请假人员" not in minutes
    assert "- **迟到**：赵志强（19:40 到会）" in minutes
    assert "没有问题" in run.ok("check").output
    run.ok("undo")  # the sign-in and the withdrawn excuse come back together
    assert [e.name for e in run.meeting().excused] == ["赵志强"]
    assert not run.meeting().stays("赵志强")


def test_a_member_who_came_and_left_is_not_excused_afterwards(run: Any, opened: str) -> None:
    """Leaving early is 早退 with its time (`leave`), not 请假: the minutes list them
    present and leaving."""
    run.ok("leave", "lxj", "--at", "19:50")
    result = run.refused("excuse", "lxj", "--reason", "家里有事")
    assert "刘晓菊 已于 19:20 签到到会，不能记为请假" in result.stderr
    english = run.refused("excuse", "lxj", env={"YIGUAN_LANG": "en"})
    assert "signed in at 19:20 and cannot be excused" in english.stderr


def test_excuse_refusals(run: Any, opened: str) -> None:
    assert "已签到在场" in run.refused("excuse", "刘晓菊").output
    run.refused("excuse", "nobody", because="names.unknown", query="nobody")
    run.refused("excuse", "zzq", "--reason", "第一行\n第二行", because="input.bad_text",
                what_key="what.excuse_reason", why_key="schema.newline")
    run.ok("close", "--at", "20:00")
    # closed: no meeting to default to (a closed one takes -m and --why)
    run.refused("excuse", "zzq", because="store.none_open", newest="2024-05-10")


def test_excuse_of_someone_not_on_the_meetings_roster(run: Any, planned: str) -> None:
    run.ok("member", "add", "新成员", "--initials", "xcy")  # joined after the meeting was made
    assert "不在本次会议的成员名单中" in run.refused("excuse", "新成员").output


# --- guests (列席) ------------------------------------------------------------------------------

def test_a_voting_member_is_never_signed_in_as_a_guest(run: Any, planned: str) -> None:
    """列席 has no vote: a member of the meeting's roster signed in as a guest would lose
    theirs without anyone noticing — by name, by initials, or by a look-alike spelling."""
    assert "刘艳 是本次会议的有表决权成员，签到时不要加 --guest" in run.refused(
        "sign", "--guest", "刘艳", "--at", "19:20").stderr
    for typed in ("ly", "LY"):
        result = run.refused("sign", "--guest", typed, "--at", "19:20")
        assert f"{typed} 是成员 刘艳 的首字母" in result.stderr, result.stderr
    run.refused("sign", "--guest", "刘 艳", "--at", "19:20", because="council.lookalike_member",
                name="刘 艳", other="刘艳")
    english = run.refused("sign", "--guest", "ly", "--at", "19:20", env={"YIGUAN_LANG": "en"})
    assert "ly are the initials of the member 刘艳" in english.stderr
    assert run.meeting().attendee == []


def test_a_council_member_who_joined_after_the_meeting_was_made_sits_in_as_a_guest(
        run: Any, planned: str) -> None:
    """Not on the meeting's roster, so no vote in it; the refusal of a plain sign-in says
    to use --guest, and --guest then works."""
    run.ok("member", "add", "新成员", "--initials", "xcy")
    assert "可用 --guest 列席" in run.refused("sign", "新成员", "--at", "19:20").stderr
    run.ok("sign", "--guest", "新成员", "--at", "19:20")
    (stay,) = run.meeting().attendee
    assert (stay.name, stay.role) == ("新成员", "guest")
    run.ok("check")


# --- tellers -------------------------------------------------------------------------------------

def _motion(run: Any) -> None:
    run.ok("propose", "楼道堆物月底前清理完毕。", "--by", "lxj", "--second", "ly",
           "--at", "19:35")


def test_vote_with_tellers(run: Any, opened: str) -> None:
    _motion(run)
    run.ok("sign", "--guest", "周社工", "--org", "社工站", "--at", "19:36")
    run.ok("vote", "M1", "--yes", "4", "--no", "1", "--teller", "周社工", "--teller", "wjg",
           "--teller", "周社工", "--at", "19:40")
    assert run.meeting().vote[0].tellers == ["周社工", "王建国"]
    assert "- **计票人**：周社工、王建国" in run.ok("minutes").output
    run.ok("undo")
    assert run.meeting().vote == []


def test_a_teller_must_be_in_the_room(run: Any, opened: str) -> None:
    _motion(run)
    result = run.refused("vote", "M1", "--yes", "4", "--no", "1", "--teller", "csz",
                         "--at", "19:40")
    assert "不在场，不能担任计票人" in result.output


# --- the council's public particulars ------------------------------------------------------------

def test_init_takes_the_public_particulars(tmp_path: Path, cli_for: Any) -> None:
    run = cli_for(tmp_path / "m")
    run.ok("init", "--name", "幸福里社区居民议事会", "--org", "幸福里社区居民委员会",
           "--notice-place", "社区居务公开栏", "--contact", "0931-1234567")
    council = run.council()
    assert (council.org, council.notice_place, council.contact) == (
        "幸福里社区居民委员会", "社区居务公开栏", "0931-1234567")
    text = (tmp_path / "m" / "council.toml").read_text(encoding="utf-8")
    assert text.startswith('format = 1\nname = "幸福里社区居民议事会"\n'
                           'org = "幸福里社区居民委员会"\nnotice_place = "社区居务公开栏"\n'
                           'contact = "0931-1234567"\n')
    run.ok("check")


def test_council_set_show_unset_and_undo(run: Any, planned: str) -> None:
    assert "已设置盖章单位：幸福里社区居民委员会" in run.ok(
        "council", "set", "org", "幸福里社区居民委员会").output
    run.ok("council", "set", "notice-place", "3号楼大厅")
    run.ok("council", "set", "name", "新名字议事会")
    shown = run.ok("council", "show").output
    assert "幸福里社区居民委员会" in shown and "3号楼大厅" in shown and "新名字议事会" in shown
    assert "（未设置）" in shown  # contact
    run.ok("council", "unset", "org")
    assert run.council().org is None
    run.ok("undo")
    assert run.council().org == "幸福里社区居民委员会"
    run.ok("undo")
    assert run.council().name == COUNCIL_NAME


def test_council_set_refusals(run: Any, planned: str) -> None:
    assert "可设置：name、org、notice_place、contact" in run.refused(
        "council", "set", "phone", "1").output
    run.refused("council", "set", "org", "两\n行", because="input.bad_text",
                what_key="what.council_org", why_key="schema.newline")
    run.refused("council", "set", "org", "   ", because="input.bad_text",
                what_key="what.council_org", why_key="schema.empty")
    assert "不能删除" in run.refused("council", "unset", "name").output


def test_the_notice_prints_the_particulars_and_never_a_members_phone(run: Any,
                                                                      opened: str) -> None:
    run.ok("member", "add", "私人", "--initials", "sr", "--phone", "13912345678")
    run.ok("council", "set", "org", "幸福里社区居民委员会")
    run.ok("council", "set", "notice_place", "社区居务公开栏")
    run.ok("council", "set", "contact", "0931-8888888")
    _motion(run)
    run.ok("vote", "M1", "--yes", "5", "--no", "0", "--at", "19:40")
    run.ok("close", "--at", "20:00")
    notice = run.ok("notice").output
    assert "- **公示地点**：社区居务公开栏" in notice
    assert "- **监督电话**：0931-8888888" in notice
    assert "幸福里社区居民委员会（盖章）\\\n2024年5月10日" in notice
    minutes = run.ok("minutes").output
    assert "幸福里社区居民委员会（盖章）" in minutes
    for text in (notice, minutes):
        assert "13912345678" not in text


# --- who signs the minutes ------------------------------------------------------------------

def test_who_signs_the_minutes_is_a_council_setting(run: Any, opened: str) -> None:
    """The minutes end in a table to sign: the host and the recorder, whatever their role
    (王丽娟 and 张敏 are not members here), then every member present, two to a row;
    `council set signatures officers` leaves the host and the recorder only. Guests sign
    the 签到表, not the minutes."""
    run.ok("sign", "--guest", "物业小李", "--at", "19:25")
    _motion(run)
    run.ok("vote", "M1", "--yes", "5", "--no", "0", "--at", "19:40")
    run.ok("close", "--at", "20:00")
    minutes = run.ok("minutes").output
    assert ("| 身份 | 姓名 | 签字 |\n| --- | --- | --- |\n| 主持人 | 王丽娟 |  |\n"
            "| 记录人 | 张敏 |  |\n\n**参会人员签字**\n\n| 姓名 | 签字 | 姓名 | 签字 |\n"
            "| --- | --- | --- | --- |\n| 刘晓菊 |  | 刘艳 |  |\n| 王建国 |  | 张桂兰 |  |\n"
            "| 李秀英 |  |  |  |\n") in minutes
    assert "物业小李 |" not in minutes
    assert "已设置会议记录签字：主持人和记录人（officers）" in run.ok(
        "council", "set", "signatures", "officers").output
    assert 'signatures = "officers"\n' in (run.folder / "council.toml").read_text("utf-8")
    assert "主持人和记录人（officers）" in run.ok("council", "show").output
    run.ok("check")
    minutes = run.ok("minutes").output
    assert "| 记录人 | 张敏 |  |\n\n幸福里测试议事会（盖章）" in minutes
    assert "参会人员签字" not in minutes and "| 刘晓菊 |" not in minutes
    english = run.ok("minutes", "--lang", "en").output
    assert "| Role | Name | Signature |" in english
    assert "Signatures of the members present" not in english
    run.refused("council", "set", "signatures", "everyone", because="council.bad_signatures",
                value="everyone")
    run.ok("council", "unset", "signatures")
    assert run.council().signatures is None
    assert "主持人、记录人和到会成员（all）" in run.ok("council", "show").output
    assert "**参会人员签字**" in run.ok("minutes").output


def test_a_share_of_some_but_not_all_never_reads_as_all_or_none() -> None:
    """Attendance and vote shares print through the one percent_text: 999 of 1,000 is
    99.9%, not 100.0%; 1 of 2,000 is 0.1%, not 0.0%; all and none as they are."""
    from yiguan.render.facts import percent

    assert [percent(999, 1000), percent(1, 2000), percent(5, 6), percent(1, 8)] == [
        "99.9%", "0.1%", "83.3%", "12.5%"]
    assert [percent(5, 5), percent(0, 5), percent(3, 0)] == ["100.0%", "0.0%", "-"]

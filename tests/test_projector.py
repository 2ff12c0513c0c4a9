"""The projector's public state (`yiguan.room.projector.public_state`) and the terminal view
that draws it (`screen --terminal`): what each stage holds, in both languages, and what it
never holds.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rich.console import Console

from conftest import MEETING
from yiguan.cli.terminal import screen_view
from yiguan.meeting import floor as floors
from yiguan.room import projector
from yiguan.store.folder import DataFolder
from yiguan.text.messages import t

NOW = dt.datetime(2024, 5, 10, 19, 42, 30)


def _state(run: Any, lang: str = "zh") -> dict[str, Any]:
    data = DataFolder(run.folder)
    return projector.public_state(MEETING, data.load_meeting(MEETING),
                                  floors.read_floor(data, MEETING), NOW,
                                  council=data.load_council().name, lang=lang)


def _drawn(state: dict[str, Any]) -> str:
    console = Console(record=True, width=120, height=40)
    console.print(screen_view(state))
    return console.export_text()


def test_before_opening_the_welcome_and_the_sign_in_count(run: Any, planned: str) -> None:
    run.ok("sign", "lxj", "ly", "--at", "19:20")
    state = _state(run)
    assert state["stage"] == "welcome"
    assert state["counts"] == {"expected": 7, "present": 2, "signed": 2, "guests": 0}
    assert [i["title"] for i in state["agenda"]] == ["楼道堆物清理", "小游园卫生管理"]
    assert state["date"] == "2024年5月10日（星期五）" and state["place"] == "社区活动室"
    assert "已签到" in _drawn(state)


def test_while_open_the_floor_queue_and_motion(run: Any, opened: str, clock: Any) -> None:
    run.ok("queue", "wjg", "zgl", "ly", "lxy", "lxj", "--item", "1")
    run.ok("sign", "csz")
    run.ok("queue", "csz")
    run.ok("floor", "wjg", "--at", "19:41")
    run.ok("propose", "清运楼道堆物", "--by", "lxj", "--second", "ly", "--at", "19:42")
    state = _state(run)
    assert state["floor"] == {"name": "王建国", "limit": 120, "elapsed": 90.0}
    assert state["queue"] == ["张桂兰", "刘艳", "李秀英", "刘晓菊", "陈淑珍"]
    assert state["queue_more"] == 0
    assert state["motion"] == {  # its text and its people: no number, no code
        "text": "清运楼道堆物", "by": "刘晓菊", "second": "刘艳",
        "rule": "赞成票须超过到会有表决权成员（除去回避）的半数"
                "（按到会有表决权成员 6 人计，至少 4 票）"}
    assert state["quorum"]["met"] and "已达到" in state["quorum"]["brief"]
    drawn = _drawn(state)
    assert "王建国" in drawn and "清运楼道堆物" in drawn and "张桂兰" in drawn


def test_the_vote_result_stays_until_the_next_event(run: Any, opened: str) -> None:
    run.ok("propose", "清运楼道堆物", "--by", "lxj", "--second", "ly", "--at", "19:40")
    run.ok("vote", "M1", "--yes", "4", "--no", "1", "--at", "19:45")
    vote = _state(run)["vote"]
    assert (vote["yes"], vote["no"], vote["outcome"], vote["adopted"]) == (4, 1, "通过", True)
    assert vote["arithmetic"] == "赞成 4 票，超过实到有表决权成员 5 人的半数（2.5）"
    run.ok("speak", "zgl", "下一项", "--at", "19:46")
    assert _state(run)["vote"] is None


def test_a_vote_taken_while_someone_holds_the_floor_ends_it_and_shows_the_result(
        run: Any, opened: str, clock: Any) -> None:
    """The chair calls the vote while the last speaker still has the floor: the vote
    ends the floor (no speech is recorded) and the room sees the result."""
    run.ok("propose", "清运楼道堆物", "--by", "lxj", "--second", "ly", "--at", "19:40")
    run.ok("floor", "wjg", "--at", "19:41")
    assert _state(run)["floor"] is not None
    speeches = len(run.meeting().speech)
    said = run.ok("vote", "M1", "--yes", "4", "--no", "1", "--at", "19:42").stdout
    assert t("floor.ended_by_vote", name="王建国") in said
    state = _state(run)
    assert state["floor"] is None
    assert state["vote"] is not None and state["vote"]["outcome"] == "通过"
    assert floors.read_floor(DataFolder(run.folder), MEETING).holder is None
    assert len(run.meeting().speech) == speeches  # the floor ended; nothing recorded
    drawn = _drawn(state)
    assert "表决结果：通过" in drawn and "正在发言" not in drawn


def test_a_refused_vote_leaves_the_floor_as_it_was(run: Any, opened: str) -> None:
    run.ok("propose", "清运楼道堆物", "--by", "lxj", "--second", "ly", "--at", "19:40")
    run.ok("floor", "wjg", "--at", "19:41")
    before = run.snapshot()
    run.refused("vote", "M1", "--yes", "40", "--no", "1", "--at", "19:42",
                because="live.too_many_hands")
    assert run.snapshot() == before
    assert _state(run)["floor"]["name"] == "王建国"


def test_a_recusal_shows_beside_the_vote(run: Any, opened: str) -> None:
    run.ok("propose", "清运楼道堆物", "--by", "lxj", "--second", "ly", "--at", "19:40")
    run.ok("vote", "M1", "--yes", "3", "--no", "1", "--recuse", "wjg", "--at", "19:45")
    state = _state(run)
    assert state["vote"]["recused"] == 1
    assert state["labels"]["recused"].replace("{n}", "1") == "回避 1 人"
    assert state["results"] == [{"text": "清运楼道堆物", "adopted": True, "outcome": "通过",
                                 "counts": "赞成 3 票，反对 1 票，弃权 0 票，回避 1 人"}]
    assert "回避 1 人" in _drawn(state)
    assert "王建国" not in repr(state)  # who stood aside is in the minutes, not on the wall


def test_the_results_so_far_list_every_standing_vote(run: Any, opened: str) -> None:
    run.ok("propose", "清运楼道堆物", "--by", "lxj", "--second", "ly", "--at", "19:40")
    run.ok("vote", "M1", "--yes", "4", "--no", "1", "--at", "19:45")
    run.ok("propose", "小游园增设垃圾桶", "--by", "wjg", "--second", "zgl", "--at", "19:50")
    run.ok("vote", "M2", "--yes", "1", "--no", "4", "--at", "19:55")
    run.ok("speak", "zgl", "下一项", "--at", "19:56")
    state = _state(run)
    assert state["vote"] is None
    assert [(r["text"], r["outcome"]) for r in state["results"]] == [
        ("清运楼道堆物", "通过"), ("小游园增设垃圾桶", "未通过")]


def test_in_english(run: Any, opened: str) -> None:
    run.ok("propose", "Clear the stairwells", "--by", "lxj", "--second", "ly", "--at", "19:40")
    run.ok("vote", "M1", "--yes", "4", "--no", "1", "--at", "19:45")
    state = _state(run, "en")
    assert state["labels"]["queue"] == "Next speakers"
    assert state["vote"]["outcome"] != "通过" and "yes" in state["vote"]["arithmetic"].lower()


def test_after_closing_the_resolutions_in_residents_words(run: Any, opened: str) -> None:
    """The room reads 决议一, 决议二 as the posted notice will say, never the record's
    codes R1, R2 (which only the minutes keep, for the 书记 to cross-check)."""
    run.ok("propose", "清运楼道堆物", "--by", "lxj", "--second", "ly", "--at", "19:40")
    run.ok("vote", "M1", "--yes", "4", "--no", "1", "--at", "19:45")
    run.ok("propose", "小游园增设垃圾桶", "--by", "wjg", "--second", "zgl", "--at", "19:50")
    run.ok("vote", "M2", "--yes", "5", "--no", "0", "--at", "19:55")
    run.ok("close", "--at", "20:30")
    state = _state(run)
    assert state["stage"] == "closed" and state["closed"] == "20:30"
    assert state["resolutions"] == [
        {"r": "决议一", "text": "清运楼道堆物", "counts": "赞成 4 票，反对 1 票，弃权 0 票"},
        {"r": "决议二", "text": "小游园增设垃圾桶", "counts": "赞成 5 票，反对 0 票，弃权 0 票"}]
    drawn = _drawn(state)
    assert "决议一" in drawn and "决议二" in drawn
    assert "R1" not in drawn and "R2" not in drawn
    notice = run.ok("notice").stdout
    assert "**决议一**" in notice and "**决议二**" in notice  # the same words
    english = _state(run, "en")
    assert [r["r"] for r in english["resolutions"]] == ["Resolution 1", "Resolution 2"]
    assert state["not_adopted"] == []


def test_the_closed_page_lists_what_was_not_adopted_too(run: Any, opened: str) -> None:
    run.ok("propose", "清运楼道堆物", "--by", "lxj", "--second", "ly", "--at", "19:40")
    run.ok("vote", "M1", "--yes", "4", "--no", "1", "--at", "19:45")
    run.ok("propose", "小游园增设垃圾桶", "--by", "wjg", "--second", "zgl", "--at", "19:50")
    run.ok("vote", "M2", "--yes", "1", "--no", "3", "--recuse", "lxy", "--at", "19:55")
    run.ok("propose", "更换单元门禁", "--by", "zgl", "--second", "ly", "--at", "20:00")
    run.ok("withdraw", "M3")
    run.ok("close", "--at", "20:30")
    state = _state(run)
    assert [r["text"] for r in state["resolutions"]] == ["清运楼道堆物"]
    assert state["not_adopted"] == [
        {"text": "小游园增设垃圾桶", "outcome": "未通过",
         "counts": "赞成 1 票，反对 3 票，弃权 0 票，回避 1 人"},
        {"text": "更换单元门禁", "outcome": "撤回", "counts": ""}]
    drawn = _drawn(state)
    assert "小游园增设垃圾桶" in drawn and "更换单元门禁" in drawn and "回避 1 人" in drawn
    assert _state(run, "en")["not_adopted"][1]["outcome"] == "withdrawn"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_broken_file_is_drawn_as_a_notice(lang: str) -> None:
    state = projector.broken_state("2024-05-10.toml: 第 3 行语法错误", lang)
    assert "2024-05-10.toml" in _drawn(state)


def test_nothing_private_reaches_the_state(run: Any, planned: str) -> None:
    """What the projector and every phone in the room receive, at every stage: never a
    phone number or a member's note, never the name of anyone absent, never the reason
    someone gave for 请假."""
    run.ok("member", "add", "孙丽华", "--phone", "13912345678", "--note", "腿脚不便")
    run.ok("excuse", "zzq", "--reason", "住院复查")
    states = [_state(run), _state(run, "en")]
    run.ok("sign", "lxj", "ly", "wjg", "zgl", "--at", "19:20")
    states.append(_state(run))
    run.ok("open", "--at", "19:30")
    run.ok("queue", "ly", "zgl")
    run.ok("floor", "wjg", "--at", "19:31")
    states.append(_state(run))
    run.ok("propose", "清运楼道堆物", "--by", "lxj", "--second", "ly", "--at", "19:40")
    states.append(_state(run))
    run.ok("vote", "M1", "--yes", "3", "--no", "0", "--recuse", "zgl", "--at", "19:45")
    states += [_state(run), _state(run, "en")]
    run.ok("close", "--at", "20:30")
    states += [_state(run), _state(run, "en")]
    for state in states:
        text = repr(state)
        for private in ("13912345678", "腿脚不便", "住院复查", "孙丽华", "赵志强", "陈淑珍",
                        "李秀英"):
            assert private not in text, (private, state["stage"])


def test_names_with_brackets_are_drawn_as_typed_not_read_as_markup(
        run: Any, opened: str, clock: Any) -> None:
    """Square brackets are ordinary characters in a name (张三[物业], a guest 李[/]四):
    the terminal view draws them as typed, on every panel title and line, the speaker's
    countdown included, and never reads them as rich's markup (which would drop the tag
    or stop the view with an error)."""
    run.ok("sign", "--guest", "李[/]四", "--at", "19:35")
    run.ok("sign", "--guest", "张三[物业]", "--at", "19:35")
    run.ok("sign", "--guest", "[bold]王五", "--at", "19:35")
    run.ok("queue", "张三[物业]", "[bold]王五", "--item", "1")
    run.ok("floor", "李[/]四", "--at", "19:41")
    run.ok("propose", "清理[/]堆物[red]", "--by", "lxj", "--second", "ly", "--at", "19:42")
    timed = _drawn(_state(run))
    assert "正在发言：李[/]四" in timed  # the countdown panel's title
    assert "张三[物业]" in timed and "[bold]王五" in timed and "清理[/]堆物[red]" in timed
    untimed = _state(run)
    untimed["floor"]["limit"] = 0  # a council whose rules set no time limit
    assert "正在发言：李[/]四" in _drawn(untimed)  # the running clock's title


def test_titles_and_places_with_brackets_are_drawn_as_typed(run: Any, folder: Any) -> None:
    run.ok("new", "[/]五月[b]议事会", "--date", MEETING, "--place", "活动室[/]")
    run.ok("agenda", "add", "[i]楼道[/]", "--by", "王丽娟")
    state = _state(run)
    state["council"] = "幸福里[/]社区"
    drawn = _drawn(state)
    assert "[/]五月[b]议事会" in drawn and "活动室[/]" in drawn and "幸福里[/]社区" in drawn
    assert "[i]楼道[/]" in drawn


@pytest.mark.parametrize(("rule", "lang", "shown"), [
    (">1/2 present", "zh", "（按到会有表决权成员 5 人计，至少 3 票）"),
    (">=2/3 members", "zh", "（按全体应到成员 7 人计，至少 5 票）"),
    (">1/2 present", "en", "(of 5 voting members present, at least 3 votes)"),
    (">=2/3 members", "en", "(of all 7 members, at least 5 votes)"),
])
def test_a_pending_motions_rule_names_its_own_base_as_the_minutes_do(
        run: Any, opened: str, rule: str, lang: str, shown: str) -> None:
    """Before the vote the room reads what the motion needs, over the base its rule
    counts: the voting members present, or the whole roster (应到) — the minutes' words
    for each base, never 实到 for a rule over all members."""
    run.ok("propose", "修改议事规则", "--by", "lxj", "--second", "ly", "--rule", rule,
           "--at", "19:40")
    words = _state(run, lang)["motion"]["rule"]
    assert words.endswith(shown), words
    assert "实到" not in words
    base = "minutes.base.present" if "present" in rule else "minutes.base.members"
    assert t(base, lang=lang, n=5 if "present" in rule else 7) in words


@pytest.mark.parametrize("rule", [">1/2 yes+no", ">=2/3 cast"])
def test_a_rule_over_the_votes_cast_names_no_count_before_the_vote(run: Any, opened: str,
                                                                    rule: str) -> None:
    """Over the votes for and against (or all cast), the count is known only when the
    hands are up: the rule is said in words alone, with no number of people."""
    run.ok("propose", "修改议事规则", "--by", "lxj", "--second", "ly", "--rule", rule,
           "--at", "19:40")
    words = _state(run)["motion"]["rule"]
    assert words.startswith("赞成票须") and "至少" not in words, words
    assert "实到" not in words and not any(c.isdigit() for c in words), words


def test_every_word_and_field_sent_is_drawn_by_the_page_or_the_terminal(
        run: Any, opened: str) -> None:
    """The state holds what a screen draws and nothing else: each label and each field
    is read by the page's script or markup or by the terminal view."""
    import re
    from importlib import resources

    page = "".join(resources.files("yiguan.room").joinpath("page", name).read_text("utf-8")
                   for name in ("index.html", "screen.js"))
    # the server draws the QR code's box into the page (screen --lan)
    page += (resources.files("yiguan.room") / "screen.py").read_text("utf-8")
    terminal = (resources.files("yiguan") / "cli" / "terminal.py").read_text("utf-8")
    for name in projector.labels("zh"):
        assert re.search(rf'data-label="{name}"|labels\.{name}\b', page) or \
            f'labels["{name}"]' in terminal or f"labels['{name}']" in terminal, name
    run.ok("propose", "清运楼道堆物", "--by", "lxj", "--second", "ly", "--at", "19:40")
    run.ok("vote", "M1", "--yes", "4", "--no", "1", "--at", "19:45")
    states = [projector.broken_state("x", "zh"), _state(run)]
    run.ok("close", "--at", "20:00")
    states.append(_state(run))
    for state in states:
        for key in state:
            assert re.search(rf'\b(s|state)\.{key}\b|data-field="{key}"', page) or \
                f'state["{key}"]' in terminal, key


def test_the_date_is_worded_as_the_documents_word_it(run: Any, opened: str) -> None:
    from yiguan.text.messages import locale

    for lang in ("zh", "en"):
        assert _state(run, lang)["date"] == locale(lang).date_words(dt.date(2024, 5, 10),
                                                                    weekday=True)

"""Who is meant by a name: initials from pinyin, and lookup that never guesses.

Initials are computed once, when a member is added, and stored; the surname table gets
the polyphonic surnames right (曾 zēng not céng, 单 shàn not dān, …). A command may name
someone by full name or by initials that fit exactly one person; anything else is an
error that lists the candidates.
"""

from __future__ import annotations

from typing import Any

import pytest

from conftest import assert_refused
from yiguan.rules.names import Person, find, initials_for
from yiguan.text.errors import YiguanError

# (name, initials): the everyday reading of each surname character would be wrong.
INITIALS = {
    "刘晓菊": "lxj",
    "曾凡荣": "zfr",     # 曾 zēng, not céng
    "单玉华": "syh",     # 单 shàn, not dān
    "解晓东": "xxd",     # 解 xiè, not jiě
    "仇英": "qy",        # 仇 qiú, not chóu
    "区志华": "ozh",     # 区 ōu, not qū
    "朴树": "ps",        # 朴 piáo, not pǔ
    "查良镛": "zly",     # 查 zhā, not chá
    "覃小平": "qxp",     # 覃 qín, not tán
    "翟志刚": "zzg",     # 翟 zhái, not dí
    "尉迟恭": "ycg",     # 尉迟 yùchí, not wèi…
    "尉迟敬德": "ycjd",
}


@pytest.mark.parametrize(("name", "initials"), list(INITIALS.items()), ids=list(INITIALS))
def test_initials_follow_the_surname_reading(name: str, initials: str) -> None:
    assert initials_for(name) == initials


@pytest.mark.parametrize(("name", "initials"), [
    ("王芳(3栋)", "wf"),      # the disambiguating suffix is left out
    ("王芳（3栋）", "wf"),
    ("欧阳修", "oyx"),        # a compound surname
    ("Anna Li", "al"),        # Latin words count once each
])
def test_initials_of_other_kinds_of_names(name: str, initials: str) -> None:
    assert initials_for(name) == initials


def test_initials_are_lower_case_letters_or_digits_at_most_twelve() -> None:
    initials = initials_for("诸葛" + "明" * 20)
    assert initials.startswith("zg") and len(initials) <= 12 and initials.isalnum()


# --- lookup -------------------------------------------------------------------------------

ROSTER = [Person("刘晓菊", "lxj", True), Person("刘艳", "ly", True), Person("李勇", "ly", True),
          Person("王建国", "wjg", True), Person("王丽娟", None, False)]


@pytest.mark.parametrize(("query", "name"), [
    ("刘晓菊", "刘晓菊"), ("lxj", "刘晓菊"), ("LXJ", "刘晓菊"), (" wjg ", "王建国"),
    ("刘艳", "刘艳"), ("李勇", "李勇"), ("王丽娟", "王丽娟"),
])
def test_a_full_name_or_unique_initials_find_one_person(query: str, name: str) -> None:
    assert find(query, ROSTER).name == name


def test_shared_initials_are_an_error_listing_both() -> None:
    with pytest.raises(YiguanError) as caught:
        find("ly", ROSTER)
    message = caught.value.message("zh")
    assert caught.value.key == "names.ambiguous"
    assert "刘艳" in message and "李勇" in message, message


@pytest.mark.parametrize("query", ["晓菊", "刘", "lx", "wj"])
def test_a_partial_name_is_never_guessed_even_with_one_candidate(query: str) -> None:
    with pytest.raises(YiguanError) as caught:
        find(query, ROSTER)
    assert caught.value.key == "names.unknown_near"


def test_a_partial_name_lists_the_candidates() -> None:
    with pytest.raises(YiguanError) as caught:
        find("刘", ROSTER)
    assert caught.value.key == "names.unknown_near"
    message = caught.value.message("zh")
    assert "刘晓菊（lxj）" in message and "刘艳（ly）" in message, message


@pytest.mark.parametrize("query", ["张三", "zs", "xyz"])
def test_an_unknown_name_is_an_error(query: str) -> None:
    with pytest.raises(YiguanError) as caught:
        find(query, ROSTER)
    assert caught.value.key == "names.unknown"
    assert query in caught.value.message("zh")


# --- through the command line --------------------------------------------------------------

def test_member_add_computes_and_stores_the_initials(run: Any) -> None:
    result = run.ok("member", "add", "曾小明")
    assert "zxm" in result.stdout
    assert run.council().member("曾小明").initials == "zxm"
    assert 'initials = "zxm"' in (run.folder / "council.toml").read_text(encoding="utf-8")


def test_member_add_takes_given_initials(run: Any) -> None:
    run.ok("member", "add", "𠮷祥", "--initials", "JX")
    assert run.council().member("𠮷祥").initials == "jx"


def test_shared_initials_warn_when_the_member_is_added(run: Any) -> None:
    result = run.ok("member", "add", "李晓娟")  # lxj, like 刘晓菊
    assert "lxj" in result.stderr and "刘晓菊" in result.stderr, result.stderr


def test_ambiguous_initials_in_a_command_list_the_candidates_and_change_nothing(
        run: Any, planned: str) -> None:
    run.ok("member", "add", "李晓娟")
    result = run.refused("sign", "lxj", "--at", "19:00", "-m", planned)
    assert "刘晓菊" in result.stderr and "李晓娟" in result.stderr, result.stderr


def test_an_unknown_name_in_a_command_changes_nothing(run: Any, planned: str) -> None:
    result = run.refused("sign", "lxj", "路人甲", "--at", "19:00")
    assert "路人甲" in result.stderr
    assert run.meeting().attendee == [], "all or nothing: lxj was not signed in either"


def test_a_near_name_in_a_command_lists_candidates(run: Any, planned: str) -> None:
    result = run.refused("sign", "刘", "--at", "19:00")
    assert "刘晓菊" in result.stderr and "刘艳" in result.stderr, result.stderr


def test_names_resolve_to_full_names_in_the_file(run: Any, opened: str) -> None:
    run.ok("propose", "清运楼道堆物", "--by", "ly", "--second", "LXJ", "--at", "19:40")
    motion = run.meeting().motion[0]
    assert (motion.by, motion.second) == ("刘艳", "刘晓菊")


def test_a_guest_named_like_a_members_initials_never_makes_those_initials_a_guess(
        run: Any, opened: str) -> None:
    """After `sign --guest lxj`, "lxj" could mean the guest or 刘晓菊: either the sign-in
    is refused, or later commands treat "lxj" as ambiguous — never a silent choice."""
    result = run("sign", "--guest", "lxj", "--at", "19:25")
    if result.exit_code != 0:
        assert_refused(result, "live.guest_is_initials", name="lxj", member="刘晓菊")
        return
    refused = run.refused("speak", "lxj", "饮水机的问题要解决", "--at", "19:35")
    assert "刘晓菊" in refused.stderr, refused.stderr


# --- #15: one spelling per name, and no look-alikes on the roster ---------------------------

@pytest.mark.parametrize("name", ["刘艳\u3164", "赵志强\u2800", "\u115f王芳", "王\u1160芳",
                                  "王芳\uffa0", "王\ufe0f芳", "王\u034f芳", "王\u1680芳"],
                         ids=["hangul filler", "braille blank", "choseong filler",
                              "jungseong filler", "halfwidth filler", "variation selector",
                              "grapheme joiner", "ogham space"])
def test_a_blank_looking_character_is_refused_in_a_name(run: Any, opened: str,
                                                        name: str) -> None:
    """#15: `刘艳ㅤ` (U+3164) and `赵志强⠀` (U+2800) were accepted, and the roster showed
    the same name twice."""
    # (the code point named is the one of the name's normal form: 王\uffa0 says U+1160)
    invisible = {"what_key": "what.name", "why_key": "schema.invisible"}
    run.refused("member", "add", name, "--initials", "xx", because="input.bad_text", **invisible)
    run.refused("sign", "--guest", name, "--at", "19:40", because="input.bad_text", **invisible)
    run.refused("agenda", "add", "第三项", "--by", name, because="input.bad_text", **invisible)


def test_a_compatibility_ideograph_is_stored_as_the_ideograph(run: Any) -> None:
    """#15: U+F9E1 looks like 李 (U+674E): stored as 李, so it is the member 李秀英."""
    run.refused("member", "add", "\uf9e1秀英", "--initials", "lxy2",
                because="council.duplicate_member", name="李秀英")
    run.ok("member", "add", "\uf9e1四", "--initials", "ls")
    assert run.council().members[-1].name == "李四"


@pytest.mark.parametrize("twin", ["刘 艳", "刘\u3000艳", "刘\u00a0艳"])
def test_a_name_that_looks_like_a_member_is_refused(run: Any, opened: str, twin: str) -> None:
    """#15: a name whose normal form is already on the roster."""
    run.refused("member", "add", twin, "--initials", "ly2", because="council.lookalike_member",
                other="刘艳")
    run.refused("sign", "--guest", twin, "--at", "19:40", because="council.lookalike_member",
                other="刘艳")


def test_full_width_letters_and_spaces_are_stored_plainly(run: Any) -> None:
    run.ok("member", "add", "Ａｎｎａ\u3000Ｌｉ", "--initials", "al")
    run.ok("member", "add", "王芳（３栋）", "--initials", "wf3")
    names = [m.name for m in run.council().members[-2:]]
    assert names == ["Anna Li", "王芳（3栋）"]  # the Chinese brackets stay as typed
    run.refused("member", "add", "anna li", "--initials", "al2",
                because="council.lookalike_member", name="anna li", other="Anna Li")


def test_a_name_typed_with_a_space_or_full_width_finds_the_member(run: Any,
                                                                  opened: str) -> None:
    run.ok("speak", "刘\u3000艳", "同意", "--at", "19:40")
    run.ok("speak", "ＬＹ", "再说一句", "--at", "19:41")
    assert [s.speaker for s in run.meeting().speech] == ["刘艳", "刘艳"]


def test_a_decomposed_name_is_stored_composed(run: Any) -> None:
    run.ok("member", "add", "Zoe\u0301", "--initials", "ze")
    assert run.council().members[-1].name == "Zoé"

"""The golden meetings as a secretary would type them, replayed through the real CLI.

Each scenario is a council roster and the commands of one meeting; replaying it in an
empty folder gives the committed input `tests/golden/<name>.toml` (`seed.toml` is a copy
of the bundled `meetings/2022-03-08.toml`). The goldens never run this script; it is
here to rebuild the inputs after a deliberate format change
(`python tests/golden/make_inputs.py`, see README.md), and the privacy tests replay two
scenarios to get data folders that hold phone numbers and private notes.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent

Step = list[str] | tuple[list[str], str]  # argv, or (argv, stdin)

# A small council with a recusal, a reconsideration, amendments, a withdrawn and a
# postponed motion, hands not raised, someone leaving early and someone coming back,
# two members excused (one with a reason) and a vote with two tellers.
PROCEDURE: list[Step] = [
    ["init", "--name", "春晖社区居民议事会"],
    *[["member", "add", name, "--initials", initials] for name, initials in [
        ("曾凡荣", "zfr"), ("单玉华", "syh"), ("区志坚", "ozj"), ("仇晓东", "qxd"),
        ("覃美玲", "qml"), ("翟海涛", "zht"), ("尉迟敏", "ycm"), ("查建英", "zjy"),
        ("朴正熙", "pzx")]],
    ["member", "add", "解放", "--initials", "xf", "--phone", "13800138000",
     "--note", "腿脚不便，开会请留一楼座位"],
    ["new", "春晖社区二月议事会", "--date", "2024-02-29", "--time", "19:00",
     "--place", "春晖社区党群服务中心二楼", "--host", "曾凡荣", "--recorder", "单玉华"],
    ["agenda", "add", "加装电梯费用分摊", "--by", "区志坚"],
    ["agenda", "add", "楼道堆物清理", "--by", "覃美玲"],
    ["excuse", "zjy", "--reason", "出差"],
    ["excuse", "pzx"],
    ["sign", "--guest", "周书记", "--org", "春晖社区居委会", "--at", "18:50"],
    ["sign", "--guest", "物业小李", "--at", "18:55"],
    ["sign", "zfr", "syh", "ozj", "qxd", "qml", "zht", "ycm", "--at", "18:55"],
    ["open", "--at", "19:00"],
    ["speak", "ozj", "一楼住户不用电梯，分摊比例应按楼层递增。", "--item", "1",
     "--stance", "for", "--minutes", "2", "--at", "19:05"],
    (["speak", "qxd", "-", "--stance", "against", "--at", "19:08"],
     "我反对按楼层递增：\n一楼也有老人需要坐电梯去顶楼晒被子。\n\n建议平均分摊。\n"),
    ["speak", "zht", "先做意愿调查，再定比例。", "--stance", "neutral", "--at", "19:10"],
    ["propose", "电梯费用按楼层递增分摊，一楼不分摊。", "--by", "ozj", "--second", "qml",
     "--at", "19:15"],
    ["amend", "M1", "电梯费用按楼层递增分摊，一楼分摊最低一档。", "--by", "zht", "--at", "19:17"],
    ["amend", "M1", "电梯费用按楼层递增分摊，一楼分摊最低一档，具体比例经意愿调查后确定。",
     "--by", "qxd", "--at", "19:19"],
    ["vote", "M1", "--yes", "3", "--no", "3", "--abstain", "1", "--at", "19:20"],
    ["reconsider", "M1", "--at", "19:25"],
    ["vote", "M1", "--yes", "4", "--no", "1", "--recuse", "ozj", "--at", "19:30"],
    ["propose", "暂缓加装电梯，明年再议。", "--by", "qxd", "--second", "ycm", "--at", "19:32"],
    ["withdraw", "M2"],
    ["leave", "ycm", "--at", "19:35"],
    ["speak", "qml", "楼道堆物有消防隐患，要限期清理。", "--item", "2", "--stance", "for",
     "--minutes", "3", "--at", "19:40"],
    ["propose", "各楼栋楼道堆物于三月底前清理完毕，逾期由物业统一清运。", "--by", "qml",
     "--second", "syh", "--rule", "two-thirds", "--at", "19:45"],
    ["vote", "M3", "--yes", "5", "--no", "1", "--teller", "周书记", "--teller", "syh",
     "--at", "19:46"],
    ["leave", "zht", "--at", "19:50"],
    ["sign", "ycm", "--at", "19:52"],
    ["propose", "楼道内允许停放电动自行车。", "--by", "zfr", "--second", "qxd", "--at", "19:55"],
    ["postpone", "M4"],
    ["propose", "每季度开展一次楼道安全检查。", "--by", "syh", "--second", "ycm",
     "--rule", "nantang", "--at", "20:00"],
    ["vote", "M5", "--yes", "2", "--no", "1", "--abstain", "3", "--at", "20:02"],
    ["action", "开展加装电梯意愿调查", "--owner", "ozj", "--due", "2024-03-15", "--motion", "M1",
     "--at", "20:05"],
    ["action", "通知各楼栋清理楼道堆物", "--owner", "qml", "--due", "2024-03-31",
     "--motion", "M3", "--at", "20:06"],
    ["action", "整理暂缓意见供下次议事参考", "--owner", "qxd", "--motion", "M2", "--at", "20:07"],
    ["done", "A2", "--note", "已在各楼栋张贴通知"],
    ["close", "--at", "20:10"],
]

# Text that tries to break the Markdown: tables, headings, links, HTML, code, emphasis.
HOSTILE: list[Step] = [
    ["init", "--name", "测试议事会"],
    ["member", "add", "王*芳*", "--initials", "wf"],
    ["member", "add", "李_明|二", "--initials", "lm"],
    ["member", "add", "<script>alert(1)</script>", "--initials", "xss"],
    ["member", "add", "# 标题", "--initials", "bt"],
    ["member", "add", "[点我](http://evil.example)", "--initials", "dw",
     "--phone", "+86 139 0000 1111", "--note", "私密备注：住 3 栋 502"],
    ["member", "add", "`代码`", "--initials", "dm"],
    ["new", "**加粗** _斜体_ `代码` <b>html</b> | 管道", "--date", "2022-12-28",
     "--time", "09:00", "--place", "www.evil.example 与 http://evil.example/x?a=1&b=2",
     "--host", "王*芳*", "--recorder", "# 标题"],
    ["agenda", "add", "# 不是标题 | 也不是表格", "--by", "<script>alert(1)</script>"],
    ["sign", "--guest", "![img](http://evil.example/a.png)", "--org", "| 单位 | <i>x</i> |",
     "--at", "08:50"],
    ["sign", "wf", "lm", "xss", "bt", "dw", "dm", "--at", "08:55"],
    ["open", "--at", "09:00"],
    (["speak", "xss", "-", "--stance", "for", "--at", "09:05"],
     "第一行 | 不是表格 |\n# 不是标题\n- 不是列表\n1. 也不是列表\n---\n===\n    不是代码块\n"
     "```\n<script>alert('x')</script>\n[链接](javascript:alert(1)) <http://evil.example>\n"
     "看这里\u200b零宽 &amp; &lt; $x^2$ ~~删~~ @someone 尾部反斜杠\\\n"),
    ["speak", "lm", "*强调* __粗__ `code` > 引用 \\* 已转义", "--at", "09:08"],
    (["propose", "-", "--by", "dw", "--second", "bt", "--at", "09:10"],
     "| 列1 | 列2 |\n|---|---|\n| a | b |\n[[注脚]] [^1]\n"),
    ["vote", "M1", "--yes", "6", "--no", "0", "--at", "09:12"],
    (["action", "-", "--owner", "lm", "--due", "2023-01-15", "--motion", "M1", "--at", "09:15"],
     "清理 | 表格\n第二行 <br> 标签"),
    ["close", "--at", "09:20"],
]

# Still in session: a pending motion, someone left and came back, a second item.
DRAFT: list[Step] = [
    ["init", "--name", "幸福里社区居民议事会"],
    *[["member", "add", name, "--initials", initials] for name, initials in [
        ("刘晓菊", "lxj"), ("刘艳", "ly"), ("王建国", "wjg"), ("张桂兰", "zgl"),
        ("李秀英", "lxy")]],
    ["new", "四月议事会", "--date", "2022-04-12", "--time", "19:30",
     "--place", "幸福里社区活动室", "--host", "刘晓菊", "--recorder", "张敏"],
    ["agenda", "add", "饮水机费用收缴情况"],
    ["agenda", "add", "五一活动安排", "--by", "刘艳"],
    ["sign", "lxj", "ly", "wjg", "--at", "19:25"],
    ["sign", "--guest", "张敏", "--org", "兰州爱颐社工", "--at", "19:25"],
    ["open", "--at", "19:30"],
    ["speak", "lxj", "已收齐七个团队的集资款。", "--at", "19:35"],
    ["leave", "wjg", "--at", "19:40"],
    ["sign", "wjg", "--at", "19:50"],
    ["sign", "zgl", "--at", "19:52"],
    ["propose", "五一组织社区义卖活动。", "--by", "ly", "--second", "zgl", "--item", "2",
     "--at", "19:55"],
]

# Two of five members came: the quorum was never reached, so nothing could be decided.
NO_QUORUM: list[Step] = [
    ["init", "--name", "幸福里社区居民议事会"],
    *[["member", "add", name, "--initials", initials] for name, initials in [
        ("刘晓菊", "lxj"), ("刘艳", "ly"), ("王建国", "wjg"), ("张桂兰", "zgl"),
        ("李秀英", "lxy")]],
    ["new", "一月议事会", "--date", "2023-01-31", "--time", "19:30",
     "--place", "幸福里社区活动室", "--host", "刘晓菊", "--recorder", "刘艳"],
    ["agenda", "add", "春节慰问安排"],
    ["sign", "lxj", "ly", "--at", "19:30"],
    ["open", "--at", "19:30"],
    ["speak", "lxj", "人数不够，先听听大家意见，下次再表决。", "--at", "19:35"],
    ["close", "--at", "19:50"],
]

# Created, agenda set, nobody signed in yet.
PLANNED: list[Step] = [
    ["init", "--name", "幸福里社区居民议事会"],
    *[["member", "add", name, "--initials", initials] for name, initials in [
        ("刘晓菊", "lxj"), ("刘艳", "ly"), ("王建国", "wjg")]],
    ["new", "五月议事会", "--date", "2022-05-10", "--time", "19:30"],
    ["agenda", "add", "夏季纳凉点设置"],
]

# Closed, then corrected two days later from the paper tally (更正): a vote recounted (the
# motion is now rejected, so the resolution numbers move), a speech typed twice struck,
# an action's due date moved. Also: 孙丽 left in the minute of the vote, after it; the
# chair's and a guest's words, not counted against the limits.
CORRECTED: list[Step] = [
    ["init", "--name", "幸福里社区居民议事会"],
    *[["member", "add", name, "--initials", initials] for name, initials in [
        ("刘晓菊", "lxj"), ("刘艳", "ly"), ("王建国", "wjg"), ("张桂兰", "zgl"),
        ("李秀英", "lxy"), ("孙丽", "sl")]],
    ["new", "六月议事会", "--date", "2022-06-14", "--time", "19:30",
     "--place", "幸福里社区活动室", "--host", "刘晓菊", "--recorder", "张敏"],
    ["agenda", "add", "楼道照明"],
    ["agenda", "add", "小游园座椅"],
    ["sign", "lxj", "ly", "wjg", "zgl", "lxy", "sl", "--at", "19:25"],
    ["sign", "--guest", "物业小李", "--org", "幸福里物业", "--at", "19:25"],
    ["open", "--at", "19:30"],
    ["speak", "lxj", "先说楼道照明。", "--at", "19:31"],
    ["speak", "ly", "三单元的声控灯坏了一个月。", "--at", "19:33"],
    ["speak", "ly", "三单元的声控灯坏了一个月。", "--at", "19:33"],
    ["speak", "物业小李", "灯已订货，下周更换。", "--at", "19:34"],
    ["propose", "物业一周内修好三单元声控灯。", "--by", "wjg", "--second", "zgl",
     "--at", "19:40"],
    ["propose", "小游园增设两把座椅。", "--by", "lxy", "--second", "ly", "--item", "2",
     "--at", "19:40"],
    ["vote", "M1", "--yes", "5", "--no", "1", "--at", "19:45"],
    ["leave", "sl", "--at", "19:45"],
    ["vote", "M2", "--yes", "3", "--no", "2", "--at", "19:48"],
    ["action", "更换三单元声控灯", "--owner", "物业小李", "--due", "2022-06-21",
     "--motion", "M1", "--at", "19:50"],
    ["close", "--at", "20:00"],
    ["fix", "V1", "--yes", "3", "--no", "3", "--reason", "复核纸质计票单", "-m", "2022-06-14"],
    ["strike", "S3", "--reason", "重复录入", "-m", "2022-06-14"],
    ["fix", "A1", "--due", "2022-06-24", "--reason", "物业确认到货日期", "-m", "2022-06-14"],
]

# Items made from residents' topics (议题征集, `agenda add --topic`): one from the 心愿墙
# with the resident's name (printed in the minutes and the 会议通知, never in a 公示), one
# anonymous by phone given its own title, and one item of the council's own; the first
# adopted, the second postponed.
SOURCED: list[Step] = [
    ["init", "--name", "幸福里社区居民议事会"],
    *[["member", "add", name, "--initials", initials] for name, initials in [
        ("刘晓菊", "lxj"), ("刘艳", "ly"), ("王建国", "wjg"), ("张桂兰", "zgl"),
        ("李秀英", "lxy")]],
    ["topic", "add", "小区东门路灯坏了，晚上出入不安全", "--from", "王阿姨", "--via", "心愿墙",
     "--date", "2022-06-02"],
    ["topic", "add", "楼道堆物影响通行", "--via", "电话", "--date", "2022-06-05"],
    ["topic", "add", "三单元楼道堆满杂物", "--from", "李大爷", "--via", "网格员",
     "--date", "2022-06-06"],
    ["topic", "merge", "T3", "--into", "T2"],
    ["new", "六月议事会", "--date", "2022-06-14", "--time", "19:30",
     "--place", "幸福里社区活动室", "--host", "刘晓菊", "--recorder", "张敏"],
    ["agenda", "add", "--topic", "T1"],
    ["agenda", "add", "楼道堆物清理", "--topic", "T2", "--by", "张桂兰"],
    ["agenda", "add", "夏季纳凉点设置"],
    ["sign", "lxj", "ly", "wjg", "zgl", "lxy", "--at", "19:25"],
    ["open", "--at", "19:30"],
    ["speak", "wjg", "东门路灯归市政管，先由社区联系街道报修。", "--item", "1", "--at", "19:32"],
    ["propose", "社区一周内联系街道维修东门路灯。", "--by", "wjg", "--second", "ly",
     "--item", "1", "--at", "19:35"],
    ["vote", "M1", "--yes", "5", "--no", "0", "--at", "19:38"],
    ["propose", "组织志愿者清理楼道堆物。", "--by", "zgl", "--second", "lxy", "--item", "2",
     "--at", "19:40"],
    ["postpone", "M2"],
    ["close", "--at", "20:00"],
]

SCENARIOS: dict[str, list[Step]] = {
    "procedure": PROCEDURE,
    "hostile": HOSTILE,
    "draft": DRAFT,
    "noquorum": NO_QUORUM,
    "planned": PLANNED,
    "corrected": CORRECTED,
    "sourced": SOURCED,
}

# The clock the commands see (the date of a correction): two days after the meeting.
CLOCK = dt.datetime(2022, 6, 16, 10, 0)


def replay(folder: Path, steps: list[Step]) -> Path:
    """Run the steps in `folder` through the CLI, with the clock at CLOCK; return the one
    meeting file made."""
    from unittest import mock

    from typer.testing import CliRunner

    from yiguan.cli import make_app

    runner = CliRunner()
    with mock.patch("yiguan.cli.common.now", return_value=CLOCK):
        for step in steps:
            argv, stdin = (step, None) if isinstance(step, list) else step
            result = runner.invoke(make_app(), ["--dir", str(folder), *argv], input=stdin)
            if result.exit_code != 0:
                raise SystemExit(f"{argv}: exit {result.exit_code}\n{result.output}")
    (meeting,) = [p for p in folder.glob("*.toml")
                  if p.name not in ("council.toml", "private.toml", "topics.toml")]
    return meeting


def main() -> None:
    shutil.copyfile(ROOT / "meetings" / "2022-03-08.toml", HERE / "seed.toml")
    for name, steps in SCENARIOS.items():
        with tempfile.TemporaryDirectory() as tmp:
            made = replay(Path(tmp) / "meetings", steps)
            shutil.copyfile(made, HERE / f"{name}.toml")
        print(f"wrote {HERE / name}.toml")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()

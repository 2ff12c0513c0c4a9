"""The bundled example meeting as the secretary would type it, command by command.

Source: 兰州日报 2022-03-09, 《凝聚基层治理合力 共建共治美好家园》 (../shared/seed/):
幸福里社区's 幸而有你居民议事会, 18 people (社区书记, 社工, 居民骨干), one topic — combining
resource exchange with volunteering — 刘晓菊's and 刘艳's points, and three outcomes
decided by show of hands. Everything the report does not say (date, times, counts, the
other names, the wording of motions, the actions) is invented and said so in `note`.

`tests/test_seed.py` replays these through the CLI and compares the result with
`meetings/` byte for byte. To regenerate `meetings/` after a deliberate format change:
`python tests/seed_script.py meetings`.
"""

from __future__ import annotations

import sys
from pathlib import Path

COUNCIL = "幸福里社区居民议事会"
MEMBERS = [
    "刘晓菊", "刘艳", "王建国", "张桂兰", "李秀英", "陈淑珍", "赵志强", "马玉梅", "杨树林",
    "周红霞", "何丽", "孙德明", "郭春燕", "曾凡荣", "单玉华", "牛建平", "魏永红", "朱海燕",
]
NOTE = (
    "据兰州日报 2022-03-09 报道《凝聚基层治理合力 共建共治美好家园》整理。报道写明：幸福里社区、"
    "兰州爱颐社工与居民骨干召开本次议事会，主题为“如何进行资源置换与志愿服务相结合的探讨”，"
    "社区书记、社工、居民骨干共 18 人参加；刘晓菊、刘艳的发言；举手表决形成活动场地使用规则、"
    "志愿者人才队伍激励机制、小游园环境卫生管理方式。其余细节为示例虚构：日期与时间、"
    "除刘晓菊和刘艳以外的姓名、议事会名单（18 名成员，15 人到会）、其他发言、动议措辞、票数与责任分工。"
)

COMMANDS: list[list[str]] = [
    ["init", "--name", COUNCIL],
    *[["member", "add", name] for name in MEMBERS],
    ["new", "幸而有你居民议事会", "--date", "2022-03-08", "--time", "19:30",
     "--place", "幸福里社区活动室", "--host", "王丽娟", "--recorder", "张敏", "--note", NOTE],
    ["agenda", "add", "如何进行资源置换与志愿服务相结合", "--by", "王丽娟"],
    ["sign", "--guest", "王丽娟", "--org", "幸福里社区（社区书记）", "--at", "19:10"],
    ["sign", "--guest", "张敏", "李婷", "--org", "兰州爱颐社工", "--at", "19:10"],
    ["sign", "lxj", "ly", "wjg", "zgl", "lxy", "csz", "--at", "19:20"],
    ["sign", "zzq", "mym", "zhx", "hl", "gcy", "--at", "19:25"],
    ["sign", "zfr", "syh", "njp", "wyh", "--at", "19:28"],
    ["open", "--at", "19:30"],
    ["speak", "lxj", "现在天气逐渐暖和了，活动场地配备饮水机的问题一定要解决，团队集资也是可以的。",
     "--stance", "for", "--minutes", "2", "--at", "19:36"],
    ["speak", "ly", "每个团队使用完活动场地，必须要按照场地管理制度打扫卫生，做好场地管理，"
     "社区是我们的第二个家，需要大家共同维护。", "--stance", "for", "--minutes", "2", "--at", "19:40"],
    ["speak", "wjg", "志愿服务可以记积分，积分能在社区换理发、磨刀这些服务，资源就置换起来了。",
     "--stance", "for", "--minutes", "2", "--at", "19:45"],
    ["speak", "zfr", "积分怎么记要先定清楚，不然容易有意见。", "--stance", "neutral",
     "--minutes", "1", "--at", "19:48"],
    ["speak", "mym", "小游园的卫生没人固定管，建议按楼栋轮流认领。", "--stance", "for",
     "--minutes", "2", "--at", "19:52"],
    ["speak", "王丽娟", "社区可以提供积分兑换的场地和登记本，由社工协助记录。", "--stance",
     "neutral", "--minutes", "2", "--at", "19:55"],
    ["propose", "社区活动场地使用规则：各团队使用活动场地后按场地管理制度打扫卫生；"
     "场地配备饮水机，费用由使用场地的团队集资。", "--by", "ly", "--second", "lxj",
     "--at", "20:05"],
    ["vote", "M1", "--yes", "14", "--no", "0", "--abstain", "1", "--at", "20:10"],
    ["propose", "志愿者人才队伍激励机制：志愿服务时长按小时计入积分，积分可在社区兑换服务或物品。",
     "--by", "wjg", "--second", "zgl", "--at", "20:15"],
    ["amend", "M2", "志愿者人才队伍激励机制：志愿服务时长按小时计入积分，由社工按月公布，"
     "积分可在社区兑换服务或物品。", "--by", "zfr", "--at", "20:20"],
    ["vote", "M2", "--yes", "13", "--no", "1", "--abstain", "1", "--at", "20:25"],
    ["propose", "小游园环境卫生管理方式：居民骨干按楼栋轮流认领小游园卫生，每周六上午集中清扫一次。",
     "--by", "mym", "--second", "csz", "--at", "20:30"],
    ["vote", "M3", "--yes", "12", "--no", "2", "--abstain", "1", "--at", "20:35"],
    ["action", "购置饮水机并组织各团队集资", "--owner", "lxj", "--due", "2022-03-31",
     "--motion", "M1", "--at", "20:40"],
    ["action", "制定志愿服务积分兑换细则并按月公布积分", "--owner", "wjg", "--due", "2022-04-15",
     "--motion", "M2", "--at", "20:42"],
    ["action", "排出小游园卫生楼栋轮值表", "--owner", "mym", "--due", "2022-03-20",
     "--motion", "M3", "--at", "20:44"],
    ["close", "--at", "20:50"],
]


def replay(folder: Path) -> None:
    """Run every command against `folder` through the real CLI app; stop at a failure."""
    from typer.testing import CliRunner

    from yiguan.cli import make_app

    runner = CliRunner()
    for argv in COMMANDS:
        result = runner.invoke(make_app(), ["--dir", str(folder), *argv])
        if result.exit_code != 0:  # any cause: the script stops and shows it
            raise SystemExit(f"{argv}: exit {result.exit_code}\n{result.output}")


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "meetings")
    for name in ("council.toml", "2022-03-08.toml", ".gitignore"):
        (target / name).unlink(missing_ok=True)
    replay(target)
    print(f"replayed {len(COMMANDS)} commands into {target}")

"""Write N realistic meeting files and a council.toml into a folder, deterministically.

    python benchmarks/generate.py COUNT FOLDER [--seed 2022] [--jobs 2]

A street office may hold 10,000 meeting files (≈ 80 communities × 10 years × 12); the
scale benchmarks (`list`, `ledger`, `actions`, `attendance`) run over such a folder.
Each meeting is built from yiguan's own records (`yiguan.record.model`), decided by its own
rules engine (`yiguan.rules.engine.decide`) and written by its canonical writer
(`yiguan.record.fileformat.dump_meeting`), so every file passes `yiguan check` and looks like
one the tool wrote: closed meetings of 1–3 agenda items with sign-in and early leavers,
guests (列席), 4–7 speeches per item (7–11 when there is one item), motions with
seconds, amendments, recusals, other thresholds, withdrawn and postponed motions, and
actions of which some are done. A file averages about 7.6 KB, like a real meeting.

The same COUNT and seed give byte-identical files whatever `--jobs` is: every meeting
draws from its own random stream, seeded by (seed, index). Meetings spread over ten years
(2016–2025), several on some days (`YYYY-MM-DD-2`, …).

Needs the environment where yiguan is installed (run it with that Python).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

from yiguan.record import fileformat
from yiguan.record.model import (
    Action,
    Amendment,
    Attendee,
    Council,
    Item,
    Meeting,
    Member,
    Motion,
    Rules,
    Speech,
    Vote,
)
from yiguan.rules import engine as rules
from yiguan.store.files import GITIGNORE

FIRST_DAY = dt.date(2016, 1, 1)
YEARS_DAYS = 3653  # 2016-01-01 .. 2025-12-31
ROSTER_POOL = 44   # names that pass through the roster over the years
ROSTER_SIZE = 20   # voting members on the roster at any time

# (character, pinyin initial): names are built from these, so initials are known without
# pypinyin and every name's stored initials are right.
SURNAMES = [
    ("王", "w"), ("李", "l"), ("张", "z"), ("刘", "l"), ("陈", "c"), ("杨", "y"), ("赵", "z"),
    ("黄", "h"), ("周", "z"), ("吴", "w"), ("徐", "x"), ("孙", "s"), ("马", "m"), ("朱", "z"),
    ("胡", "h"), ("郭", "g"), ("何", "h"), ("林", "l"), ("罗", "l"), ("高", "g"), ("郑", "z"),
    ("梁", "l"), ("谢", "x"), ("宋", "s"), ("唐", "t"), ("韩", "h"), ("冯", "f"), ("邓", "d"),
    ("曹", "c"), ("彭", "p"), ("曾", "z"), ("萧", "x"), ("田", "t"), ("董", "d"), ("潘", "p"),
]
GIVEN = [
    ("建", "j"), ("国", "g"), ("秀", "x"), ("英", "y"), ("桂", "g"), ("兰", "l"), ("志", "z"),
    ("强", "q"), ("玉", "y"), ("梅", "m"), ("红", "h"), ("霞", "x"), ("德", "d"), ("明", "m"),
    ("春", "c"), ("燕", "y"), ("海", "h"), ("平", "p"), ("淑", "s"), ("珍", "z"), ("丽", "l"),
    ("华", "h"), ("永", "y"), ("军", "j"), ("芳", "f"), ("敏", "m"), ("静", "j"), ("伟", "w"),
    ("文", "w"), ("荣", "r"), ("凤", "f"), ("云", "y"), ("树", "s"), ("林", "l"), ("晓", "x"),
    ("菊", "j"), ("艳", "y"), ("凡", "f"), ("金", "j"), ("宝", "b"),
]
ORGS = ["社区党委（社区书记）", "社区居委会", "社区社工站", "物业服务中心", "街道办事处",
        "辖区派出所（社区民警）", "业主委员会", "共建单位"]
PLACES = ["社区活动室", "社区党群服务中心二楼会议室", "小区议事亭", "物业服务中心会议室",
          "社区老年活动中心", "3号楼架空层"]
TOPICS = [
    ("小区停车", "车位划线、临时停车收费和外来车辆管理"),
    ("加装电梯", "低层住户补偿、费用分摊和施工期间出行"),
    ("垃圾分类", "定时定点投放、桶边督导和厨余垃圾清运"),
    ("楼道堆物", "消防通道清理、电动车入户充电和杂物处置"),
    ("小游园环境卫生", "按楼栋轮流认领、绿化补种和宠物粪便"),
    ("广场舞噪音", "活动时段、音量限制和场地轮换"),
    ("电动车充电桩", "选址、收费标准和夜间充电安全"),
    ("老年助餐点", "用餐补贴、送餐上门和志愿者排班"),
    ("志愿服务积分", "积分记录、公示和兑换服务"),
    ("活动场地使用", "团队预约、打扫卫生和饮水机配备"),
    ("外墙脱落维修", "维修资金申请、施工围挡和业主签字"),
    ("快递柜设置", "摆放位置、超时收费和老人代取"),
    ("雨污管网改造", "施工时序、道路开挖和临时排水"),
    ("邻里纠纷调解", "调解员轮值、调解记录和回访"),
    ("社区文化活动", "节日活动安排、经费使用和场地协调"),
]
OPENERS = ["我觉得", "我说两句，", "楼里不少人反映，", "上次议事会说过，", "我建议",
           "从物业这边看，", "我们几个老同志商量了一下，", "补充一点，", "我同意前面的意见，另外",
           "说句实在话，"]
VIEWS = [
    "{topic}的问题拖了很久了，{aspect}一定要先定下来，不然大家意见很大",
    "{aspect}可以先在一个楼栋试行一个月，效果好再推开",
    "费用的事要算清楚，每户出多少、谁来收、怎么公示，都要写明白",
    "这件事不能只靠社区，居民骨干要带头，楼长要把情况摸清楚",
    "{topic}牵涉到老人和孩子的安全，要请物业和社工一起把关",
    "可以参考隔壁社区的做法，他们{aspect}做得比较好，我们去学习一下",
    "有的住户平时上班，来不了会，意见要在楼栋群里再征求一次",
    "{aspect}的标准要简单，老年人也要看得懂，张贴在单元门口",
    "经费可以从社区微治理项目里申请一部分，不够的再商量集资",
    "我担心执行起来没人管，要明确责任人和完成时间，下次会上通报",
]
MOTION_TEMPLATES = [
    "{topic}：{aspect}按本次议事会讨论意见执行，由楼长和居民骨干分片负责，"
    "执行情况每月在公示栏公布一次。",
    "{topic}试行方案：先在1号至3号楼试行一个月，{aspect}由物业服务中心配合落实，"
    "试行结束后再提交议事会表决是否推广。",
    "{topic}经费：所需费用优先申请社区微治理项目资金，不足部分由受益住户自愿分摊，"
    "收支明细在公示栏公示七天。",
    "关于{topic}：成立由居民骨干、物业和社工组成的工作小组，两周内拿出{aspect}的具体办法。",
]
ACTION_TEMPLATES = [
    "起草{topic}具体办法并在楼栋群征求意见", "联系物业落实{topic}相关事项",
    "统计各楼栋对{topic}的意见并汇总", "在公示栏公示{topic}决议", "申请{topic}所需经费",
    "组织志愿者参与{topic}", "回访住户了解{topic}执行情况",
]


def _names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """`count` distinct names of two or three characters, with their initials."""
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    while len(out) < count:
        surname = rng.choice(SURNAMES)
        given = rng.sample(GIVEN, rng.choice((1, 2, 2, 2)))
        name = surname[0] + "".join(c for c, _ in given)
        if name in seen:
            continue
        seen.add(name)
        out.append((name, surname[1] + "".join(i for _, i in given)))
    return out


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def council_for(seed: int) -> tuple[Council, list[tuple[str, str]], list[str]]:
    """The council, the pool of names its roster has held over the years, and guests."""
    rng = random.Random(f"council:{seed}")
    people = _names(rng, ROSTER_POOL + 10)
    pool, guests = people[:ROSTER_POOL], [n for n, _ in people[ROSTER_POOL:]]
    current = pool[-ROSTER_SIZE:]
    council = Council(name="幸福里社区居民议事会（生成的基准数据）",
                      members=[Member(name=n, initials=i) for n, i in current])
    return council, pool, guests


def meeting_ids(count: int, seed: int) -> list[tuple[str, dt.date]]:
    """`count` meeting ids spread over ten years, oldest first."""
    rng = random.Random(f"dates:{seed}")
    days = sorted(rng.randrange(YEARS_DAYS) for _ in range(count))
    out: list[tuple[str, dt.date]] = []
    previous, number = -1, 0
    for day in days:
        number = number + 1 if day == previous else 1
        previous = day
        date = FIRST_DAY + dt.timedelta(days=day)
        out.append((date.isoformat() if number == 1 else f"{date.isoformat()}-{number}", date))
    return out


def make_meeting(seed: int, index: int, count: int, date: dt.date,
                 pool: list[tuple[str, str]], guests: list[str]) -> Meeting:
    """One closed meeting, decided by yiguan's rules engine."""
    rng = random.Random(f"meeting:{seed}:{index}")
    # the roster moves through the pool over the years: members join and leave
    start = round((len(pool) - ROSTER_SIZE) * index / max(1, count - 1))
    members = [n for n, _ in pool[start:start + ROSTER_SIZE]]
    rng.shuffle(members)
    members = sorted(members[:rng.randint(17, ROSTER_SIZE)], key=[n for n, _ in pool].index)
    meeting_rules = Rules()
    topics = rng.sample(TOPICS, rng.choice((1, 1, 2, 2, 3)))
    host, recorder = rng.sample(guests, 2)
    opened = rng.choice((9 * 60, 14 * 60 + 30, 19 * 60, 19 * 60 + 30))
    meeting = Meeting(
        title=f"{topics[0][0]}专题居民议事会" if rng.random() < 0.7 else
        f"{date.year}年第{rng.randint(1, 12)}次居民议事会",
        date=date, status="closed", time=_clock(opened), place=rng.choice(PLACES),
        host=host, recorder=recorder, opened=_clock(opened), members=members,
        rules=meeting_rules,
        note=("部分居民通过楼栋群提交了书面意见，已附在会议材料中。"
              if rng.random() < 0.15 else None),
    )
    # sign-in: guests (host and recorder among them), then most members, some late
    for name in [host, recorder] + rng.sample([g for g in guests if g not in (host, recorder)],
                                              rng.randint(0, 2)):
        meeting.attendee.append(Attendee(id=meeting.next_id(Attendee), name=name, role="guest",
                                         org=rng.choice(ORGS), arrived=_clock(opened - 20)))
    attending = [m for m in members if rng.random() < 0.82]
    while len(attending) * 2 <= len(members):  # quorum: more than half
        attending = sorted(set(attending) | {rng.choice(members)}, key=members.index)
    for name in attending:
        late = rng.random() < 0.1
        meeting.attendee.append(Attendee(
            id=meeting.next_id(Attendee), name=name, role="member",
            arrived=_clock(opened + rng.randint(1, 15) if late else opened - rng.randint(1, 15))))
    now = opened + 16  # every late arrival is in by now
    speakers = attending + [host]
    for number, (topic, aspect) in enumerate(topics, 1):
        meeting.item.append(Item(id=number, title=f"{topic}：{aspect}",
                                 by=rng.choice((host, rng.choice(attending)))))
        for _ in range(rng.randint(4, 7) if len(topics) > 1 else rng.randint(7, 11)):
            now += rng.randint(2, 5)
            view = rng.choice(VIEWS).format(topic=topic, aspect=aspect)
            text = rng.choice(OPENERS) + view + "。"
            if rng.random() < 0.7:
                text += rng.choice(VIEWS).format(topic=topic, aspect=aspect) + "。"
            meeting.speech.append(Speech(
                id=meeting.next_id(Speech), item=number, speaker=rng.choice(speakers),
                stance=rng.choice(("for", "for", "neutral", "against")),
                minutes=rng.randint(1, 3), at=_clock(now), text=text))
        for _ in range(rng.choice((1, 1, 2))):
            now += rng.randint(2, 6)
            mover, seconder = rng.sample(attending, 2)
            text = rng.choice(MOTION_TEMPLATES).format(topic=topic, aspect=aspect)
            rule = ">=2/3 present" if rng.random() < 0.15 else None
            motion = Motion(id=meeting.next_id(Motion), item=number, text=text, by=mover,
                            second=seconder, rule=rule, at=_clock(now))
            meeting.motion.append(motion)
            if rng.random() < 0.2:
                now += rng.randint(1, 4)
                amended = text.rstrip("。") + "，涉及费用的须先经楼栋会议同意。"
                meeting.amendment.append(Amendment(
                    id=meeting.next_id(Amendment), motion=motion.id, by=rng.choice(attending),
                    at=_clock(now), previous=text, text=amended))
                motion.text = amended
            fate = rng.random()
            if fate < 0.05:
                motion.status = "withdrawn"
                continue
            if fate < 0.10:
                motion.status = "postponed"
                continue
            now += rng.randint(2, 5)
            _vote(rng, meeting, motion, _clock(now))
    # actions for adopted motions, some of them done since
    for _, motion, _vote_record in meeting.resolutions():
        topic = next((t for t, _ in topics if t in motion.text), topics[0][0])
        for _ in range(rng.choice((1, 2, 2))):
            now += 1
            done = rng.random() < 0.6
            meeting.action.append(Action(
                id=meeting.next_id(Action), motion=motion.id,
                text=rng.choice(ACTION_TEMPLATES).format(topic=topic),
                owner=rng.choice(attending), due=date + dt.timedelta(days=rng.randint(7, 45)),
                at=_clock(now), done=done,
                note="已完成，情况在下次议事会上通报。" if done and rng.random() < 0.5 else None))
    # a few leave before the end; the chair closes
    now += rng.randint(3, 10)
    for stay in meeting.attendee:
        if stay.role == "member" and rng.random() < 0.08:
            stay.left = _clock(now - 2)
    meeting.closed = _clock(now)
    return meeting


def _vote(rng: random.Random, meeting: Meeting, motion: Motion, at: str) -> None:
    present = meeting.voting_present(at)
    recused = [rng.choice([p for p in present if p not in (motion.by, motion.second)])] \
        if rng.random() < 0.05 else []
    eligible = len(present) - len(recused)
    cast = eligible - (1 if rng.random() < 0.2 else 0)
    leaning = rng.random()
    yes = round(cast * (0.9 if leaning < 0.75 else 0.6 if leaning < 0.9 else 0.4))
    no = rng.randint(0, cast - yes)
    abstain = cast - yes - no
    threshold = meeting.rules.threshold(motion.rule)
    tally = rules.Tally(yes, no, abstain, len(present), len(recused), len(meeting.members))
    decision = rules.decide(threshold, tally)
    meeting.vote.append(Vote(
        id=meeting.next_id(Vote), motion=motion.id, at=at, yes=yes, no=no, abstain=abstain,
        recused=recused, present=len(present), eligible=eligible, not_voting=eligible - cast,
        rule=str(threshold), outcome=decision.outcome))
    motion.status = decision.outcome


# --- writing ------------------------------------------------------------------------------

_WORK: dict[str, object] = {}


def _write_range(bounds: tuple[int, int]) -> int:
    folder: Path = _WORK["folder"]  # type: ignore[assignment]
    ids: list[tuple[str, dt.date]] = _WORK["ids"]  # type: ignore[assignment]
    seed: int = _WORK["seed"]  # type: ignore[assignment]
    pool, guests = _WORK["pool"], _WORK["guests"]
    written = 0
    for index in range(*bounds):
        meeting_id, date = ids[index]
        meeting = make_meeting(seed, index, len(ids), date, pool, guests)  # type: ignore[arg-type]
        data = fileformat.dump_meeting(meeting).encode("utf-8")
        (folder / f"{meeting_id}.toml").write_bytes(data)
        written += len(data)
    return written


def generate(folder: Path, count: int, seed: int = 2022, jobs: int | None = None) -> int:
    """Write council.toml, .gitignore and `count` meetings into `folder`; return bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    council, pool, guests = council_for(seed)
    (folder / "council.toml").write_bytes(fileformat.dump_council(council).encode("utf-8"))
    (folder / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    _WORK.update(folder=folder, ids=meeting_ids(count, seed), seed=seed, pool=pool,
                 guests=guests)
    jobs = max(1, min(jobs or os.cpu_count() or 1, count // 200 or 1))
    step = -(-count // (jobs * 8)) if jobs > 1 else count
    chunks = [(start, min(count, start + step)) for start in range(0, count, step)]
    if jobs == 1 or sys.platform == "win32":
        return sum(_write_range(chunk) for chunk in chunks)
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(jobs) as workers:
        return sum(workers.imap_unordered(_write_range, chunks))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="how many meetings")
    parser.add_argument("folder", type=Path, help="the data folder to write into")
    parser.add_argument("--seed", type=int, default=2022, help="random seed (default 2022)")
    parser.add_argument("--jobs", type=int, default=None,
                        help="worker processes (default: all cores)")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("count must be at least 1")
    started = time.perf_counter()
    size = generate(args.folder, args.count, args.seed, args.jobs)
    print(f"wrote {args.count} meetings ({size / 1e6:.1f} MB, "
          f"{size / args.count / 1024:.1f} KiB each) and council.toml into {args.folder} "
          f"in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()

"""The projector page in a real browser (the system Chromium through pytest-playwright):
load it, run yiguan commands, and see each change on the page within 2 seconds.

The server runs in the test's process on a free port with the test's fake clock, so the
countdown's amber and red states are reached by setting the clock, not by waiting.
Without a Chromium the tests skip (in CI they fail: see conftest.system_browser).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import MEETING
from yiguan.room import screen as server_module
from yiguan.store.folder import DataFolder

# a real browser: out of the fast loop (`-m "not slow"`), always in CI
pytestmark = pytest.mark.slow

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

SOON = 2000  # ms: the page follows every command within this


class Servers:
    """`serve()` starts the page's server on the folder's meeting and gives its address;
    `serve(port=P)` starts it on that port again, as after a restart; `stop()` stops
    those running."""

    def __init__(self, folder: Path, clock: Any) -> None:
        self.folder = folder
        self.clock = clock
        self.running: list[server_module.ScreenServer] = []

    def __call__(self, port: int = 0, *, lan: bool = False) -> str:
        """`lan`: as `screen --lan` (with the loopback standing for the room's address):
        the page carries the QR code of its own address."""
        server = server_module.make_server(DataFolder(self.folder), MEETING, port=port,
                                           now=lambda: self.clock.now)
        if lan:
            server_module.follow_url(server, "127.0.0.1")
        server_module.serve_in_background(server)
        self.running.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    def stop(self) -> None:
        while self.running:
            server_module.stop(self.running.pop())


@pytest.fixture
def serve(folder: Path, clock: Any) -> Iterator[Servers]:
    servers = Servers(folder, clock)
    yield servers
    servers.stop()


def test_the_page_follows_the_meeting_from_sign_in_to_close(page: Any, serve: Any, run: Any,
                                                            planned: str, clock: Any) -> None:
    page.goto(serve())
    welcome = page.locator("#welcome")
    expect(welcome).to_be_visible(timeout=SOON)
    expect(welcome.locator("[data-field=title]")).to_have_text("五月居民议事会")
    expect(welcome.locator("#agenda-list li")).to_have_text(["楼道堆物清理", "小游园卫生管理"])
    signed = welcome.locator("[data-field=signed]")
    expect(signed).to_have_text("0")

    # sign-in counts
    run.ok("sign", "lxj", "ly", "wjg", "--at", "19:20")
    expect(signed).to_have_text("3", timeout=SOON)
    expect(welcome.locator("[data-field=quorum]")).to_contain_text("未达到，差 1 人")
    run.ok("sign", "zgl", "--at", "19:25")
    run.ok("sign", "周老师", "--guest", "--org", "街道办", "--at", "19:25")
    expect(signed).to_have_text("4", timeout=SOON)
    expect(welcome.locator("[data-field=guests]")).to_have_text("1", timeout=SOON)

    # opening
    run.ok("open", "--at", "19:30")
    live = page.locator("#open")
    expect(live).to_be_visible(timeout=SOON)
    expect(welcome).to_be_hidden()
    expect(live.locator("[data-field=expected]")).to_have_text("7")
    expect(live.locator("[data-field=present]")).to_have_text("4")
    expect(live.locator("[data-field=guests]")).to_have_text("1")
    expect(page.locator("#quorum-box")).to_contain_text("法定人数至少 4 人：已达到")
    expect(page.locator("#item-title")).to_contain_text("楼道堆物清理")
    expect(page.locator("#clock")).to_have_text(re.compile(r"^19:42:0\d$"))

    # the queue
    run.ok("queue", "wjg", "zgl", "ly")
    expect(page.locator("#queue-list li")).to_have_text(["王建国", "张桂兰", "刘艳"],
                                                        timeout=SOON)

    # the floor and a running countdown (the clock stands at 19:42:00)
    run.ok("floor", "--minutes", "1")
    floor, countdown = page.locator("#floor"), page.locator("#countdown")
    expect(page.locator("#speaker")).to_have_text("王建国", timeout=SOON)
    expect(floor).to_have_class(re.compile(r"\bnormal\b"))
    expect(page.locator("#queue-list li")).to_have_text(["张桂兰", "刘艳"])
    expect(countdown).to_have_text(re.compile(r"^(1:00|0:5\d)$"))
    first = countdown.inner_text()
    expect(countdown).not_to_have_text(first, timeout=SOON)  # it runs by itself

    # amber in the last 30 seconds (举牌)
    clock.set("2024-05-10 19:42:35")
    run.ok("queue", "lxj")
    expect(floor).to_have_class(re.compile(r"\bwarn\b"), timeout=SOON)
    expect(countdown).to_have_text(re.compile(r"^0:(1\d|2\d|30)$"))
    expect(page.locator("#phase")).to_have_text("剩余")

    # red at zero, then counting on with a minus sign (超时)
    clock.set("2024-05-10 19:43:10")
    run.ok("queue", "--remove", "lxj")
    expect(floor).to_have_class(re.compile(r"\bover\b"), timeout=SOON)
    expect(countdown).to_have_text(re.compile(r"^-0:1\d$"))
    expect(page.locator("#phase")).to_have_text("超时")

    # the speech ends the floor and records its measured length (70 s: 2 minutes)
    run.ok("speak", "wjg", "堆物影响消防通道，应尽快清理", "--stance", "for")
    expect(page.locator("#speaker")).to_have_text("暂无人发言", timeout=SOON)
    expect(countdown).to_have_text("")
    assert run.meeting().speech[0].minutes == 2

    # a pending motion: full text, proposer, seconder, the rule in words
    run.ok("propose", "由楼长在五月二十日前组织清理楼道堆物", "--by", "lxj", "--second", "ly")
    motion = page.locator("#motion")
    expect(motion).to_be_visible(timeout=SOON)
    expect(motion.locator("h2")).to_have_text("待表决动议")  # no number, never its code M1
    assert "动议一" not in page.locator("body").inner_text()
    expect(page.locator("#motion-text")).to_have_text("由楼长在五月二十日前组织清理楼道堆物")
    expect(page.locator("#motion-by")).to_have_text("刘晓菊")
    expect(page.locator("#motion-second")).to_have_text("刘艳")
    expect(page.locator("#motion-rule")).to_have_text(
        "赞成票须超过到会有表决权成员（除去回避）的半数（按到会有表决权成员 4 人计，至少 3 票）")

    # the vote's result with the arithmetic in words, from the rules engine
    result = run.ok("vote", "M1", "--yes", "3", "--no", "1")
    arithmetic = "赞成 3 票，超过实到有表决权成员 4 人的半数（2）"
    assert arithmetic in result.stdout
    vote = page.locator("#vote")
    expect(vote).to_be_visible(timeout=SOON)
    expect(motion).to_be_hidden()
    expect(page.locator("#vote-outcome")).to_have_text("通过")
    expect(page.locator("#vote-yes")).to_have_text("3")
    expect(page.locator("#vote-no")).to_have_text("1")
    expect(page.locator("#vote-abstain")).to_have_text("0")
    expect(page.locator("#vote-arithmetic")).to_have_text(arithmetic)

    # the next event replaces the result
    run.ok("speak", "zgl", "建议同时清理自行车棚")
    expect(vote).to_be_hidden(timeout=SOON)

    # closing: the resolutions adopted
    run.ok("close")
    closed = page.locator("#closed")
    expect(closed).to_be_visible(timeout=SOON)
    resolution = page.locator("#resolution-list li")
    expect(resolution).to_have_count(1)
    expect(resolution.locator(".r")).to_have_text("决议一")  # as the notice says, not R1
    expect(resolution).to_contain_text("由楼长在五月二十日前组织清理楼道堆物")
    expect(resolution).to_contain_text("赞成 3 票，反对 1 票")
    expect(page.locator("#resolutions-head")).to_have_text("本次会议通过的决议")


def test_no_phone_number_or_private_note_reaches_the_page(page: Any, serve: Any, run: Any,
                                                          planned: str, clock: Any) -> None:
    run.ok("member", "add", "孙丽华", "--phone", "13912345678", "--note", "腿脚不便请留前排")
    run.ok("sign", "lxj", "ly", "wjg", "zgl", "--at", "19:20")
    page.goto(serve())
    expect(page.locator("#welcome")).to_be_visible(timeout=SOON)
    run.ok("open", "--at", "19:30")
    run.ok("queue", "wjg")
    run.ok("floor")
    expect(page.locator("#speaker")).to_have_text("王建国", timeout=SOON)
    for text in (page.content(), page.locator("body").inner_text()):
        assert "13912345678" not in text and "腿脚不便" not in text
        assert not re.search(r"1[3-9]\d{9}", text)


# every element of the page, measured: what a projector shows must be whole
CUT_OFF = """(phone) => {
    const bad = [];
    const W = innerWidth, H = innerHeight;
    const root = document.documentElement;
    const name = (node) => node.id || node.className || node.tagName;
    if (root.scrollWidth > W) bad.push(["page wider than the screen", root.scrollWidth]);
    if (!phone && root.scrollHeight > H) bad.push(["page scrolls", root.scrollHeight]);
    for (const node of document.querySelectorAll("body *")) {
        if (node.closest("svg") || node.getClientRects().length === 0) continue;
        const style = getComputedStyle(node);
        if (style.visibility === "hidden") continue;
        if (style.textOverflow === "ellipsis") bad.push(["ellipsis", name(node)]);
        if (node.scrollWidth > node.clientWidth + 1)
            bad.push(["too wide", name(node), node.scrollWidth, node.clientWidth]);
        if (node.scrollHeight > node.clientHeight + 1)
            bad.push(["too tall", name(node), node.scrollHeight, node.clientHeight]);
        const box = node.getBoundingClientRect();
        if (box.left < -1 || box.right > W + 1 || (!phone && (box.top < -1 || box.bottom > H + 1)))
            bad.push(["outside the screen", name(node), box.left, box.top, box.right, box.bottom]);
    }
    return bad;
}"""

# a 40-character meeting title and items, a 60-character motion
LONG_TITLE = "幸福里社区二〇二四年第五次居民议事会暨老旧小区加装电梯与楼道堆物整治专题协商会议"
LONG_ITEMS = [(item + "并形成议事会决议的协商讨论")[:40] for item in (
    "关于三号楼、五号楼、七号楼加装电梯费用分摊方案及低层住户补偿办法",
    "关于小游园环境卫生管理、绿化养护与夜间广场舞噪音扰民问题的综合治理",
    "关于楼道堆物清理、电动自行车集中充电设施建设和消防通道管理办法",
    "关于社区活动场地使用规则、志愿服务积分兑换细则与公益金使用情况",
    "关于物业服务质量评议、停车位划线收费标准以及快递柜设置位置")]
LONG_MOTION = ("同意由社区居委会牵头、物业公司配合，于六月底前完成三号楼加装电梯的费用分摊方案，"
               "经业主大会表决后向全体居民书面公示其结果")
SIZES = [(1280, 720), (1366, 768), (1920, 1080)]


def _long_meeting(run: Any) -> None:
    assert len(LONG_TITLE) == 40 and {len(t) for t in LONG_ITEMS} == {40}
    assert len(LONG_MOTION) == 60
    run.ok("council", "set", "name", "幸福里社区居民议事会")
    run.ok("new", LONG_TITLE, "--date", MEETING, "--time", "19:30",
           "--place", "幸福里社区党群服务中心二楼多功能活动室")
    for title in LONG_ITEMS:
        run.ok("agenda", "add", title)
    run.ok("sign", "lxj", "ly", "wjg", "zgl", "lxy", "--at", "19:20")


@pytest.mark.parametrize("lan", [True, False], ids=["qr", "no-qr"])
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_nothing_is_cut_off_at_any_projector_size(page: Any, serve: Any, run: Any,
                                                  clock: Any, size: tuple[int, int],
                                                  lan: bool) -> None:
    """A 40-character title and items and 60-character motions, at the three usual
    projector sizes, with and without the phones' QR code: in every stage the page does
    not scroll, and no element is wider or taller than its box, outside the screen, or
    ended with an ellipsis."""
    page.set_viewport_size({"width": size[0], "height": size[1]})
    _long_meeting(run)
    page.goto(serve(lan=lan))

    def whole(stage: str) -> None:
        page.wait_for_timeout(300)  # the page has fitted itself to what came in
        assert page.evaluate(CUT_OFF, False) == [], stage
        qr = page.locator(".stage:not([hidden]) .qr svg")
        assert qr.count() == (1 if lan and stage != "closed" else 0)
        if qr.count():
            assert qr.is_visible() and qr.bounding_box()["width"] >= 90  # scannable
        # it fitted by wrapping, and by shrinking no further than half its size
        root = float(page.evaluate("getComputedStyle(document.documentElement).fontSize")[:-2])
        assert root >= 0.5 * min(size[0] * 0.018, size[1] * 0.032), (stage, root)

    expect(page.locator("#welcome [data-field=title]")).to_have_text(LONG_TITLE, timeout=SOON)
    whole("welcome")
    run.ok("open", "--at", "19:30")
    run.ok("queue", "lxj", "ly", "wjg", "zgl", "lxy")
    run.ok("propose", LONG_MOTION, "--by", "lxj", "--second", "ly", "--at", "19:31")
    run.ok("floor", "wjg", "--at", "19:32")
    expect(page.locator("#motion-text")).to_have_text(LONG_MOTION, timeout=SOON)
    expect(page.locator("#item-title")).to_contain_text(LONG_ITEMS[0])
    whole("floor and motion")
    run.ok("vote", "M1", "--yes", "3", "--no", "1", "--recuse", "lxy", "--at", "19:33")
    expect(page.locator("#vote")).to_be_visible(timeout=SOON)
    expect(page.locator("#vote-recused")).to_have_text("回避 1 人")
    whole("vote")
    for number in range(2, 6):
        at = f"19:{30 + 4 * number}"
        run.ok("propose", LONG_MOTION.replace("三号楼", f"{number}号楼"), "--by", "lxj",
               "--second", "ly", "--item", str(number), "--at", at)
        run.ok("vote", f"M{number}", "--yes", "4" if number % 2 else "1",
               "--no", "1" if number % 2 else "4", "--at", at)
    run.ok("close", "--at", "20:30")
    expect(page.locator("#resolution-list li")).to_have_count(3, timeout=SOON)
    expect(page.locator("#not-adopted-list li")).to_have_count(2)
    whole("closed")


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_a_busy_moment_with_a_very_long_motion_fits(page: Any, serve: Any, run: Any,
                                                    opened: str, clock: Any,
                                                    size: tuple[int, int]) -> None:
    """A motion of some 180 characters while someone speaks and four wait: the motion's
    text shrinks within its box; nothing is cut."""
    page.set_viewport_size({"width": size[0], "height": size[1]})
    run.ok("queue", "lxj", "ly", "wjg", "zgl", "lxy", "--item", "1")
    run.ok("propose", "由楼长在五月二十日前组织清理楼道内堆放的杂物，清理费用由社区公益金列支；"
           "对拒不清理的住户，由物业公司书面提醒三次后代为清理，费用由住户承担。" * 3,
           "--by", "lxj", "--second", "ly")
    run.ok("floor")
    page.goto(serve(lan=True))
    expect(page.locator("#motion")).to_be_visible(timeout=SOON)
    expect(page.locator("#queue-list li")).to_have_count(4)
    page.wait_for_timeout(300)
    assert page.evaluate(CUT_OFF, False) == []


def test_the_phone_view_follows_the_meeting_in_one_column(page: Any, serve: Any, run: Any,
                                                          clock: Any) -> None:
    """At 390×844 (a phone that scanned the QR code): the agenda, who speaks and the
    countdown, the pending motion, the results so far; nothing wider than the phone, no
    QR code (it is the phone); the page scrolls down rather than shrinking."""
    page.set_viewport_size({"width": 390, "height": 844})
    _long_meeting(run)
    page.goto(serve(lan=True))
    expect(page.locator("#agenda-list li")).to_have_count(5, timeout=SOON)
    assert page.evaluate(CUT_OFF, True) == []
    expect(page.locator(".qr").first).to_be_hidden()
    run.ok("open", "--at", "19:30")
    run.ok("propose", LONG_MOTION, "--by", "lxj", "--second", "ly", "--at", "19:31")
    run.ok("vote", "M1", "--yes", "4", "--no", "0", "--at", "19:32")
    run.ok("propose", LONG_MOTION.replace("三号楼", "五号楼"), "--by", "wjg", "--second", "ly",
           "--at", "19:33")
    clock.set("2024-05-10 19:34:30")
    run.ok("floor", "zgl", "--at", "19:34")
    agenda = page.locator("#open-agenda li")
    expect(agenda).to_have_count(5, timeout=SOON)
    expect(agenda.first).to_have_class(re.compile(r"\bcurrent\b"))
    expect(page.locator("#speaker")).to_have_text("张桂兰")
    expect(page.locator("#countdown")).to_have_text(re.compile(r"^\d+:\d\d$"))
    expect(page.locator("#motion-text")).to_contain_text("五号楼")
    expect(page.locator("#motion-by")).to_have_text("王建国")
    results = page.locator("#results-list li")
    expect(results).to_have_count(1)
    expect(results).to_contain_text("三号楼")
    expect(results).to_contain_text("赞成 4 票")
    for box in ("#open-agenda", "#speaker", "#motion-text", "#results-list"):
        expect(page.locator(box)).to_be_visible()
    # one column: each comes below the one before it, the agenda first
    tops = [page.locator(box).bounding_box()["y"]
            for box in ("#open-agenda", "#item-title", "#speaker", "#motion-text")]
    assert tops == sorted(tops)
    page.wait_for_timeout(300)
    assert page.evaluate(CUT_OFF, True) == []
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "15px"
    run.ok("close", "--postpone-pending", "--at", "20:30")
    expect(page.locator("#resolution-list li")).to_have_count(1, timeout=SOON)
    expect(page.locator("#not-adopted-list li")).to_contain_text("搁置")
    assert page.evaluate(CUT_OFF, True) == []


def test_a_broken_file_is_said_and_the_page_recovers(page: Any, serve: Any, run: Any,
                                                     opened: str, folder: Path) -> None:
    page.goto(serve())
    expect(page.locator("#open")).to_be_visible(timeout=SOON)
    path = folder / f"{MEETING}.toml"
    good = path.read_bytes()
    path.write_bytes(good + b"\n[[vote\n")
    expect(page.locator("#broken")).to_be_visible(timeout=SOON)
    expect(page.locator("#broken h1")).to_have_text("会议文件暂时无法读取")
    expect(page.locator("#broken-message")).to_contain_text(MEETING)
    path.write_bytes(good)
    expect(page.locator("#open")).to_be_visible(timeout=SOON)


def test_the_page_reconnects_when_the_server_restarts(page: Any, serve: Any, run: Any,
                                                      opened: str, clock: Any) -> None:
    url = serve()
    page.goto(url)
    expect(page.locator("#open")).to_be_visible(timeout=SOON)
    # stop the server, change the meeting meanwhile, start it again on the same port
    serve.stop()
    run.ok("sign", "csz")
    serve(port=int(url.rsplit(":", 1)[1].strip("/")))
    expect(page.locator("#open [data-field=present]")).to_have_text("6", timeout=5000)

"""Every refusal test says why: a test that only sees exit 1 would pass for any cause.

An ast scan of the tests. A refusal is `run.refused(...)` without `because=`, a
comparison of `.exit_code` or `.returncode` with 1 (or `!= 0`), or `pytest.raises` of
YiguanError (or BrokenFile) without `match=`. Each must be followed, in the same test
and before the next refusal (inside the same loop, if it is in one), by an assert on what
was said: the error line (`.stderr`, `.output`, `.stdout`), the error's key or problems
(`.key`, `.problems`, `.params`, `.message()`), what was taken from the result (`err =
done.stderr.decode()`), or `assert_refused`/`refuses` from conftest. `because=` and
`refuses("key")` say it themselves. No reason: what was not said (`not in`, `not …`), how
many lines, that the line starts with the error prefix, the exit code. Where any cause
will do (a random command of a state machine, a failed setup step), the line says so:
`# any cause: <why>`.

A heuristic, not a proof: an assert on some other text of the same result passes it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import assert_refused, message_pattern, refuses
from yiguan.text.errors import YiguanError
from yiguan.text.messages import ClockTime, t

TESTS = Path(__file__).resolve().parent
REFUSED_TYPES = {"YiguanError", "BrokenFile"}
SAID = {"stderr", "output", "stdout", "key", "problems", "params", "message"}
SAYS_WHY = {"assert_refused", "refuses"}
# on the line of a refusal whose cause does not matter, with the reason why not
ANY_CAUSE = "# any cause: "


def _refusal(node: ast.AST) -> str | None:
    """What kind of refusal `node` is, if it is one that does not name its reason."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr == "refused":
            if any(k.arg == "because" for k in node.keywords):
                return None
            return "refused() without because="
        if node.func.attr == "raises" and node.args:
            names = {n.id for n in ast.walk(node.args[0]) if isinstance(n, ast.Name)}
            names |= {n.attr for n in ast.walk(node.args[0]) if isinstance(n, ast.Attribute)}
            if names & REFUSED_TYPES and not any(k.arg == "match" for k in node.keywords):
                return "pytest.raises(YiguanError) without a key"
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        left, op, right = node.left, node.ops[0], node.comparators[0]
        failed = ((isinstance(op, ast.Eq) and getattr(right, "value", None) == 1)
                  or (isinstance(op, ast.NotEq) and getattr(right, "value", None) == 0))
        if (isinstance(left, ast.Attribute) and left.attr in ("exit_code", "returncode")
                and isinstance(right, ast.Constant) and failed):
            return f"{left.attr} {'==' if isinstance(op, ast.Eq) else '!='} {right.value}"
    return None


def _says_why(statement: ast.stmt, taken: set[str] | frozenset[str] = frozenset()) -> bool:
    """An assert on what was said (or on `taken`, names of what was taken from it), or a
    conftest helper that checks it. Not a reason: what was not said, how many lines,
    that the line starts with the error prefix, the exit code."""
    for node in ast.walk(statement):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in SAYS_WHY:
                return True
    if not isinstance(statement, ast.Assert):
        return False
    test = statement.test
    parts = test.values if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And) else [
        test]
    return any(_is_reason(part) and any(
        (isinstance(node, ast.Attribute) and node.attr in SAID)
        or (isinstance(node, ast.Name) and node.id in taken) for node in ast.walk(part))
        for part in parts)


def _is_reason(test: ast.expr) -> bool:
    """Whether one condition of an assert could tell one refusal from another."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return False  # what was not said
    if isinstance(test, ast.Compare):
        if all(isinstance(op, ast.NotIn) for op in test.ops):
            return False  # what was not said
        sides = [test.left, *test.comparators]
        if any(isinstance(side, ast.Call) and getattr(side.func, "id", "") == "len"
               for side in sides):
            return False  # how many lines
        if any(isinstance(side, ast.Attribute) and side.attr in ("exit_code", "returncode")
               for side in sides):
            return False
    if (isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute)
            and test.func.attr == "startswith" and test.args):
        prefix = test.args[0]
        if isinstance(prefix, ast.Name) and ("ERROR" in prefix.id or "PREFIX" in prefix.id):
            return False
        if isinstance(prefix, ast.Constant) and str(prefix.value).startswith("yiguan:"):
            return False
    return True


def _loops_around(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> list[ast.AST]:
    found = []
    while node in parents:
        node = parents[node]
        if isinstance(node, (ast.For, ast.While, ast.comprehension)):
            found.append(node)
        if isinstance(node, ast.FunctionDef):
            break
    return found


def _inside(node: ast.AST, outer: ast.AST) -> bool:
    return any(child is node for child in ast.walk(outer))


def _result_name(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> str | None:
    """The name the refusal's result is kept under (`result = run.refused(…)`,
    `assert result.exit_code == 1`, `with pytest.raises(…) as caught`), if any."""
    if isinstance(node, ast.Compare):
        owner = node.left.value if isinstance(node.left, ast.Attribute) else None
        return owner.id if isinstance(owner, ast.Name) else None
    parent = parents.get(node)
    while isinstance(parent, ast.Attribute) or (  # said = run.refused(…).stderr.strip()
            isinstance(parent, ast.Call) and parent.func is node):
        node, parent = parent, parents.get(parent)
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1:
        target = parent.targets[0]
        return target.id if isinstance(target, ast.Name) else None
    if isinstance(parent, ast.withitem) and isinstance(parent.optional_vars, ast.Name):
        return parent.optional_vars.id
    return None


class _Site:
    """One refusal: where it is, up to where an assert may follow it, the name its result
    is kept under and the loops it is in."""

    def __init__(self, node: ast.AST, at: tuple[int, int], upto: tuple[int, int],
                 name: str | None, loops: list[ast.AST], assigns: list[ast.Assign]) -> None:
        self.node, self.at, self.upto, self.loops = node, at, upto, loops
        # the result's name, and the names of what is taken from it (`err =
        # result.stderr.decode()`, before or after the refusal)
        self.names = set() if name is None else {name}
        for assign in sorted(assigns, key=lambda a: (a.lineno, a.col_offset)):
            before_next = (assign.lineno, assign.col_offset) <= self.upto
            if self.names and before_next and self._mentions(assign.value):
                self.names |= {n.id for t in assign.targets for n in ast.walk(t)
                               if isinstance(n, ast.Name)}

    def _follows(self, statement: ast.stmt) -> bool:
        return self.at <= (statement.lineno, statement.col_offset) <= self.upto

    def _mentions(self, node: ast.AST) -> bool:
        return any(isinstance(n, ast.Name) and n.id in self.names for n in ast.walk(node))

    def explained_by(self, check: ast.stmt) -> bool:
        if _inside(self.node, check):
            return _says_why(check)  # assert "…" in run.refused(…).stderr
        return (self._follows(check) and self._mentions(check)
                and _says_why(check, self.names)
                and all(_inside(check, loop) for loop in self.loops))


def unexplained(source: str) -> list[tuple[int, str, str]]:
    """(line, function, kind) of each refusal in `source` that nothing says the reason of:
    no assert on what was said around it, nor one after it (before the next refusal, in
    its loop) on the name its result was kept under."""
    tree = ast.parse(source)
    lines = source.splitlines()
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef):
            continue
        own = [n for n in ast.walk(function) if _function_of(n, parents) is function]
        sites = sorted(((n.lineno, n.col_offset, kind, n) for n in own
                        if (kind := _refusal(n))), key=lambda s: (s[0], s[1]))
        checks = [n for n in own if isinstance(n, (ast.Assert, ast.Expr))]
        assigns = [n for n in own if isinstance(n, ast.Assign)]
        for i, (line, col, kind, node) in enumerate(sites):
            upto = sites[i + 1][:2] if i + 1 < len(sites) else (10**9, 0)
            site = _Site(node, (line, col), upto, _result_name(node, parents),
                         _loops_around(node, parents), assigns)
            end = getattr(node, "end_lineno", None) or line
            if any(ANY_CAUSE in text for text in lines[line - 1:end]):
                continue
            if not any(site.explained_by(check) for check in checks):
                found.append((line, function.name, kind))
    return found


def _function_of(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> ast.AST | None:
    while node in parents:
        node = parents[node]
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return node
    return None


def test_every_refusal_in_the_tests_says_why() -> None:
    bare = [f"{path.name}:{line} {function}: {kind}"
            for path in sorted(TESTS.glob("*.py"))
            for line, function, kind in unexplained(path.read_text(encoding="utf-8"))]
    assert bare == [], "refusals that would pass for any cause:\n" + "\n".join(bare)


def test_the_scan_sees_a_bare_refusal_and_a_reason() -> None:
    source = '''
def test_bare(run):
    run.refused("open")

def test_named(run):
    run.refused("open", because="live.meeting_already_open")

def test_checked_after(run):
    result = run.refused("open")
    assert "已经开始" in result.stderr

def test_exit_code_only(run):
    result = run("open")
    assert result.exit_code == 1

def test_exit_code_then_not_in(run):
    result = run("open")
    assert result.exit_code != 0
    assert "Traceback" not in result.output

def test_loop_checked_outside(run):
    for args in (["open"], ["close"]):
        result = run.refused(*args)
    assert "x" in result.stderr

def test_library(meeting):
    with pytest.raises(YiguanError) as excinfo:
        meeting.open()
    assert excinfo.value.key == "live.meeting_already_open"

def test_library_bare(meeting):
    with pytest.raises((ValueError, YiguanError)):
        meeting.open()

def test_only_the_shape_of_the_line(run):
    result = run("open")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(ERROR_PREFIX)

def test_a_line_taken_from_the_result(run):
    result = run("open")
    assert result.exit_code == 1
    line = result.stderr.strip()
    assert line.endswith("会议已经开始")

def test_any_cause_said_so(run):
    result = run(*random_command())
    if result.exit_code == 1:  # any cause: the machine only asks that nothing crashed
        return

def test_two_then_one_check(run):
    run.refused("open")
    result = run.refused("close")
    assert "x" in result.stderr

def test_another_result_checked(run):
    run.refused("open")
    result = run.ok("status")
    assert "x" in result.stdout

def test_checked_inline(run):
    assert "x" in run.refused("open").stderr
    said = run.refused("close").stderr.strip()
    assert said.endswith("x")
'''
    assert [(function, kind) for _, function, kind in unexplained(source)] == [
        ("test_bare", "refused() without because="),
        ("test_exit_code_only", "exit_code == 1"),
        ("test_exit_code_then_not_in", "exit_code != 0"),
        ("test_loop_checked_outside", "refused() without because="),
        ("test_library_bare", "pytest.raises(YiguanError) without a key"),
        ("test_only_the_shape_of_the_line", "exit_code == 1"),
        ("test_two_then_one_check", "refused() without because="),
        ("test_another_result_checked", "refused() without because="),
    ]


# --- the helpers in conftest ----------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_message_pattern_is_the_text_when_every_parameter_is_given(lang: str) -> None:
    said = t("live.no_such_item", lang=lang, n=9, count=2)
    assert re.fullmatch(message_pattern("live.no_such_item", lang=lang, n=9, count=2), said)
    assert not re.fullmatch(message_pattern("live.no_such_item", lang=lang, n=8, count=2), said)
    assert re.fullmatch(message_pattern("live.no_such_item", lang=lang), said)  # any values
    assert not re.fullmatch(message_pattern("live.no_such_motion", lang=lang), said)


def test_a_message_pattern_follows_the_messages_it_names_and_shows_times() -> None:
    said = t("clock.refused", reason_key="live.close_before_records", at="23:59",
             latest=ClockTime("24:05"), hint_key="clock.hint_given_date",
             meeting_date="2024-05-10")
    assert re.fullmatch(message_pattern("clock.refused", reason_key="live.close_before_records",
                                        latest=ClockTime("24:05")), said)
    assert not re.fullmatch(message_pattern("clock.refused", reason_key="live.before_opening"),
                            said)
    assert not re.fullmatch(message_pattern("clock.refused", reason_key="live.close_before_records",
                                            latest="24:05"), said)  # shown as 次日 00:05


def _result(stderr: str, code: int = 1) -> SimpleNamespace:
    return SimpleNamespace(exit_code=code, stdout="", stderr=stderr)


def test_assert_refused_holds_the_line_to_its_message() -> None:
    line = t("cli.error_prefix", message=t("live.second_self", name="刘晓菊")) + "\n"
    assert_refused(_result(line), "live.second_self", name="刘晓菊")
    assert_refused(_result(line), "live.second_self")
    for wrong in (lambda: assert_refused(_result(line), "live.second_self", name="刘艳"),
                  lambda: assert_refused(_result(line), "live.meeting_already_open"),
                  lambda: assert_refused(_result(line, code=2), "live.second_self"),
                  lambda: assert_refused(_result(line + line), "live.second_self"),
                  lambda: assert_refused(_result(line), "live.second_self", lang="en")):
        with pytest.raises(AssertionError):
            wrong()


def test_refuses_holds_the_error_to_its_key() -> None:
    with refuses("live.second_self", name="刘晓菊"):
        raise YiguanError("live.second_self", name="刘晓菊")
    for key, params in (("live.second_self", {"name": "刘艳"}), ("live.not_here", {})):
        with pytest.raises(AssertionError), refuses(key, **params):
            raise YiguanError("live.second_self", name="刘晓菊")

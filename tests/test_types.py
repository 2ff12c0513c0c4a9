"""Records are checked by the type checker: a misspelt or missing field in a record
construction is a mypy error, not a surprise at run time (issue 11); so is a misspelt
state — a motion's status, a meeting's, a role, a stance, a vote's outcome — which are
`Literal` types, not plain strings (issue 20). mypy runs once on all the snippets below."""

from __future__ import annotations

from pathlib import Path

import pytest

# a mypy run of ~15 s: out of the fast loop (`-m "not slow"`), always in CI
pytestmark = pytest.mark.slow

api = pytest.importorskip("mypy.api", reason="mypy is in the test extra: pip install -e '.[test]'")

GOOD = """\
import datetime as dt
from yiguan.record.model import Attendee, Meeting, Motion, Speech, Vote
motion = Motion(id="M1", text="装路灯", by="刘艳", at="19:05")
later: Motion = motion.copy(status="adopted")
meeting = Meeting(title="五月居民议事会", date=dt.date(2024, 5, 10), status="open")
meeting.status = "closed"
stay = Attendee(id="P1", name="刘艳", role="guest", arrived="19:00")
speech = Speech(id="S1", speaker="刘艳", at="19:06", text="同意", stance="against")
vote = Vote(id="V1", motion="M1", at="19:10", yes=5, no=0, abstain=0, present=5, eligible=5,
            not_voting=0, rule=">1/2 present", outcome="rejected")
meeting.speech.append(speech)
if motion.status == "withdrawn" and vote.outcome == "adopted":
    pass
"""

MISSPELT = """\
from yiguan.record.model import Motion
motion = Motion(id="M1", txt="装路灯", by="刘艳", at="19:05")
"""

# one misspelt state a line, from line 5 on
STATES = """\
import datetime as dt
from yiguan.record.model import Attendee, Meeting, Motion, Speech, Vote
vote = Vote(id="V1", motion="M1", at="19:10", yes=5, no=0, abstain=0, present=5, eligible=5,
            not_voting=0, rule=">1/2 present", outcome="rejected")
motion = Motion(id="M1", text="装路灯", by="刘艳", at="19:05", status="adoptd")
meeting = Meeting(title="五月居民议事会", date=dt.date(2024, 5, 10), status="opne")
stay = Attendee(id="P1", name="刘艳", role="membr", arrived="19:00")
speech = Speech(id="S1", speaker="刘艳", at="19:06", text="同意", stance="agianst")
vote.outcome = "adopt"
meeting.status = "close"
motion.status = "withdrawnn"
if motion.status == "adoptd":
    pass
"""


@pytest.fixture(scope="module")
def errors(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """mypy --strict on the snippets: its errors by snippet."""
    folder = tmp_path_factory.mktemp("types")
    snippets = {"good": GOOD, "misspelt": MISSPELT, "states": STATES}
    for name, text in snippets.items():
        (folder / f"{name}.py").write_text(text, encoding="utf-8")
    out, err, status = api.run([
        "--strict", "--no-error-summary", "--cache-dir", str(folder / "cache"),
        *(str(folder / f"{name}.py") for name in snippets)])
    assert status == 1, out + err
    found: dict[str, list[str]] = {name: [] for name in snippets}
    for line in out.splitlines():
        if ": error:" in line:
            found[Path(line.split(":", 1)[0]).stem].append(line)
    return found


def test_correct_records_type_check(errors: dict[str, list[str]]) -> None:
    assert errors["good"] == []


def test_a_misspelt_record_field_is_a_type_error(errors: dict[str, list[str]]) -> None:
    assert [line for line in errors["misspelt"] if "misspelt.py:2:" not in line] == []
    assert any('Unexpected keyword argument "txt" for "Motion"' in line
               for line in errors["misspelt"]), errors["misspelt"]


def test_a_misspelt_state_is_a_type_error(errors: dict[str, list[str]]) -> None:
    """Motion(status="adoptd") and its kin: each line from 5 on is one error."""
    lines = [int(line.split(":")[1]) for line in errors["states"]]
    assert lines == list(range(5, 13)), errors["states"]
    for wrong in ('"adoptd"', '"opne"', '"membr"', '"agianst"', '"adopt"', '"close"',
                  '"withdrawnn"'):
        assert any(f"Literal[{wrong.replace(chr(34), chr(39))}]" in line
                   for line in errors["states"]), (wrong, errors["states"])
    assert any("Non-overlapping equality check" in line for line in errors["states"])

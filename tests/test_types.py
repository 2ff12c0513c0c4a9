"""Records are checked by the type checker: a misspelt or missing field in a record
construction is a mypy error, not a surprise at run time (issue 11)."""

from __future__ import annotations

from pathlib import Path

import pytest

api = pytest.importorskip("mypy.api", reason="mypy is in the test extra: pip install -e '.[test]'")

GOOD = """\
from yiguan.record.model import Motion
motion = Motion(id="M1", text="装路灯", by="刘艳", at="19:05")
later: Motion = motion.copy(status="adopted")
"""

MISSPELT = """\
from yiguan.record.model import Motion
motion = Motion(id="M1", txt="装路灯", by="刘艳", at="19:05")
"""


def test_a_misspelt_record_field_is_a_type_error(tmp_path: Path) -> None:
    (tmp_path / "good.py").write_text(GOOD, encoding="utf-8")
    (tmp_path / "misspelt.py").write_text(MISSPELT, encoding="utf-8")
    out, err, status = api.run([
        "--strict", "--no-error-summary", "--cache-dir", str(tmp_path / "cache"),
        str(tmp_path / "good.py"), str(tmp_path / "misspelt.py")])
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert status == 1, out + err
    assert errors == [line for line in errors if "misspelt.py:2:" in line], out
    assert any('Unexpected keyword argument "txt" for "Motion"' in line for line in errors), out

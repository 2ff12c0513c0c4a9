"""benchmarks/run keeps up with the code: the programs it hands to a fresh interpreter
import what exists. (A moved module once left a scale row reading `ERROR` for a round,
and the benchmark itself still exited 0.)"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import re
from pathlib import Path

BENCHMARK = Path(__file__).resolve().parent.parent / "benchmarks" / "run"
IMPORT = re.compile(r"^\s*(?:from (yiguan[\w.]*) import ([\w, ]+)|import (yiguan[\w.]*))",
                    re.MULTILINE)


def _imports_in_strings() -> list[tuple[str, list[str]]]:
    tree = ast.parse(BENCHMARK.read_text("utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            for module, names, plain in IMPORT.findall(node.value):
                found.append((module or plain,
                              [n.strip() for n in names.split(",") if n.strip()]))
    return found


def test_every_yiguan_import_the_benchmark_runs_resolves() -> None:
    imports = _imports_in_strings()
    assert imports, "no yiguan import found in benchmarks/run's programs"
    for module, names in imports:
        loaded = importlib.import_module(module)
        for name in names:
            assert hasattr(loaded, name) or importlib.util.find_spec(f"{module}.{name}"), (
                f"benchmarks/run: from {module} import {name}")

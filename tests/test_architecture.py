"""The parts of the package and the direction of their imports (docs/architecture.md).

yiguan's modules sit in parts, from the bottom up: `text` (words, errors), `rules`
(thresholds, quorum, dates, names), `record` (the files' records), `store` (the data
folder), `meeting` (what happens to a meeting), `git`, `render` (documents), `room` (the
projector) and `cli`. A module may import from its own part and the parts below it,
never above; no import — at the top of a module or inside a function — closes a cycle;
and no module reaches into another's private names. Imports under `if TYPE_CHECKING:`
are for the type checker only and never run, so they are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parent.parent / "src" / "yiguan"
PARTS = ("text", "rules", "record", "store", "meeting", "git", "render", "site", "room", "cli")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SOURCE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES = {_module_name(path): path for path in SOURCE.rglob("*.py")}


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node but those inside `if TYPE_CHECKING:` blocks."""
    out: list[ast.AST] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) \
                and node.test.id == "TYPE_CHECKING":
            for child in node.orelse:
                visit(child)
            return
        out.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return out


def _imports(module: str) -> list[tuple[str, list[str]]]:
    """(imported yiguan module, names taken from it) for each import of `module`."""
    path = MODULES[module]
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found = []
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("yiguan"):
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                if sub in MODULES:
                    found.append((sub, []))
                else:
                    found.append((target, [alias.name]))
        elif isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names if alias.name in MODULES]
    return found


GRAPH = {module: sorted({target for target, _ in _imports(module)} - {module})
         for module in MODULES}


def _part(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in PARTS else None


def test_every_module_belongs_to_a_part() -> None:
    loose = [m for m in MODULES if _part(m) is None
             and m not in ("yiguan", "yiguan.__main__")]
    assert loose == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down(module: str) -> None:
    mine = _part(module)
    if mine is None:
        return  # the package's own __init__ and __main__ (which runs the cli)
    upward = [target for target in GRAPH[module] if (part := _part(target)) is not None
              and PARTS.index(part) > PARTS.index(mine)]
    assert upward == [], f"{module} imports from parts above {mine}: {upward}"


def test_no_import_closes_a_cycle() -> None:
    """Depth-first search over every import, those inside functions included."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    cycles: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in GRAPH.get(module, []):
            if state.get(target) == 1:
                cycles.append(path[path.index(target):] + [target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(MODULES):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_no_module_reaches_into_another_modules_private_names() -> None:
    reaching = [f"{module} takes {name} from {target}"
                for module in MODULES for target, names in _imports(module)
                for name in names if name.startswith("_") and not name.startswith("__")
                and target != module]
    assert reaching == []


def test_the_graph_sees_imports_inside_functions() -> None:
    """The test itself: an import inside a function counts (cli.common reads typed times
    through rules.when only inside the functions that need it)."""
    assert "yiguan.rules.when" in GRAPH["yiguan.cli.common"]

"""The house: the package's import graph read statically, every import included (at a module's top or
inside a function), against the floors the folders name (docs/architecture.md, "Architecture"):

    settings < catalogue < store < protect < subgoals < present < {plan, cli, demo, report, __main__}

A module may import from its own floor and the floors below, never from one above, and no set of
modules may import each other in a circle. A function-level import is no way round either: both rules
read it like any other. What a function-level import is for at all, a heavy dependency only some
callers need (Plotly, openpyxl, statsmodels), it says in a comment on its line or the line above; the
standard library and the package's light modules are imported at the top. The one module loaded by
name is the registry's plugin loader (registry.load_all: the indicator modules register themselves
into the registry below them, so the registry cannot import them by name without an arrow up).

Nothing is imported to read the graph (ast), so a cycle that Python would only meet in one import
order is found whatever the order.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "indicators"
FLOORS = {
    "settings": 0,
    "catalogue": 1,
    "store": 2,
    "protect": 3,
    "subgoals": 4,
    "present": 5,
    "plan": 6,
    "cli": 6,
    "demo": 6,
    "report": 6,
    "directive": 6,
    "__main__": 6,
}
# The plugin loader: the only place a module of the package is imported by name.
LOADED_BY_NAME = {("protect.registry", "load_all")}


def _name(path: Path) -> str:
    """'store.sql' for src/indicators/store/sql.py, 'store' for its __init__.py, '' for the package's."""
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


PATHS = sorted(SRC.rglob("*.py"))
MODULES = {_name(p): p for p in PATHS}


def floor(module: str) -> int | None:
    return FLOORS.get(module.split(".")[0]) if module else None


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the module of the package it imports ('' for a third-party or standard module)
    line: int
    late: bool  # inside a function
    what: str  # the imported name as written
    comment: bool  # a comment on its line or the line above


def _targets(source: str, node: ast.AST, is_package: bool) -> list[tuple[str, str]]:
    """(package module or '', name as written) of one import statement."""
    here = source.split(".") if source else []
    package = here if is_package else here[:-1]
    out = []
    if isinstance(node, ast.ImportFrom):
        if node.level:
            base = package[: len(package) - (node.level - 1)] + (node.module.split(".") if node.module else [])
        elif node.module and node.module.split(".")[0] == "indicators":
            base = node.module.split(".")[1:]
        else:
            return [("", node.module or "")]
        for alias in node.names:
            full = ".".join(base + [alias.name])
            out.append((full if full in MODULES else ".".join(base), full))
    else:
        for alias in node.names:
            parts = alias.name.split(".")
            out.append((".".join(parts[1:]), alias.name) if parts[0] == "indicators" else ("", alias.name))
    return out


def _imports() -> list[Import]:
    out = []
    for module, path in MODULES.items():
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        tree = ast.parse(text)
        functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        inside = {id(n) for f in functions for n in ast.walk(f) if n is not f}
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            said = "#" in lines[node.lineno - 1] or lines[node.lineno - 2].strip().startswith("#")
            for target, what in _targets(module, node, path.name == "__init__.py"):
                out.append(Import(module, target, node.lineno, id(node) in inside, what, said))
    return out


IMPORTS = _imports()
GRAPH: dict[str, set[str]] = {m: set() for m in MODULES}
for i in IMPORTS:
    if i.target in MODULES and i.target != i.source and i.target:
        GRAPH[i.source].add(i.target)


def _cycles() -> list[list[str]]:
    """Every strongly connected set of more than one module (Tarjan), each as one circle through it."""
    index, low, on, stack, found = {}, {}, set(), [], []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = []
            while True:
                w = stack.pop()
                on.discard(w)
                part.append(w)
                if w == v:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    sys.setrecursionlimit(10_000)
    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    return [_circle(part) for part in found]


def _circle(part: list[str]) -> list[str]:
    """One circle through the first module of a strongly connected set, as a path back to it."""
    start, inside = part[0], set(part)
    paths = [[start]]
    while paths:
        path = paths.pop(0)
        for nxt in sorted(GRAPH[path[-1]] & inside):
            if nxt == start:
                return path + [start]
            if nxt not in path:
                paths.append(path + [nxt])
    return part


def _arrows_up() -> list[Import]:
    return [
        i
        for i in IMPORTS
        if i.target
        and floor(i.source) is not None
        and floor(i.target) is not None
        and floor(i.target) > floor(i.source)
    ]


def _bad_late() -> list[Import]:
    """Function-level imports of the standard library (nothing to gain) or without a comment saying why."""
    return [
        i
        for i in IMPORTS
        if i.late and (not i.comment or (not i.target and i.what.split(".")[0] in sys.stdlib_module_names))
    ]


def _loaded_by_name() -> list[str]:
    """Where a module is imported by name (importlib.import_module, __import__), outside the plugin loader."""
    out = []

    def calls(node, module, function):
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
            if isinstance(child, ast.Call) and (
                (isinstance(child.func, ast.Attribute) and child.func.attr == "import_module")
                or (isinstance(child.func, ast.Name) and child.func.id in ("__import__", "import_module"))
            ):
                if (module, function) not in LOADED_BY_NAME:
                    out.append(f"{module}:{child.lineno}")
            calls(child, module, inner)

    for module, path in MODULES.items():
        calls(ast.parse(path.read_text(encoding="utf-8")), module, "")
    return out


def _the_plans(item) -> bool:
    """Whether a finding is the plan's: plan.py's own, or an arrow to it."""
    if isinstance(item, Import):
        return "plan" in (item.source.split(".")[0], item.target.split(".")[0])
    return "plan" in item  # a circle through plan.py


def _say(items) -> list[str]:
    return [f"{i.source}:{i.line} imports {i.what}" if isinstance(i, Import) else " -> ".join(i) for i in items]


def test_the_walk_sees_the_whole_package():
    # every module, and the late imports among them: the walk is not blind where the circle once hid
    assert {
        "catalogue",
        "catalogue.phrases",
        "store.check",
        "protect.registry",
        "subgoals.goals",
        "present.columns",
        "present.charts",
        "cli",
        "demo",
    } <= set(MODULES)
    assert all(floor(m) is not None for m in MODULES if m), [m for m in MODULES if m and floor(m) is None]
    assert any(i.late and i.target == "present.pages" and i.source == "cli" for i in IMPORTS)
    assert ("present.columns", "protect.registry") in {(i.source, i.target) for i in IMPORTS}


def test_no_circle_no_arrow_up_no_hidden_import():
    """Everything but the plan's arrows (plan.py and what imports it): see the next test."""
    circles = [c for c in _cycles() if not _the_plans(c)]
    up = [i for i in _arrows_up() if not _the_plans(i)]
    late = [i for i in _bad_late() if not _the_plans(i)]
    assert not circles, _say(circles)
    assert not up, _say(up)
    assert not late, _say(late)
    assert not _loaded_by_name(), _loaded_by_name()


def test_the_plan_neither_circles_nor_points_up():
    assert not _cycles(), _say(_cycles())
    assert not _arrows_up(), _say(_arrows_up())
    assert not _bad_late(), _say(_bad_late())


# Each indicator module and what they share, imported first in a fresh interpreter: a circle Python
# would meet in that order fails here with "partially initialized module" (the walk above finds it
# whatever the order; this shows it is no mere drawing).
ALONE = (
    "subgoals.representation",
    "subgoals.committees",
    "subgoals.pay",
    "subgoals.education",
    "subgoals.care",
    "subgoals.health",
    "subgoals.safety",
    "subgoals.recruitment",
    "subgoals.goals",
    "subgoals.shares",
    "store.sql",
)


@pytest.mark.parametrize("module", ALONE)
def test_each_module_imports_alone(module):
    run = subprocess.run(
        [sys.executable, "-c", f"import indicators.{module}"], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr

"""The feature packages of `directory/` import one another without a cycle.

The graph: one node per feature package (a folder of `directory/` with an `__init__.py`), an
edge A → B when a module of A imports a module of B. What counts as an import:

- every `import` and `from ... import`, absolute or relative, wherever it stands: at the top
  of a module, inside a function or a class. An import moved into a function still runs and
  still ties the two features together, so a cycle hidden that way is a cycle;
- not an import under `if TYPE_CHECKING:`. It runs no code; it names the type of a GraphQL
  edge that points back (an agency's practitioners, a practitioner's agency), which Strawberry
  resolves by `strawberry.lazy` when the schema is built. A feature that needs the other one's
  code at run time imports it outside TYPE_CHECKING, and that counts.

The modules at the top of `directory/` are not features: the shared ones (errors, clock, ids,
...) are imported by all, and the composition ones (context, schema, app, cli) import all.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from itertools import pairwise
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "directory"
NOT_FEATURES = {"migrations"}  # generated, and they import the models by design


def features(package: Path = PACKAGE) -> set[str]:
    return {
        p.name
        for p in package.iterdir()
        if p.is_dir() and (p / "__init__.py").exists() and p.name not in NOT_FEATURES
    }


def _type_checking_only(tree: ast.Module) -> set[int]:
    """ids of the import nodes under an `if TYPE_CHECKING:` (its else branch runs)."""
    hidden: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for statement in node.body:
                hidden.update(id(n) for n in ast.walk(statement))
    return hidden


def imported_modules(source: str, module: str, is_package: bool = False) -> set[str]:
    """The absolute names of the modules `source` (the text of `module`) imports at run time."""
    tree = ast.parse(source)
    hidden = _type_checking_only(tree)
    here = module.split(".") if is_package else module.split(".")[:-1]
    out: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in hidden:
            continue
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = here[: len(here) - node.level + 1] if node.level else []
            name = ".".join([*base, *([node.module] if node.module else [])])
            out.add(name)
            out.update(f"{name}.{alias.name}" for alias in node.names)  # `from pkg import mod`
    return out


def feature_imports(package: Path = PACKAGE) -> dict[tuple[str, str], set[str]]:
    """{(feature, other feature): the modules of the first that import the second}."""
    names = features(package)
    found: dict[tuple[str, str], set[str]] = {}
    for name in names:
        for path in (package / name).rglob("*.py"):
            parts = [package.name, *path.relative_to(package).with_suffix("").parts]
            is_package = parts[-1] == "__init__"
            module = ".".join(parts[:-1] if is_package else parts)
            for target in imported_modules(path.read_text(), module, is_package):
                head, _, rest = target.partition(".")
                other = rest.split(".")[0]
                if head == package.name and other in names and other != name:
                    found.setdefault((name, other), set()).add(module)
    return found


def feature_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """{feature: the other features its modules import}."""
    graph: dict[str, set[str]] = {name: set() for name in features(package)}
    for name, other in feature_imports(package):
        graph[name].add(other)
    return graph


def cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Every strongly connected group of two or more nodes, each as one cycle through it
    (first node repeated at the end), sorted; a node importing itself counts too."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's algorithm; the graphs here are tiny
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph.get(node, ()):
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(_path_through(graph, set(group)) for group in groups)


def _path_through(graph: Mapping[str, Iterable[str]], group: set[str]) -> list[str]:
    """A cycle inside `group` from its first node back to it, by breadth-first search."""
    start = min(group)
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following: list[str] = []
        for node in frontier:
            for nxt in sorted(graph.get(node, ())):
                if nxt == start:
                    path = [start]
                    while node != start:
                        path.append(node)
                        node = came_from[node]
                    return [start, *reversed(path[1:]), start]
                if nxt in group and nxt not in came_from:
                    came_from[nxt] = node
                    following.append(nxt)
        frontier = following
    raise AssertionError(f"no cycle through {sorted(group)}")  # a strong group always has one


def test_feature_packages_import_each_other_without_a_cycle() -> None:
    found = cycles(feature_graph())
    by_edge = feature_imports()
    report = []
    for cycle in found:
        report.append(" → ".join(cycle))
        for edge in pairwise(cycle):
            report.append(f"  {edge[0]} → {edge[1]}: {', '.join(sorted(by_edge[edge]))}")
    assert found == [], "import cycles between features:\n" + "\n".join(report)


def test_the_graph_sees_every_feature_and_the_known_dependencies() -> None:
    graph = feature_graph()
    assert {"agencies", "talent", "reviews", "matching", "reference", "targets"} <= set(graph)
    assert "agencies" in graph["talent"]  # a practitioner works at an agency
    assert "reviews" in graph["matching"]  # matching ranks by rating


def test_cycle_finder_on_small_graphs() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []
    assert cycles({"a": {"b"}, "b": {"a"}}) == [["a", "b", "a"]]
    assert cycles({"a": {"a"}}) == [["a", "a"]]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    two = {"a": {"b"}, "b": {"a"}, "x": {"y"}, "y": {"z"}, "z": {"x", "a"}}
    assert cycles(two) == [["a", "b", "a"], ["x", "y", "z", "x"]]


def test_imports_inside_functions_count_and_type_checking_ones_do_not() -> None:
    source = """
from __future__ import annotations
from typing import TYPE_CHECKING
from directory.agencies import models
from . import rules
from ..reference.codes import region_prefix
if TYPE_CHECKING:
    from directory.talent.types import PractitionerType
else:
    import directory.reviews.loaders

def resolve():
    from directory.matching.scoring import score
    import directory.targets.models
"""
    found = imported_modules(source, "directory.agencies.types")
    assert {
        "directory.agencies",
        "directory.agencies.models",
        "directory.agencies.rules",
        "directory.reference.codes",
        "directory.reviews.loaders",
        "directory.matching.scoring",
        "directory.targets.models",
    } <= found
    assert not any(name.startswith("directory.talent") for name in found)


def test_a_cycle_through_a_function_level_import_fails(tmp_path: Path) -> None:
    package = tmp_path / "directory"
    for name, text in {
        "a/__init__.py": "",
        "a/models.py": "from directory.b.models import Thing\n",
        "b/__init__.py": "",
        "b/models.py": "Thing = 1\n\ndef later():\n    from ..a import models\n",
        "c/__init__.py": "",
        "c/types.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from directory.a import models\n",
    }.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text)
    graph = feature_graph(package)
    assert graph == {"a": {"b"}, "b": {"a"}, "c": set()}
    assert cycles(graph) == [["a", "b", "a"]]

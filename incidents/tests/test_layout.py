"""The code's layout keeps its promises: packages along the data's path, dependencies pointing one
way, no import cycles, nothing in production reading the tests or a management command.

Read from the source (ast), so an import inside a function counts as much as one at the top.
"""

import ast
from collections import defaultdict
from pathlib import Path

import pytest
from django.conf import settings

APP = Path(settings.BASE_DIR) / "incidents"
# Each package may use only the packages listed (and itself); the data flows left to right.
ALLOWED = {
    "common": set(),
    "models": {"common"},
    "intake": {"common", "models"},
    "review": {"common", "models"},
    "coding": {"common", "models", "review"},
    "public": {"common", "models"},
    "exports": {"common", "models", "public"},
    "operations": {"common", "models"},
}
PACKAGES = [*ALLOWED, "admin", "templatetags", "management", "migrations", "tests"]
TOP_LEVEL_MODULES = {"__init__", "apps", "urls"}


def module_name(path):
    parts = list(path.relative_to(APP.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules():
    return {module_name(path): path for path in APP.rglob("*.py") if "migrations" not in path.parts}


def import_graph():
    """{module: {modules of this app it imports}}; `from package import module` names the module."""
    known = modules()
    graph = defaultdict(set)
    for name, path in known.items():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("incidents"):
                for alias in node.names:
                    submodule = f"{node.module}.{alias.name}"
                    graph[name].add(submodule if submodule in known else node.module)
            elif isinstance(node, ast.Import):
                graph[name].update(a.name for a in node.names if a.name.startswith("incidents"))
    return graph


def package_of(module):
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and (APP / parts[1]).is_dir()) else None


def production(graph):
    return {name: targets for name, targets in graph.items() if not name.startswith("incidents.tests")}


def test_the_app_has_a_handful_of_top_level_modules_and_each_package_says_its_job():
    top = {path.stem for path in APP.glob("*.py")}
    assert top <= TOP_LEVEL_MODULES, f"modules at incidents/ top level: {sorted(top - TOP_LEVEL_MODULES)}"
    folders = {path.name for path in APP.iterdir() if path.is_dir() and path.name != "__pycache__"}
    assert folders == set(PACKAGES), folders ^ set(PACKAGES)
    for init in APP.rglob("__init__.py"):
        if {"migrations", "tests", "commands", "management", "templatetags"} & set(init.parts):
            continue
        docstring = ast.get_docstring(ast.parse(init.read_text()))
        assert docstring and "\n" not in docstring.strip(), f"{init}: needs a one-line docstring saying its job"


def test_production_code_reads_neither_the_tests_nor_a_management_command():
    for name, targets in production(import_graph()).items():
        assert not {t for t in targets if t.startswith("incidents.tests")}, name
        if not name.startswith("incidents.management"):
            assert not {t for t in targets if t.startswith("incidents.management")}, name


def test_template_tags_draw_and_do_not_import_views():
    for name, targets in import_graph().items():
        if name.startswith("incidents.templatetags"):
            views = {t for t in targets if t.rsplit(".", 1)[-1] in ("views", "pages", "api")}
            assert not views, f"{name} imports {views}"


def test_packages_depend_only_on_packages_upstream_of_them():
    for name, targets in production(import_graph()).items():
        own = package_of(name)
        if own not in ALLOWED:
            continue  # admin, urls, template tags and commands sit on top and may use any package
        used = {package_of(t) for t in targets} - {own, None}
        assert used <= ALLOWED[own], f"{name} uses {sorted(used - ALLOWED[own])}"


def cycles(graph):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in list(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles():
    assert cycles(import_graph()) == []


@pytest.mark.parametrize("graph, expected", [
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, [{"a", "b", "c"}]),
    ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
])
def test_the_cycle_finder_finds_a_cycle_and_only_a_cycle(graph, expected):
    assert cycles(graph) == expected

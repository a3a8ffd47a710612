"""The layers hold: kg/ imports nothing from ingest/ or ecokg/, and ingest/ nothing from ecokg/.

kg is the base (model, ontology, store, queries, analytics) that ingest and the app build on;
an import upward would drag the NLP stack or Streamlit into every store user and let cycles
grow. Read from the source with ``ast``, so an import inside a function, a relative import and
``importlib.import_module("...")`` with a literal name all count.
"""

from __future__ import annotations

import ast
import fnmatch
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {"kg": ("ingest", "ecokg"), "ingest": ("ecokg",)}


def module_name(path: Path) -> str:
    """``kg/curation/model.py`` -> ``kg.curation.model``; a package's ``__init__`` is the package."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(source: str, module: str, is_package: bool) -> Iterator[tuple[int, str]]:
    """(line, absolute module name) of every import in SOURCE, written as module MODULE."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            for alias in node.names:  # `from a import b` names the module a.b (or b is in a)
                yield node.lineno, f"{base}.{alias.name}" if alias.name != "*" else base
        elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)
              and ((isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
                   or (isinstance(node.func, ast.Name) and node.func.id in ("import_module", "__import__")))):
            yield node.lineno, node.args[0].value


def violations(layer: str) -> list[str]:
    """Every import in LAYER's modules of a package above it, as ``path:line imports name``."""
    found = []
    for path in sorted((ROOT / layer).rglob("*.py")):
        for line, name in imports(path.read_text(encoding="utf-8"), module_name(path), path.name == "__init__.py"):
            if name.split(".")[0] in FORBIDDEN[layer]:
                found.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_imports_nothing_above_it(layer: str) -> None:
    modules = {module_name(p) for p in (ROOT / layer).rglob("*.py")}
    assert f"{layer}.__init__" not in modules and layer in modules and len(modules) > 10  # the walk saw the package
    assert violations(layer) == []


def test_the_check_sees_every_form_of_import() -> None:
    source = (
        "import ingest.text\n"
        "from ingest.model import Article\n"
        "from ecokg import cli\n"
        "def f():\n"
        "    import importlib\n"
        "    importlib.import_module('ingest.web.cli')\n"
        "from . import store\n"
        "from ..queries import facts\n"
    )
    assert sorted(imports(source, "kg.curation.view", is_package=False)) == [
        (1, "ingest.text"), (2, "ingest.model.Article"), (3, "ecokg.cli"), (5, "importlib"),
        (6, "ingest.web.cli"), (7, "kg.curation.store"), (8, "kg.queries.facts"),
    ]
    assert [n for _, n in imports("from .. import x\n", "kg.ui", is_package=True)] == ["kg.x"]


def test_the_model_is_in_the_base_layer_and_every_package_is_installed() -> None:
    assert (ROOT / "kg" / "model.py").is_file() and not (ROOT / "ingest" / "model.py").exists()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    include = project["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = sorted({p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests", "bench"})  # not shipped
    assert {"kg", "ingest", "ecokg"} <= set(packages)
    for package in packages:
        assert any(fnmatch.fnmatch(package, pattern) for pattern in include), package
    module, _, func = project["project"]["scripts"]["ecokg"].partition(":")
    assert (ROOT / (module.replace(".", "/") + ".py")).is_file() and module.split(".")[0] == "ecokg"
    tree = ast.parse((ROOT / (module.replace(".", "/") + ".py")).read_text(encoding="utf-8"))
    assert func in {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}

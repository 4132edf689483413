"""The package reads as its pipeline: no module imports a later stage.

The order is written once here and once in the README's "How data flows" (a test checks that
the two agree). Imports inside functions count too: a lazy import of a later stage is still a
backwards dependency.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "kg"

# Stages in the order data flows; names on one line are one stage and may import each other.
STAGES: tuple[tuple[str, ...], ...] = (
    ("errors", "resources"),
    ("vocab",),
    ("text",),
    ("extract",),
    ("rdf",),
    ("build", "synthetic"),
    ("store",),
    ("query",),
    ("targets", "evaluate"),
    ("analysis",),
    ("view",),
    ("serve",),
    ("cli",),
)
RANK = {name: rank for rank, names in enumerate(STAGES) for name in names}
TOP_LEVEL_LIMIT = 10


def _unit(module: str) -> str | None:
    """The stage unit of a dotted module name: ``kg.extract.entities`` → ``extract``."""
    parts = module.split(".")
    if parts[0] != "kg":
        return None
    return parts[1] if len(parts) > 1 else "kg"


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            # ``from kg import view`` imports the subpackage, not a name of kg/__init__
            if node.module == "kg":
                found += [(node.lineno, f"kg.{alias.name}") for alias in node.names
                          if (PACKAGE / alias.name).is_dir() or (PACKAGE / f"{alias.name}.py").is_file()]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_unit_has_a_stage() -> None:
    units = {p.relative_to(PACKAGE).parts[0].removesuffix(".py") for p in MODULES} - {"__init__"}
    assert units <= set(RANK), f"place these in STAGES: {sorted(units - set(RANK))}"
    assert set(RANK) <= units, f"STAGES names what does not exist: {sorted(set(RANK) - units)}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_a_later_stage(path: Path) -> None:
    here = _unit(_module_name(path))
    if here == "kg":  # kg/__init__.py is the notebook facade over every stage
        return
    assert here is not None
    later = [f"line {line}: {module} (stage {RANK[_unit(module)]}) from {here} (stage {RANK[here]})"
             for line, module in _imports(path)
             if _unit(module) not in (None, "kg") and RANK[_unit(module)] > RANK[here]]  # type: ignore[index]
    assert not later, f"{path.relative_to(ROOT)} imports a later stage:\n" + "\n".join(later)


def test_top_level_stays_small() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= TOP_LEVEL_LIMIT, f"{len(top)} modules at the top of src/kg: {top}"


def test_readme_states_the_same_order() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## How data flows", 1)[1].split("\n## ", 1)[0]
    order = [name for line in re.findall(r"^\d+\. (.*)$", section, flags=re.M)
             for name in re.findall(r"`kg/([a-z_]+)(?:\.py|/)`", line.split(" — ")[0])]
    assert tuple(order) == tuple(name for names in STAGES for name in names), (
        "README 'How data flows' must list the stages in tests/test_layers.py's order"
    )


def test_the_checker_sees_a_backwards_import(tmp_path: Path) -> None:
    """The walk finds lazy imports inside functions, so the layering test can fail."""
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from kg.view import show\n    import kg.serve.http\n", encoding="utf-8")
    assert _imports(module) == [(2, "kg.view"), (3, "kg.serve.http")]
    assert RANK[_unit("kg.view")] > RANK[_unit("kg.extract.entities")]  # type: ignore[index]

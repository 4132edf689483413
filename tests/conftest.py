"""Shared fixtures: paths built from this file, the real reports, a built graph."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "source"
REPORTS = sorted(p.stem for p in SOURCES.glob("*.txt"))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def built_graph() -> Graph:
    """The graph of all three reports, built once per test session."""
    from kg.build import build_graph

    return build_graph(sorted(SOURCES.glob("*.txt")))

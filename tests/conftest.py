"""Shared fixtures: paths built from this file, the real reports, a built graph."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "source"
REPORTS = sorted(p.stem for p in SOURCES.glob("*.txt"))
#: The real browser the explorer and query-page tests drive (Debian's; no browser download works here).
CHROMIUM = Path(os.environ.get("KG_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def built_graph() -> Graph:
    """The graph of all three reports, built once per test session."""
    from kg.build import build_graph

    return build_graph(sorted(SOURCES.glob("*.txt")))


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Chromium through playwright, one per test module."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium; make test does) "
                    "or point KG_CHROMIUM at a Chromium binary; these tests need a real browser")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is missing: .venv/bin/pip install -e '.[test]'")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()

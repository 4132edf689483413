"""Hostile labels in a real headless Chromium: the query page's results table and the explorer
show ``<img onerror=…>`` and ``</script>`` labels as text and never run them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import SKOS

from kg.store import open_graph
from support import serving

pytestmark = [pytest.mark.browser, pytest.mark.server]

ROOT = Path(__file__).resolve().parent.parent
REPORT = "https://w3id.org/policykg/id/report/河北省/2022"
EVIL = '</script><img src=x onerror="window.kgPwned=1"><script>window.kgPwned=2</script>'


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    graph = open_graph(ROOT / "data" / "triples.ttl")
    graph.add((URIRef(REPORT), SKOS.prefLabel, Literal(EVIL, lang="zh")))
    with serving(graph) as url:
        yield url



def test_query_page_shows_a_hostile_label_as_text(base_url: str, browser: object):
    page = browser.new_page()  # type: ignore[attr-defined]
    try:
        page.goto(f"{base_url}/query", wait_until="load")
        page.wait_for_function("() => !!(window.kgYasgui && window.kgYasgui.getTab())", timeout=15_000)
        page.evaluate("(q) => { window.kgYasgui.getTab().setQuery(q); }",
                      f"SELECT ?label WHERE {{ <{REPORT}> <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }}")
        page.click(".yasqe_queryButton")
        page.wait_for_selector(".yasr table tbody tr", timeout=20_000)
        page.wait_for_timeout(300)  # give an injected onerror handler the chance to run
        assert 'onerror="window.kgPwned=1"' in page.inner_text(".yasr table")
        assert page.evaluate("() => window.kgPwned") is None
    finally:
        page.close()


def test_explorer_shows_a_hostile_label_without_running_it(base_url: str, browser: object):
    page = browser.new_page()  # type: ignore[attr-defined]
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{base_url}/", wait_until="load")
        page.wait_for_timeout(1000)
        assert page.evaluate("() => window.kgPwned") is None
        assert EVIL in page.content() or "kgPwned" in page.evaluate("() => document.documentElement.innerHTML")
    finally:
        page.close()
    assert not errors, errors

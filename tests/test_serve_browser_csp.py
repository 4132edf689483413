"""The query page and the explorer under ``kg serve``'s Content-Security-Policy, in a real
headless Chromium: both load and work with no CSP violation, and hostile IRIs in results (a
``javascript:`` IRI, one whose quotes would close the link's attribute and add a style) show as
text inside the results table, never as an element laid over the page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from kg.serve.http import CONTENT_SECURITY_POLICY
from kg.store import open_graph
from support import serving

pytestmark = [pytest.mark.browser, pytest.mark.server]

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = [
    "javascript:window.kgPwned=1",
    "http://x/a'style='position:fixed;top:0;left:0;width:100vw;height:100vh;z-index:99999;background:red'id='kgcover",
    "http://x/b'onmouseover='window.kgPwned=2",
]
SHOTS = ROOT / "build" / "screenshots"


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    graph = open_graph(ROOT / "data" / "triples.ttl")
    for iri in HOSTILE:
        graph.add((URIRef(iri), RDFS.label, Literal("hostile")))
    with serving(graph) as url:
        yield url


def _watch(page: object) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: problems.append(str(e)))  # type: ignore[attr-defined]
    return problems


def test_the_query_page_works_under_the_policy(base_url: str, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    problems = _watch(page)
    try:
        response = page.goto(f"{base_url}/query", wait_until="load")
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        page.click('#catalogue-list button[data-name="reports"]', timeout=15_000)
        page.click(".yasqe_queryButton")
        page.wait_for_selector(".yasr table tbody tr", timeout=20_000)
        assert page.locator(".yasr table tbody tr").count() == 3
    finally:
        page.close()
    assert not problems, problems


def test_the_explorer_works_under_the_policy(base_url: str, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    problems = _watch(page)
    try:
        response = page.goto(f"{base_url}/", wait_until="load")
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        page.wait_for_function("() => document.querySelectorAll('canvas').length > 0", timeout=20_000)
        page.wait_for_timeout(1500)
    finally:
        page.close()
    assert not problems, problems


def test_hostile_iris_in_results_are_text_inside_the_table(base_url: str, browser: object) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 800})  # type: ignore[attr-defined]
    problems = _watch(page)
    try:
        page.goto(f"{base_url}/query", wait_until="load")
        page.wait_for_function("() => !!(window.kgYasgui && window.kgYasgui.getTab())", timeout=15_000)
        page.evaluate("(q) => { window.kgYasgui.getTab().setQuery(q); }",
                      'SELECT ?s WHERE { ?s rdfs:label "hostile" } ORDER BY ?s')
        page.click(".yasqe_queryButton")
        page.wait_for_selector(".yasr table tbody tr", timeout=20_000)
        page.wait_for_timeout(300)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "query-page-hostile-iris.png"))
        table = page.inner_text(".yasr table")
        for iri in HOSTILE:
            assert iri in table, f"{iri} is not shown as text"
        assert page.locator("#kgcover").count() == 0
        # No element from a result has a style, an event handler, or a link other than http(s) or the
        # explorer's own page for that IRI (/?focus=…, percent-encoded).
        offending = page.evaluate("""() => [...document.querySelectorAll('.yasr table tbody *')].filter(e =>
            e.hasAttribute('style') || e.hasAttribute('onmouseover') ||
            (e.tagName === 'A' && !/^(https?:|\\/\\?focus=[^\\s"<>]*$)/.test(e.getAttribute('href') || '')))
            .map(e => e.outerHTML.slice(0, 200))""")
        assert offending == [], offending
        # The point in the middle of the page is not covered by anything from the results.
        assert page.evaluate("() => document.elementFromPoint(600, 100).closest('.yasr tbody') === null")
        page.hover(".yasr table tbody tr:last-child td:last-child")
        assert page.evaluate("() => window.kgPwned") is None
    finally:
        page.close()
    assert not problems, problems

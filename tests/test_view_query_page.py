"""The query page as a researcher meets it, in a real headless Chromium against a real kg serve:
columns sized to their content, values without datatype tags, result IRIs that open the explorer,
a form for a named query's parameters, and syntax errors that say where and what."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from kg.store import open_graph
from support import serving

pytestmark = [pytest.mark.browser, pytest.mark.server]
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serving(open_graph(ROOT / "data" / "triples.ttl")) as url:
        yield url


@pytest.fixture
def page(browser: object, base_url: str) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    tab = context.new_page()
    tab.errors = []  # type: ignore[attr-defined]
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))  # type: ignore[attr-defined]
    tab.goto(f"{base_url}/query")
    tab.wait_for_selector('#catalogue-list button[data-name="indicator-series"]', timeout=15_000)
    yield tab
    assert tab.errors == []  # type: ignore[attr-defined]
    context.close()


def _run(page: object, query: str) -> None:
    page.evaluate("q => { kgYasgui.getTab().setQuery(q); return 0; }", query)  # type: ignore[attr-defined]
    page.click(".yasqe_queryButton")  # type: ignore[attr-defined]


def _cells(page: object) -> list[list[str]]:
    return page.eval_on_selector_all(  # type: ignore[attr-defined,no-any-return]
        ".yasr table tbody tr", "rows => rows.map(r => [...r.cells].slice(1).map(c => c.innerText.trim()))")


def test_columns_fit_their_content_and_long_text_wraps(page: object):
    page.click('#catalogue-list button[data-name="indicator-series"]')  # type: ignore[attr-defined]
    page.click("#params button")  # type: ignore[attr-defined]
    page.wait_for_selector(".yasr table tbody tr", timeout=20_000)  # type: ignore[attr-defined]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "query-columns.png"))  # type: ignore[attr-defined]
    rows = _cells(page)
    assert rows[0][0] == "地区生产总值" and not any("…" in cell for row in rows for cell in row)
    # No cell is cut: each short cell's content fits its width, and short cells stay on one line.
    cut = page.eval_on_selector_all(  # type: ignore[attr-defined]
        ".yasr table tbody td", "tds => tds.filter(td => td.scrollWidth > td.clientWidth + 1).length")
    assert cut == 0
    heights = page.eval_on_selector_all(  # type: ignore[attr-defined]  (an empty cell holds no div)
        ".yasr table tbody tr:first-child td.kg-short",
        "tds => tds.filter(td => td.querySelector('div')).map(td => td.querySelector('div').offsetHeight)")
    assert heights and max(heights) < 30  # one line each
    assert page.eval_on_selector(".yasr table tbody tr:first-child td.kg-long", "td => td.offsetHeight") > 40  # type: ignore[attr-defined]


def test_values_have_no_datatype_tags(page: object):
    _run(page, 'SELECT ?n ?d ?s WHERE { BIND(3.9 AS ?n) BIND("2021"^^xsd:gYear AS ?d) '
               'BIND(STRLANG("甲", "zh") AS ?s) }')
    page.wait_for_selector(".yasr table tbody tr", timeout=20_000)  # type: ignore[attr-defined]
    assert _cells(page) == [["3.9", "2021", "甲"]]
    assert "^^" not in page.inner_text(".yasr table")  # type: ignore[attr-defined]
    assert page.get_attribute(".yasr table tbody td:nth-child(2) span[title]", "title") == "xsd:decimal"  # type: ignore[attr-defined]


def test_result_iris_open_the_explorer(page: object, base_url: str):
    page.click('#catalogue-list button[data-name="reports"]')  # type: ignore[attr-defined]
    page.click(".yasqe_queryButton")  # type: ignore[attr-defined]
    page.wait_for_selector(".yasr table tbody tr a.iri", timeout=20_000)  # type: ignore[attr-defined]
    hrefs = page.eval_on_selector_all(".yasr table a.iri", "as => as.map(a => a.getAttribute('href'))")  # type: ignore[attr-defined]
    assert hrefs and all(h.startswith("/?focus=") for h in hrefs)
    assert not page.eval_on_selector_all(".yasr table a[href^='http']", "as => as.length")  # type: ignore[attr-defined]
    iri = unquote(urlsplit(hrefs[0]).query[len("focus="):])
    page.click(".yasr table a.iri >> nth=0")  # type: ignore[attr-defined]
    page.wait_for_function("() => window.kgReady === true", timeout=60_000)  # type: ignore[attr-defined]
    page.wait_for_selector("#panel h2", timeout=10_000)  # type: ignore[attr-defined]
    assert page.get_attribute("#panel", "data-node") == iri  # type: ignore[attr-defined]


def test_a_named_query_takes_its_parameters_from_a_form(page: object):
    page.click('#catalogue-list button[data-name="search-sentences"]')  # type: ignore[attr-defined]
    assert page.input_value("#params input[name=keyword]") == "汽车"  # type: ignore[attr-defined]
    page.fill("#params input[name=keyword]", "氢能")  # type: ignore[attr-defined]
    page.click("#params button")  # type: ignore[attr-defined]
    page.wait_for_selector(".yasr table tbody tr", timeout=20_000)  # type: ignore[attr-defined]
    page.wait_for_function("() => document.querySelector('.yasr table').innerText.includes('氢能')")  # type: ignore[attr-defined]
    assert 'VALUES (?keyword) { ("氢能") }' in page.evaluate("() => kgYasgui.getTab().getQuery()")  # type: ignore[attr-defined]
    # A value is a literal, never query text: quotes and braces are escaped, the query still runs.
    page.fill("#params input[name=keyword]", '"} } SELECT * WHERE { ?s ?p ?o')  # type: ignore[attr-defined]
    page.click("#params button")  # type: ignore[attr-defined]
    page.wait_for_timeout(1500)  # type: ignore[attr-defined]
    assert '{ ("\\"} } SELECT * WHERE { ?s ?p ?o") }' in page.evaluate("() => kgYasgui.getTab().getQuery()")  # type: ignore[attr-defined]
    assert page.is_hidden("#query-error")  # type: ignore[attr-defined]


def test_a_syntax_error_says_where_and_what(page: object):
    _run(page, "SELECT ?s WHERE {\n  ?s ?p ?o .\n  FOO ?s\n}")
    page.wait_for_selector("#query-error:not([hidden])", timeout=20_000)  # type: ignore[attr-defined]
    text = page.inner_text("#query-error")  # type: ignore[attr-defined]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "query-syntax-error.png"))  # type: ignore[attr-defined]
    # Oxigraph says "line 4, column 2: expected OPTIONAL" (where it gave up); the page points at FOO.
    assert "Syntax error at line 3, column 3" in text and "found “FOO”" in text and "SPARQL would accept" in text
    assert "[_]" not in text.split("\n")[1]  # said in words
    assert page.eval_on_selector_all(".kg-error-mark", "ms => ms.length")  # type: ignore[attr-defined]
    _run(page, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1")
    page.wait_for_selector(".yasr table tbody tr", timeout=20_000)  # type: ignore[attr-defined]
    assert page.is_hidden("#query-error")  # type: ignore[attr-defined]


#: The Content-Security-Policy kg serve is to send (another change adds it to the server): the
#: query page and the explorer it links to must work under it.
SERVER_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
              "img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'; "
              "form-action 'self'")


def test_query_page_and_explorer_work_under_the_servers_csp(browser: object, base_url: str):
    context = browser.new_context(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))

    def with_csp(route: object) -> None:
        response = route.fetch()  # type: ignore[attr-defined]
        route.fulfill(response=response,  # type: ignore[attr-defined]
                      headers={**response.headers, "content-security-policy": SERVER_CSP})

    page.route("**/*", with_csp)
    try:
        page.goto(f"{base_url}/query")
        page.click('#catalogue-list button[data-name="search-sentences"]', timeout=15_000)
        page.click("#params button")
        page.wait_for_selector(".yasr table tbody tr a.iri", timeout=20_000)
        page.click(".yasr table a.iri >> nth=0")
        page.wait_for_function("() => window.kgReady === true", timeout=60_000)
        page.wait_for_selector("#panel h2", timeout=10_000)
        assert "Neighbourhood of" in page.text_content("#view-note")
    finally:
        context.close()
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors

"""The query page in a real headless Chromium: load ``/query``, pick a catalogue query, run it,
see rows in the results table, and check that no request left the loopback interface."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.store import open_graph
from support import serving

pytestmark = [pytest.mark.browser, pytest.mark.server]

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serving(open_graph(ROOT / "data" / "triples.ttl")) as url:
        yield url



def _is_loopback(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname in ("127.0.0.1", "localhost", "::1")


def test_query_page_runs_a_catalogue_query_and_shows_rows(base_url: str, browser: object):
    page = browser.new_page()  # type: ignore[attr-defined]
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{base_url}/query", wait_until="load")
        page.wait_for_selector('#catalogue-list button[data-name="reports"]', timeout=15_000)
        assert int(page.get_attribute("body", "data-catalogue") or 0) >= 15
        page.click('#catalogue-list button[data-name="reports"]')
        editor_text = page.evaluate("() => window.kgYasgui.getTab().getQuery()")
        assert "kg:Report" in editor_text
        page.click(".yasqe_queryButton")
        page.wait_for_selector(".yasr table tbody tr", timeout=20_000)
        rows = page.locator(".yasr table tbody tr")
        assert rows.count() == 3
        table_text = page.inner_text(".yasr table")
        assert "上海市嘉定区人民政府" in table_text and "王正谱" in table_text
    finally:
        page.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
    outside = [url for url in requests if not _is_loopback(url)]
    assert not outside, f"the query page made requests off loopback: {outside}"
    assert any(url.endswith("/sparql") for url in requests), "the query was not sent to /sparql"


def test_query_page_runs_a_parameterised_query(base_url: str, browser: object):
    page = browser.new_page()  # type: ignore[attr-defined]
    try:
        page.goto(f"{base_url}/query", wait_until="load")
        page.click('#catalogue-list button[data-name="search-sentences"]', timeout=15_000)
        page.click(".yasqe_queryButton")
        page.wait_for_selector(".yasr table tbody tr", timeout=20_000)
        assert "汽车" in page.inner_text(".yasr table")
    finally:
        page.close()

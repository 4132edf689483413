"""The explorer shows, per indicator, each target, its outcome and the verdict (data, then a real
headless Chromium; the screenshot goes to tests/artifacts/explorer-targets-panel.png)."""

from __future__ import annotations

import pytest
from rdflib import Graph

from kg.rdf.observations import indicator_iri
from kg.view import render_html
from kg.view.data import explorer_data

RETAIL = str(indicator_iri("社会消费品零售总额"))


@pytest.fixture(scope="module")
def hebei() -> Graph:
    from kg.build import build_graph
    from test_compare import SOURCES

    return build_graph([SOURCES / "hebei-2021.txt", SOURCES / "hebei-2022.txt"])


def test_indicator_details_list_targets_outcomes_and_verdicts(hebei: Graph):
    data = explorer_data(hebei)
    rows = data["targets"][RETAIL]
    row = next(r for r in rows if r.period == "2021")
    assert (row.target, row.outcome, row.verdict) == ("8% 左右", "6.3%", "missed") and "7.5" in row.reason
    assert "社会消费品零售总额增长8%左右" in data["sentences"][row.target_sentence].text
    assert row.outcome_sentence is not None
    assert "社会消费品零售总额增长6.3%" in data["sentences"][row.outcome_sentence].text
    assert {r.verdict for r in rows if r.period == "2022"} == {"open"}


def test_a_graph_without_targets_has_no_targets_panel():
    assert explorer_data(Graph())["targets"] == {}


@pytest.mark.browser
def test_the_panel_shows_the_verdict_in_a_browser(hebei: Graph, tmp_path, browser):
    from test_view_browser import Page

    page = Page(browser, render_html(hebei), tmp_path / "hebei.html")
    try:
        page.js("iri => kgExplorer.focusNode(kgExplorer.idOf(iri))", RETAIL)
        panel = page.page.inner_text("#panel")
        assert "目标与结果 Targets and outcomes" in panel and "missed" in panel and "6.3%" in panel
        page.page.click("details.evidence summary")
        page.screenshot("explorer-targets-panel.png")
        assert page.errors == [], page.errors
    finally:
        page.close()

"""The targets view (:mod:`kg.view.targets`): every target with its verdict, from the targets
table alone, so it opens where the node explorer refuses (a whole corpus). Checked on the
bundled graph in a real headless Chromium from ``file://``: verdict, government and year filters,
the timelines, both sentences on a click, no request off the machine, hostile text shown as text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from rdflib import Graph

from kg.cli import main
from kg.store import load_graph
from kg.targets.reconcile import summary, target_table
from kg.view import render_targets, targets_data

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture(scope="module")
def bundled() -> Graph:
    return load_graph(ROOT / "data" / "triples.ttl")


def test_the_page_data_is_the_targets_table(bundled: Graph):
    table = target_table(bundled)
    data = targets_data(bundled)
    assert len(data["targets"]) == len(table) > 100
    assert Counter(r.verdict for r in data["targets"]) == {k: v for k, v in summary(table).items() if v}
    assert sorted(data["governments"]) == ["上海市嘉定区人民政府", "河北省人民政府"]
    assert {r.year for r in data["targets"]} == {2021, 2022}
    # Each quoted sentence once, and every row's sentences there.
    assert len(data["sentences"]) == len(set(data["sentences"]))
    assert all(0 <= r.target_sentence < len(data["sentences"]) for r in data["targets"])


def test_cli_writes_the_targets_page(tmp_path: Path):
    out = tmp_path / "t.html"
    result = CliRunner().invoke(main, ["view", "--targets", "--graph", str(ROOT / "data" / "triples.ttl"),
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    bad = CliRunner().invoke(main, ["view", "--targets", "--focus", "嘉定区", "-o", str(out)])
    assert bad.exit_code == 2 and "--targets draws every target" in bad.output


@pytest.fixture(scope="module")
def page(browser: object, bundled: Graph, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    path = tmp_path_factory.mktemp("targets") / "targets.html"
    path.write_text(render_targets(bundled), encoding="utf-8")
    context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    tab = context.new_page()
    tab.errors, tab.remote = [], []  # type: ignore[attr-defined]
    tab.on("console", lambda m: m.type == "error" and tab.errors.append(m.text))  # type: ignore[attr-defined]
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))  # type: ignore[attr-defined]
    tab.on("request", lambda r: urlsplit(r.url).scheme not in ("file", "data", "about")
           and tab.remote.append(r.url))  # type: ignore[attr-defined]
    tab.goto(path.as_uri())
    tab.wait_for_function("() => window.kgReady === true", timeout=20_000)
    yield tab
    context.close()



def _shown(page: object) -> int:
    return int(page.get_attribute("body", "data-shown"))  # type: ignore[attr-defined]


@pytest.mark.browser
def test_targets_page_filters_by_verdict_government_and_year(page: object, bundled: Graph):
    counts = summary(target_table(bundled))
    assert _shown(page) == sum(counts.values())
    page.uncheck("#verdicts input[data-verdict=open]")  # type: ignore[attr-defined]
    assert _shown(page) == sum(counts.values()) - counts["open"]
    verdicts = page.eval_on_selector_all("tr.row", "rs => [...new Set(rs.map(r => r.dataset.verdict))]")  # type: ignore[attr-defined]
    assert "open" not in verdicts and "met" in verdicts
    page.check("#verdicts input[data-verdict=open]")  # type: ignore[attr-defined]
    page.select_option("#government", label="上海市嘉定区人民政府")  # type: ignore[attr-defined]
    governments = page.eval_on_selector_all(".card", "cs => [...new Set(cs.map(c => c.dataset.government))]")  # type: ignore[attr-defined]
    assert governments == ["上海市嘉定区人民政府"]
    page.select_option("#government", "")  # type: ignore[attr-defined]
    page.select_option("#year", "2022")  # type: ignore[attr-defined]
    years = page.eval_on_selector_all("tr.row td:first-child", "ts => [...new Set(ts.map(t => t.textContent))]")  # type: ignore[attr-defined]
    assert years == ["2022"]
    page.select_option("#year", "")  # type: ignore[attr-defined]
    assert page.errors == [] and page.remote == []  # type: ignore[attr-defined]


@pytest.mark.browser
def test_a_target_shows_its_timeline_and_both_sentences(page: object):
    page.fill("#indicator", "地区生产总值")  # type: ignore[attr-defined]
    card = page.locator(".card[data-government='河北省人民政府']")  # type: ignore[attr-defined]
    assert card.locator("svg.timeline circle").count() >= 3  # two targets, one outcome
    card.locator("tr.row[data-verdict=met]").click()
    evidence = card.locator("tr.evidence").inner_text()
    assert "目标 target: 综合考虑各方面因素" in evidence and "结果 outcome: 全省生产总值突破4万亿元" in evidence
    assert "河北省人民政府 2021年报告" in evidence and "河北省人民政府 2022年报告" in evidence
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "targets-gdp.png"))  # type: ignore[attr-defined]
    page.fill("#indicator", "")  # type: ignore[attr-defined]
    assert page.errors == [] and page.remote == []  # type: ignore[attr-defined]


def test_the_targets_view_opens_where_the_node_view_refuses(bundled: Graph):
    """The targets page is built from the targets table, never the node graph: a graph over the
    node view's limit (here a limit of 100 nodes stands in for a corpus) still gets its page."""
    from kg.view import ViewTooLarge, render_html

    with pytest.raises(ViewTooLarge, match="more than a browser page can hold"):
        render_html(bundled, max_nodes=100)
    page = render_targets(bundled)
    assert len(page) < 200_000 and page.count('"met"') >= 1  # a compact table, not 2,457 nodes

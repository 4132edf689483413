"""kg.view.show: the explorer embedded as a notebook output is drawn, not blank, in a real
headless Chromium (the same engine as VS Code's notebook view and Chrome-based Jupyter)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg.store import load_graph
from kg.view import InlineView, show

pytestmark = pytest.mark.browser
CHROMIUM = Path(os.environ.get("KG_CHROMIUM", "/usr/bin/chromium"))
FIXTURE = Path(__file__).resolve().parent / "cases" / "analysis-fixture.ttl"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def test_inline_view_is_an_iframe_whose_page_is_escaped():
    view = show(load_graph(FIXTURE), height=420)
    html = view._repr_html_()
    assert html.startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;') and 'height="420"' in html
    assert 'sandbox="allow-scripts"' in html and "<script" not in html  # the page only lives inside srcdoc
    assert repr(view).startswith("<kg explorer: ") and " at 0x" not in repr(view)


def test_inline_view_draws_the_graph_inside_a_notebook_like_page(tmp_path: Path):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium; this test needs a real browser")
    from playwright.sync_api import sync_playwright

    view: InlineView = show(load_graph(FIXTURE), height=500)
    host = tmp_path / "notebook-output.html"
    host.write_text(f"<!DOCTYPE html><meta charset='utf-8'><h1>cell output</h1>{view._repr_html_()}", encoding="utf-8")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 700})
            errors: list[str] = []
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.goto(host.as_uri())
            frame = page.locator("iframe").element_handle().content_frame()
            assert frame is not None
            frame.wait_for_function("() => window.kgReady === true", timeout=20_000)
            count = "() => kgExplorer.network.body.data.nodes.getIds().length"
            drawn = frame.evaluate(count)
            labels = frame.evaluate("() => kgExplorer.network.body.data.nodes.get().map(n => n.label)")
            assert {"嘉定区", "南翔镇", "甲项目", "汽车"} <= set(labels)
            box = page.locator("iframe").bounding_box()
            assert box is not None and 500 <= box["height"] <= 502  # plus a 1px border
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "notebook-inline-explorer.png"))
            standalone = browser.new_page()  # the same page opened as a file draws the same nodes
            standalone.goto(view.save(tmp_path / "explorer.html").as_uri())
            standalone.wait_for_function("() => window.kgReady === true", timeout=20_000)
            assert standalone.evaluate(count) == drawn
        finally:
            browser.close()
    assert not errors

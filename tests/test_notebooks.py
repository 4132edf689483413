"""Every notebook in notebooks/ runs top to bottom from a clean clone (cwd notebooks/, as
Jupyter starts it, with an empty matplotlib cache), draws Chinese text with a real font (matplotlib
warns "Glyph … missing from font" when a character becomes a box), and is committed with its
outputs so that it renders on GitHub."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    names = [p.name for p in NOTEBOOKS]
    assert "01-explore-the-graph.ipynb" in names and "03-network-analysis.ipynb" in names


def _outputs(notebook: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", [])]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # A fresh, empty matplotlib cache for the kernel: charts must not depend on what an earlier
    # matplotlib run cached (the CJK font comes with the Python dependencies).
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "matplotlib"))
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    errors = [f"{o.ename}: {o.evalue}" for o in _outputs(notebook) if o.output_type == "error"]
    assert not errors
    stderr = "".join(o.text for o in _outputs(notebook) if o.output_type == "stream" and o.name == "stderr")
    assert "missing from font" not in stderr, f"{path.name} draws boxes for some characters:\n{stderr[:1000]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_with_its_outputs(path: Path):
    notebook = nbformat.read(path, as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code" and c.source.strip()]
    unrun = [i for i, c in enumerate(notebook.cells) if c in code and c.get("execution_count") is None]
    assert code and not unrun, f"{path.name}: cells {unrun} have no outputs; execute the notebook and save it"
    assert not [o for o in _outputs(notebook) if o.output_type == "error"], f"{path.name} was saved with an error"


@pytest.mark.parametrize("name, charts", [("01-explore-the-graph.ipynb", 2), ("03-network-analysis.ipynb", 3)])
def test_tour_and_network_notebooks_keep_their_charts_and_explorer(name: str, charts: int):
    path = next(p for p in NOTEBOOKS if p.name == name)
    outputs = _outputs(nbformat.read(path, as_version=4))
    assert sum("image/png" in o.get("data", {}) for o in outputs) == charts
    if name.startswith("03"):
        html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
        assert any(h.startswith("<iframe srcdoc=") for h in html), "the explorer is not inline"
        assert not any(" at 0x" in o.get("data", {}).get("text/plain", "") for o in outputs)  # stable outputs

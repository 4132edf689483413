"""Charts draw Chinese on any machine: a fresh or stale matplotlib cache, no system CJK font.

The font ships with the Python dependencies (mplfonts' Noto Sans CJK SC), so these run the
chart code in a fresh interpreter with an empty MPLCONFIGDIR and every system CJK font removed
from matplotlib's font list, as on a machine where none is installed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = r"""
import logging, warnings, io
from matplotlib import font_manager
hidden = {"Noto Sans CJK SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Droid Sans Fallback", "Noto Sans SC"}
font_manager.fontManager.ttflist = [f for f in font_manager.fontManager.ttflist if f.name not in hidden]
import matplotlib
matplotlib.use("Agg")
log = io.StringIO()
logging.getLogger("matplotlib").addHandler(logging.StreamHandler(log))
from kg.analysis.charts import new_figure, use_cjk_font
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    family = use_cjk_font()
    fig, ax = new_figure(3, 2)
    ax.set_title("地区生产总值增长")
    fig.savefig(io.BytesIO(), format="png")
messages = [str(w.message) for w in caught] + [log.getvalue()]
print("FAMILY", family)
print("MISSING", any("missing from font" in m for m in messages))
"""


def _run(tmp_path: Path, script: str) -> str:
    env = {**os.environ, "MPLCONFIGDIR": str(tmp_path / "mpl")}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_chinese_draws_with_a_fresh_cache_and_no_system_cjk_font(tmp_path: Path) -> None:
    out = _run(tmp_path, SCRIPT)
    assert "FAMILY Noto Sans CJK SC" in out and "MISSING False" in out, out


def test_a_stale_cache_built_before_any_cjk_font_does_not_matter(tmp_path: Path) -> None:
    """A cache written first, without CJK fonts (matplotlib ran before kg was installed)."""
    stale = ("from matplotlib import font_manager as fm, get_cachedir\n"
             "fm.fontManager.ttflist = [f for f in fm.fontManager.ttflist if 'CJK' not in f.name "
             "and 'WenQuanYi' not in f.name]\n"
             "from pathlib import Path\n"
             "fm.json_dump(fm.fontManager, Path(get_cachedir(), f'fontlist-v{fm.FontManager.__version__}.json'))\n")
    _run(tmp_path, stale)
    assert list((tmp_path / "mpl").glob("fontlist-*.json"))
    out = _run(tmp_path, SCRIPT)
    assert "FAMILY Noto Sans CJK SC" in out and "MISSING False" in out, out


def test_without_any_cjk_font_charts_warn_and_still_draw(tmp_path: Path) -> None:
    script = SCRIPT.replace("from kg.analysis.charts import", "import kg.analysis.charts as c\n"
                            "c.bundled_font = lambda: None\nfrom kg.analysis.charts import")
    out = _run(tmp_path, script)
    assert "FAMILY None" in out, out

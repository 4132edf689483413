"""Charts for notebooks: matplotlib set up so that Chinese labels render (no boxes for 汉字).

matplotlib's default font, DejaVu Sans, has no CJK glyphs: every Chinese character becomes a
box ("tofu") and a warning. :func:`use_cjk_font` makes a CJK font the default sans-serif family;
call it once at the top of a notebook::

    from kg.analysis.charts import use_cjk_font
    use_cjk_font()          # 'Noto Sans CJK SC'

The font comes with the Python dependencies: Noto Sans CJK SC (SIL Open Font License) from the
``mplfonts`` package, registered with matplotlib by file path. So charts look the same on every
machine, and a matplotlib font cache built before any CJK font was installed (a machine where
matplotlib ran before kg was installed) does not matter: the font is added to the running
font manager whatever the cache says. Without ``mplfonts``, an installed system font of
:data:`CJK_FAMILIES` is used; with neither, a warning says what to install and charts fall back
to the default font (Chinese drawn as boxes) instead of failing.

>>> use_cjk_font() in CJK_FAMILIES
True
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Annotation

#: The font shipped with the dependencies (``mplfonts``), used first.
BUNDLED_FAMILY = "Noto Sans CJK SC"
BUNDLED_FILE = "NotoSansCJKsc-Regular.otf"
#: System font families tried in order when the bundled font is missing.
CJK_FAMILIES: tuple[str, ...] = (
    BUNDLED_FAMILY, "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Droid Sans Fallback", "SimHei",
    "Microsoft YaHei", "PingFang SC", "Heiti SC", "AR PL UMing CN",
)
INSTALL_HINT = ("pip install mplfonts (it ships Noto Sans CJK SC), or install a system CJK font, e.g. on "
                "Debian/Ubuntu: sudo apt-get install fonts-noto-cjk")


def bundled_font() -> Path | None:
    """The path of the CJK font that installs with kg's dependencies, or ``None``."""
    try:
        from importlib.resources import files

        path = files("mplfonts") / "fonts" / BUNDLED_FILE
    except (ImportError, ModuleNotFoundError):
        return None
    return Path(str(path)) if path.is_file() else None


def find_cjk_font() -> str | None:
    """The family name of the first installed font of :data:`CJK_FAMILIES`, or ``None``."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in installed:
            return family
    return None


@lru_cache(maxsize=1)
def _register_bundled() -> str | None:
    """Add the bundled font to matplotlib's running font manager (once); its family name."""
    from matplotlib import font_manager

    path = bundled_font()
    if path is None:
        return None
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def use_cjk_font() -> str | None:
    """Make a CJK font matplotlib's default sans-serif family and return its name.

    The bundled Noto Sans CJK SC first, else an installed system font; with neither, warn
    (naming what to install) and return ``None``: charts still draw, with boxes for Chinese.
    """
    import matplotlib

    family = _register_bundled() or find_cjk_font()
    if family is None:
        warnings.warn(f"no font that can draw Chinese was found; charts will show boxes; {INSTALL_HINT}",
                      stacklevel=2)
        return None
    fallbacks = [f for f in matplotlib.rcParams["font.sans-serif"] if f != family]
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [family, *fallbacks]
    matplotlib.rcParams["axes.unicode_minus"] = False  # the CJK fonts lack U+2212 MINUS SIGN
    # WenQuanYi ships one weight, 500 (medium): asking for "normal" (400) works but logs a
    # warning for every text, so ask for the weight the font has.
    weight = _weight(family)
    if weight not in (None, 400, "normal", "regular"):
        for key in ("font.weight", "axes.titleweight", "axes.labelweight", "figure.titleweight"):
            if matplotlib.rcParams[key] in ("normal", 400):
                matplotlib.rcParams[key] = weight
    return family


def _weight(family: str) -> int | str | None:
    """The weight of the installed font closest to normal in ``family``."""
    from matplotlib import font_manager

    weights = [f.weight for f in font_manager.fontManager.ttflist if f.name == family]
    numeric = [w if isinstance(w, int) else font_manager.weight_dict.get(str(w), 400) for w in weights]
    return min(numeric, key=lambda w: abs(w - 400)) if numeric else None


def new_figure(width: float = 8.0, height: float = 5.0, *, dpi: int = 110) -> tuple[Figure, Axes]:
    """A figure and axes with the CJK font set up, sized for a notebook cell.

    >>> fig, ax = new_figure(4, 3)
    >>> fig.get_size_inches().tolist()
    [4.0, 3.0]
    """
    import matplotlib.pyplot as plt

    use_cjk_font()
    fig, ax = plt.subplots(figsize=(width, height), dpi=dpi)
    return fig, ax



def place_labels(
    ax: Axes,
    points: Mapping[str, tuple[float, float]],
    texts: Mapping[str, str],
    *,
    fontsize: float = 9,
    offset: float = 7,
) -> list[Annotation]:
    """Label points (network nodes, scatter points) so that no two labels overlap.

    Greedy and deterministic: labels are placed in the order of ``texts`` (put the most
    important first), each at the first free spot on rings of growing radius around its
    point — above, below, then diagonally and to the sides — and a thin line leads from a
    label placed away from its point back to it. A label with no free spot within 10 rings
    goes right above its point. Call it last, once the layout is final (after
    ``fig.tight_layout()``): positions are measured on the figure as it is then.

    >>> fig, ax = new_figure(3, 2)
    >>> labels = place_labels(ax, {"a": (0, 0), "b": (0, 0)}, {"a": "嘉定区", "b": "嘉定新城"})
    >>> fig.canvas.draw()
    >>> from matplotlib.text import Text
    >>> first, second = (Text.get_window_extent(label) for label in labels)
    >>> bool(first.overlaps(second)), labels[0].xyann != labels[1].xyann
    (False, True)
    """
    figure = ax.get_figure()
    if figure is None:
        return []
    ax.autoscale_view()  # limits are otherwise settled lazily, at the next draw
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    directions = [(0, 1), (0, -1), (0.7, 0.7), (-0.7, 0.7), (0.7, -0.7), (-0.7, -0.7), (1, 0), (-1, 0)]
    candidates = [(dx * offset * ring * 1.6, dy * offset * ring) for ring in range(1, 11) for dx, dy in directions]
    placed: list[Any] = []
    artists = []
    for key, text in texts.items():
        artist = ax.annotate(
            text, points[key], xytext=candidates[0], textcoords="offset points", ha="center", va="center",
            fontsize=fontsize, zorder=5,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75},
            arrowprops={"arrowstyle": "-", "color": "#555555", "lw": 0.5, "shrinkA": 0, "shrinkB": 3})
        for candidate in candidates:
            artist.xyann = candidate
            box = _text_box(artist, renderer)
            if not any(box.overlaps(other) for other in placed):
                break
        else:
            artist.xyann = candidates[0]
            box = _text_box(artist, renderer)
        placed.append(box)
        artists.append(artist)
    return artists


def _text_box(artist: Annotation, renderer: Any) -> Any:
    """The label's own box on the canvas, padded: ``Annotation.get_window_extent`` would
    include the leader line."""
    from matplotlib.text import Text

    artist.update_positions(renderer)  # place the text where its offset puts it
    return Text.get_window_extent(artist, renderer).padded(2)

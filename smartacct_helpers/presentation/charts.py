"""The chart base: the palette, a figure that shows itself as a PNG, titles and axes.

Every chart of the package is a function that takes a table and returns a
:class:`Chart`; the charts of each question live in its room (``charts.py``)
and draw with the pieces here. No chart reads data or computes an analysis.
"""

from __future__ import annotations

import io

import matplotlib.ticker as mticker
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from .formatting import money

PALETTE = {
    "A": "#1f4e79",
    "B": "#4f81bd",
    "C": "#a6c8e8",
    "D": "#c9c9c9",
    "field": "#1f4e79",
    "develop": "#e69f00",
    "small": "#4f81bd",
    "lapsed": "#c9c9c9",
    "accent": "#c0392b",
}


class Chart(Figure):
    """A matplotlib Figure that shows itself as a PNG in notebooks, the report and the dashboard.

    Made outside pyplot, so nothing is shown twice and nothing piles up in
    memory; Jupyter asks the figure for its picture through ``_repr_png_``.
    """

    def _repr_png_(self) -> bytes:
        """The chart as PNG, drawn once when everything fits on the figure.

        A chart is drawn and, if all it drew lies within the figure, its
        pixels are written as they are. Otherwise (a label or a legend
        reaching over the edge) it is drawn again, cropped to everything it
        holds (``bbox_inches="tight"``), so that nothing is ever cut off.
        """
        canvas = FigureCanvasAgg(self)
        canvas.draw()
        drawn = self.get_tightbbox(canvas.get_renderer())
        page = self.bbox_inches
        buf = io.BytesIO()
        if drawn.x0 >= page.x0 and drawn.y0 >= page.y0 and drawn.x1 <= page.x1 and drawn.y1 <= page.y1:
            Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3]).save(buf, format="png", compress_level=1)
        else:
            self.savefig(buf, format="png", bbox_inches="tight", facecolor="white")
        return buf.getvalue()


def _figure(width: float, height: float, ncols: int = 1, **kwargs):
    """A new :class:`Chart` with ``ncols`` axes side by side."""
    fig = Chart(figsize=(width, height), dpi=110)
    axes = fig.subplots(1, ncols, **kwargs)
    return fig, axes


def _title(ax, text: str, fontsize: float = 12, **kwargs) -> None:
    """A bold title at the left, at a fixed height above the axes.

    Fixed, because matplotlib otherwise measures the axes' top decorations
    at every draw to lift the title above tick labels on top, which no chart
    here has (about 8 ms of each slider move). ``kwargs`` go to
    ``Axes.set_title`` (``pad``, for one).
    """
    ax.set_title(text, loc="left", fontsize=fontsize, fontweight="bold", y=1.0, **kwargs)


def _style(ax, title: str | None = None) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.8)
    ax.set_axisbelow(True)
    if title:
        _title(ax, title)


def _money_axis(axis, currency: str, style: str = "en") -> None:
    axis.set_major_formatter(mticker.FuncFormatter(lambda v, _: money(v, currency, compact=True, style=style)))


def labelled_bars(labels, values, colors, texts, title: str, left: float = 0.4) -> Figure:
    """Horizontal bars, each labelled beside it with its text: the quick chart a slider redraws.

    One axis, no value axis (the texts carry the numbers), fixed margins and
    no layout pass, so that it is drawn once. ``left`` is the share of the
    width the bar names take.
    """
    fig, ax = _figure(8, 2.6)
    values = [float(v) for v in values]
    ax.barh(list(labels), values, color=list(colors), edgecolor="#777777", linewidth=0.5)
    ax.invert_yaxis()
    for i, (v, text) in enumerate(zip(values, texts)):
        ax.text(v, i, f" {text}", va="center", fontsize=9)
    ax.set_xlim(0, max(max(values, default=0.0), 1.0) * 2.2)  # room for the longest text beside the longest bar
    ax.xaxis.set_visible(False)
    ax.spines[["top", "right", "bottom"]].set_visible(False)
    ax.tick_params(axis="y", length=0)
    fig.text(0.01, 0.94, title, fontsize=12, fontweight="bold", va="top")
    fig.subplots_adjust(left=left, right=0.97, top=0.82, bottom=0.04)
    return fig


def _fast_layout(fig) -> None:
    """Fixed margins instead of a layout pass, for the charts a slider redraws.

    A chart shows itself cropped to everything it draws (``bbox_inches="tight"``
    in :class:`~smartacct_helpers.presentation.charts.Chart`), so nothing is cut off, and the
    redraw saves the time a layout pass takes.
    """
    fig.subplots_adjust(left=0.12, right=0.97, top=0.88, bottom=0.15)


def _annotate_bars(ax, bars, texts, inside=False, fontsize=9):
    for bar, text in zip(bars, texts):
        h = bar.get_height()
        if inside:
            y, va = bar.get_y() + h / 2, "center"
        else:
            y, va = bar.get_y() + h, ("top" if h < 0 else "bottom")
        ax.text(
            bar.get_x() + bar.get_width() / 2,
            y,
            text,
            ha="center",
            va=va,
            fontsize=fontsize,
            color="white" if inside else "#333333",
        )

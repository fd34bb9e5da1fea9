"""The chart base: the palette, a figure that shows itself as a PNG with its alt text, titles and axes.

Every chart of the package is a function that takes a table and returns a
:class:`Chart`; the charts of each question live in its room (``charts.py``)
and draw with the pieces here. No chart reads data or computes an analysis.

One colour means one thing in every chart (:data:`PALETTE`, in docs/method.md
"How to read the colours"); each chart says it in a legend and describes
itself in words (:attr:`Chart.alt`), which the report, the notebooks and the
dashboard give as the image's alt text.
"""

from __future__ import annotations

import base64
import html
import io
import textwrap

import matplotlib.ticker as mticker
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LinearSegmentedColormap, to_hex, to_rgb
from matplotlib.figure import Figure
from PIL import Image

from .formatting import money, share

#: what each colour means, in every chart of the report, the notebooks and the dashboard
PALETTE = {
    # who serves a customer: the segments, the treatment each gets and the channel it buys through
    "key account": "#6a3d9a",  # purple: the key-account programme
    "field": "#1f4e79",  # dark blue: field sales, the field segment, the field channel
    "develop": "#e69f00",  # orange: inside sales, the customers it develops, the inside channel
    "small": "#56b4e9",  # sky blue: self-service, the small customers, the online channel
    "lapsed": "#bdbdbd",  # grey: lapsed customers, nothing bought
    "all": "#7f7f7f",  # dark grey: all customers together, the base rate
    "distributor": "#cc79a7",  # pink: sold through distributors
    "retail": "#999933",  # olive: sold through retail
    # the ABC classes by revenue: a sand ramp, darkest the largest (D: nothing bought, like the lapsed)
    "A": "#6b4226",
    "B": "#a0785a",
    "C": "#d9c2a7",
    "D": "#e3e3e3",
    # the relationship classes of the key-account candidates: a purple ramp, darkest the closest
    "strategic partner": "#3f007d",
    "key account class": "#8c6bb1",
    "large account": "#c2b5dc",
    "transactional": "#e7e1ef",
    "not assessed": "#f2f2f2",
    # money and its direction
    "figure": "#34495e",  # slate: the client's own figures (revenue, customers) from its data
    "estimate": "#9fb3c8",  # light slate, hatched: an estimate resting on assumptions (article, default, input)
    "potential": "#d5dbe1",  # pale slate: the potential, the gap to it
    "before": "#aab7c4",  # light slate: today, before a change (the change itself is dark)
    "margin": "#2e8b57",  # green: contribution margin, profit, benefit, gain, the better case
    "cost": "#c0392b",  # red: cost, loss, customers at risk, the worse case
    # lines and text
    "reference": "#555555",  # a threshold, a limit, zero
    "text": "#333333",
    "muted": "#777777",
    "grid": "#e5e5e5",
    "on dark": "#ffffff",
}
#: the hatch of an estimate resting on assumptions (beside the client's own figure, which is solid)
HATCH = {"estimate": "//"}
#: a short legend entry per colour, for "how to read the colours"
MEANINGS = {
    "key account": "key-account programme",
    "field": "field sales, field segment",
    "develop": "inside sales, develop segment",
    "small": "self-service, small customers, online",
    "lapsed": "lapsed, nothing bought",
    "A": "ABC class A (darkest) to D (lightest)",
    "strategic partner": "relationship class, strategic partner (darkest) to transactional (lightest)",
    "figure": "the client's own figure",
    "estimate": "an estimate resting on assumptions (hatched)",
    "before": "today, before a change",
    "margin": "margin, profit, gain, the better case",
    "cost": "cost, loss, at risk, the worse case",
}


def shades(meaning: str, n: int) -> list[str]:
    """``n`` shades of one meaning's colour, from the colour itself towards white (the parts of one whole).

    >>> shades("cost", 2)
    ['#c0392b', '#e6b0aa']
    """
    base = np.array(to_rgb(PALETTE[meaning]))
    return [to_hex(base + (1 - base) * 0.6 * i / max(n - 1, 1)) for i in range(n)]


def colormap(kind: str = "sequential") -> LinearSegmentedColormap:
    """The heat maps' colours: ``sequential`` (white to slate: more is darker) or ``profit`` (red loss, green profit)."""
    if kind == "profit":
        return LinearSegmentedColormap.from_list("smartacct_profit", [PALETTE["cost"], "#ffffff", PALETTE["margin"]])
    return LinearSegmentedColormap.from_list("smartacct", ["#f3f6fa", PALETTE["estimate"], PALETTE["figure"]])


def wrap(name, width: int = 26) -> str:
    """A name on as many lines of at most ``width`` characters as it needs: never cut.

    >>> wrap("Heizung und Sanitär Müller-Lüdenscheidt GmbH & Co. KG", 26)
    'Heizung und Sanitär\\nMüller-Lüdenscheidt GmbH &\\nCo. KG'
    """
    text = str(name)
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) or text


def lines(labels) -> int:
    """How many lines the longest of ``labels`` takes."""
    return max((str(label).count("\n") + 1 for label in labels), default=1)


class Chart(Figure):
    """A matplotlib Figure that shows itself as a PNG with its alt text in notebooks, the report and the dashboard.

    Made outside pyplot, so nothing is shown twice and nothing piles up in
    memory. ``alt`` says in words what the chart shows (each chart function
    sets it); notebooks get the PNG with ``alt`` in its metadata (which
    nbconvert writes as the image's alt text), :meth:`html` gives the
    ``<img>`` to embed.
    """

    alt: str = ""

    def describe(self, text: str) -> Chart:
        """Set the words that say what the chart shows (its alt text); returns the chart."""
        self.alt = " ".join(str(text).split())
        return self

    def alt_text(self) -> str:
        """The chart's alt text: what its function said, else its titles."""
        if self.alt:
            return self.alt
        titles = [ax.get_title(loc="left") or ax.get_title() for ax in self.axes]
        titles += [t.get_text() for t in self.texts]
        words = "; ".join(t.replace("\n", " ") for t in titles if t)
        return f"Chart: {words}" if words else "Chart"

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"image/png": self._repr_png_()}, {"image/png": {"alt": self.alt_text()}}

    def html(self) -> str:
        """The chart as an ``<img>`` with its alt text and the PNG inside (nothing loaded from elsewhere)."""
        data = base64.b64encode(self._repr_png_()).decode("ascii")
        return f'<img alt="{html.escape(self.alt_text())}" src="data:image/png;base64,{data}">'

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
    ax.grid(axis="y", color=PALETTE["grid"], linewidth=0.8)
    ax.set_axisbelow(True)
    if title:
        _title(ax, title)


def _money_axis(axis, currency: str, style: str = "en") -> None:
    axis.set_major_formatter(mticker.FuncFormatter(lambda v, _: money(v, currency, compact=True, style=style)))


def pct(value, style: str = "en", decimals: int = 0, signed: bool = False) -> str:
    """A fraction as a chart writes it, in the number format: whole percent unless ``decimals`` say more.

    The one way charts, their labels and their alt texts write a share, the same as the tables.

    >>> pct(0.374, "de"), pct(0.374, "de", 1), pct(0.052, "en", 1, signed=True)
    ('37 %', '37,4 %', '+5.2 %')
    """
    return share(value, decimals, style, signed)


def share_formatter(style: str = "en", decimals: int = 0) -> mticker.FuncFormatter:
    """An axis (or colour bar) formatter for fractions: 0.37 is "37 %", in the number format (:func:`pct`).

    >>> share_formatter("de", 1)(0.125, 0)
    '12,5 %'
    """
    return mticker.FuncFormatter(lambda v, _: pct(v, style, decimals))


def _fast_layout(fig) -> None:
    """Fixed margins instead of a layout pass, for the charts a slider redraws.

    A chart shows itself cropped to everything it draws (``bbox_inches="tight"``
    in :class:`~smartacct_helpers.presentation.charts.Chart`), so nothing is cut off, and the
    redraw saves the time a layout pass takes.
    """
    fig.subplots_adjust(left=0.12, right=0.97, top=0.88, bottom=0.15)


def _annotate_bars(ax, bars, texts, inside=False, fontsize=9):
    for bar, text in zip(bars, texts, strict=False):
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
            color=PALETTE["on dark"] if inside else PALETTE["text"],
        )

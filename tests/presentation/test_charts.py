"""Chart helpers shared by every chart."""

import io

import numpy as np
from PIL import Image

from smartacct_helpers.presentation.charts import Chart, _title


def _pixels(title_with) -> np.ndarray:
    fig = Chart(figsize=(4, 2.5), dpi=100)
    ax = fig.subplots()
    ax.bar(["A", "B"], [3, 5])
    title_with(ax)
    fig.subplots_adjust(top=0.8)
    return np.asarray(Image.open(io.BytesIO(fig._repr_png_())))


def test_a_fixed_title_sits_where_matplotlib_would_place_it():
    # the title is placed without measuring the axes on each draw; with no tick labels on top the picture is the same
    fixed = _pixels(lambda ax: _title(ax, "Customers per class", pad=12))
    placed = _pixels(lambda ax: ax.set_title("Customers per class", loc="left", fontsize=12, fontweight="bold", pad=12))
    assert fixed.shape == placed.shape and (fixed == placed).all()
    # and the title was drawn: the same chart without it differs
    untitled = _pixels(lambda ax: None)
    assert (fixed != untitled).any()

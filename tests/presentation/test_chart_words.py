"""Every chart says in words what it shows, keeps every name whole, and draws with the one palette."""

import ast
import importlib
import inspect
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from smartacct_helpers.presentation import charts as base
from smartacct_helpers.presentation.charts import PALETTE, Chart, wrap

PACKAGE = Path(base.__file__).resolve().parents[1]
#: every room's charts module (the chart base itself holds the palette)
ROOMS = sorted(p.parent.name for p in PACKAGE.glob("*/charts.py") if p.parent.name != "presentation")
#: a room's functions that return charts, the helpers (leading underscore) aside: those of its charts
#: module and of the chart modules beside it that it brings in (key_accounts.profit_charts, say)
CHART_FUNCTIONS = {
    f"{room}.{name}": function
    for room in ROOMS
    for name, function in inspect.getmembers(importlib.import_module(f"smartacct_helpers.{room}.charts"))
    if inspect.isfunction(function)
    and function.__module__.startswith(f"smartacct_helpers.{room}.")
    and function.__module__.endswith("charts")
    and not name.startswith("_")
}

#: words each chart's alt text must hold: what it shows
SAYS = {
    "introduction.pilot_size_chart": "How large the pilot has to be",
    "data_overview.revenue_by_year_chart": "Revenue per calendar year",
    "small_customers.pareto_chart": "Pareto curve",
    "small_customers.threshold_chart": "sales threshold",
    "small_customers.segment_chart": "per segment",
    "small_customers.c_groups_chart": "C customers per group",
    "field_visits.visit_cost_waterfall": "cost of one field visit",
    "field_visits.threshold_heatmap": "Heat map of the sales threshold",
    "field_visits.below_threshold_abc_chart": "per ABC class",
    "field_visits.distance_threshold_chart": "distance",
    "potential.potential_methods_chart": "Potential per industry",
    "potential.potential_gap_chart": "gap to the potential",
    "potential.share_of_wallet_chart": "share of wallet",
    "inside_sales.cost_benefit_chart": "yearly cost",
    "inside_sales.scenario_chart": "ROI and the payback month per scenario",
    "inside_sales.cash_curve_chart": "cumulative net cash",
    "inside_sales.monte_carlo_chart": "simulated runs",
    "inside_sales.channel_mix_chart": "by channel",
    "inside_sales.workload_chart": "inside reps",
    "key_accounts.lorenz_chart": "Lorenz curve",
    "key_accounts.top_customers_chart": "largest customers",
    "key_accounts.worst_case_chart": "losing the largest accounts",
    "key_accounts.whale_chart": "Whale curves",
    "key_accounts.value_analysis_chart": "cost to serve",
    "key_accounts.value_by_period_chart": "periods",
    "key_accounts.scorecard_movement_chart": "relationship class",
    "key_accounts.size_vs_relationship_chart": "scorecard score",
    "key_accounts.account_value_chart": "account-value score",
    "key_accounts.portfolio_map_chart": "treatment",
    "key_accounts.treatment_chart": "per treatment",
    "key_accounts.strategy_grid": "strateg",
    "key_accounts.discount_trend_chart": "discount",
    "key_accounts.mutual_chart": "both sides",
    "levers.lever_chart": "Operating profit per segment",
    "levers.transition_heatmap": "between ABC classes",
    "review.amortisation_chart": "cost of the inside-sales team",
    "review.group_growth_chart": "Revenue growth",
    "early_warning.backtest_chart": "Backtest",
}

LONG_NAME = "Heizungs- und Sanitärtechnik Müller-Lüdenscheidt Gebäudeservice GmbH & Co. KG"


def test_every_chart_function_has_its_words():
    """A new chart function needs its entry here, and so an alt text that is checked."""
    assert sorted(SAYS) == sorted(CHART_FUNCTIONS)


@pytest.fixture(scope="module")
def drawn():
    """Every chart the sections draw on a small generated supplier: {function: [alt texts]}."""
    import tempfile

    from smartacct_helpers.facts.workbook import Workbook
    from smartacct_helpers.sample.write import write_sample
    from tests.degradation import import_all_sections

    folder = Path(tempfile.mkdtemp())
    write_sample(folder, customers=400, years=3, seed=7)
    workbook = Workbook.open(folder / "params.yaml")
    said: dict[str, list[str]] = {}
    describe = Chart.describe

    def recording(self, text):
        frame = inspect.currentframe().f_back
        while frame is not None:
            module = frame.f_globals.get("__name__", "")
            room_chart = module.endswith("charts") and not module.endswith("presentation.charts")
            if room_chart and (not frame.f_code.co_name.startswith("_") or frame.f_code.co_name == "_empty"):
                break
            frame = frame.f_back
        if frame is not None:
            name = frame.f_code.co_name
            if name == "_empty":  # the chart that found nothing to draw: its caller
                name = frame.f_back.f_code.co_name
            room = frame.f_globals["__name__"].split(".")[-2]
            said.setdefault(f"{room}.{name}", []).append(" ".join(str(text).split()))
        return describe(self, text)

    Chart.describe = recording
    try:
        for functions in import_all_sections().values():
            for function in functions:
                for item in function(workbook):
                    if isinstance(item, Chart):
                        assert item.alt, f"{function.__name__} drew a chart without alt text"
    finally:
        Chart.describe = describe
    return said


def test_the_sections_charts_say_what_they_show(drawn):
    # the dashboard-only and trimmed-away functions aside, each chart the notebooks draw is among them
    missing = [name for name in CHART_FUNCTIONS if name not in drawn]
    print(missing)
    assert len(missing) <= 3, missing
    for name, texts in drawn.items():
        for text in texts:
            assert SAYS[name].lower() in text.lower(), (name, text)
            assert "nan" not in re.findall(r"\b\w+\b", text), (name, text)
            assert "_" not in text, (name, text)  # no code names


def test_an_alt_text_carries_the_chart_s_numbers():
    from smartacct_helpers.small_customers.charts import segment_chart

    summary = pd.DataFrame(
        {"customers": [3, 12], "revenue_share": [0.75, 0.25]},
        index=["field sales (above the sales threshold)", "small customers to manage"],
    )
    alt = segment_chart(summary).alt
    # 3 customers bring 75.0 % and 12 bring 25.0 %, as given
    assert "field sales (above the sales threshold): 3 customers, 75.0 % of revenue" in alt
    assert "small customers to manage: 12 customers, 25.0 % of revenue" in alt
    # the client's number format: a decimal comma before the percent sign, a space after the number
    assert "3 customers, 75,0 % of revenue" in segment_chart(summary, "de").alt


def test_charts_write_shares_and_currencies_in_the_number_format():
    import numpy as np

    from smartacct_helpers.field_visits.charts import threshold_heatmap
    from smartacct_helpers.inside_sales.charts import monte_carlo_chart
    from smartacct_helpers.presentation.charts import pct, share_formatter

    assert [pct(0.374, "de"), pct(0.374, "en"), pct(0.0126, "de", 1, signed=True)] == ["37 %", "37 %", "+1,3 %"]
    assert share_formatter("de", 1)(0.375, 0) == "37,5 %"
    # ten runs: ROI -10 %, 0 %, 10 %, ..., 80 %; median 35 % (between 30 and 40), one loss in ten
    roi = np.arange(-0.1, 0.85, 0.1)
    chart = monte_carlo_chart(roi, 0.25, 0.755, style="de")
    axis = [t.get_text() for t in chart.axes[0].get_xticklabels()]
    assert axis and all(t.endswith(" %") and "." not in t for t in axis), axis
    assert "median ROI 35 %" in chart.alt and "10 % of runs make a loss" in chart.alt
    assert "within 24 months in 76 %." in chart.alt  # 75.5 % rounds to 76 %
    assert "%" not in chart.alt.replace(" %", "")  # never "37%"
    # the heat map's title and its cells write the currency the same way: € under de
    grid = pd.DataFrame([[8_000.0, 16_000.0]], index=[4], columns=[0.05, 0.10])
    heat = threshold_heatmap(grid, currency="EUR", style="de")
    title = heat.axes[0].get_title(loc="left")
    cells = [t.get_text() for t in heat.axes[0].texts]
    assert "(€)" in title and "EUR" not in title
    assert cells == ["8k", "16k"] and [t.get_text() for t in heat.axes[0].get_xticklabels()] == ["5 %", "10 %"]


def test_a_chart_shows_itself_with_its_alt_text():
    fig = Chart(figsize=(2, 1.5), dpi=50)
    fig.subplots().bar(["a"], [1])
    fig.describe('Bars of "a" & b')
    data, metadata = fig._repr_mimebundle_()
    assert data["image/png"][:8] == b"\x89PNG\r\n\x1a\n"
    assert metadata["image/png"]["alt"] == 'Bars of "a" & b'
    html = fig.html()
    assert html.startswith('<img alt="Bars of &quot;a&quot; &amp; b" src="data:image/png;base64,')


def test_a_chart_without_words_falls_back_to_its_title():
    fig = Chart(figsize=(2, 1.5), dpi=50)
    ax = fig.subplots()
    ax.set_title("Customers per class", loc="left")
    assert fig.alt_text() == "Chart: Customers per class"


def _tick_labels(fig) -> list[str]:
    texts = []
    for ax in fig.axes:
        texts += [t.get_text() for t in ax.get_yticklabels() + ax.get_xticklabels()]
        texts += [t.get_text() for t in ax.texts]
    return texts


def test_long_names_are_wrapped_never_cut():
    from smartacct_helpers.key_accounts.charts import portfolio_map_chart, top_customers_chart, value_analysis_chart

    accounts = pd.DataFrame(
        {
            "customer_id": ["K1", "K2"],
            "name": [LONG_NAME, "Baumarkt Müller KG"],
            "revenue_share": [0.3, 0.1],
            "margin_share": [0.2, 0.1],
            "contribution_margin_12m": [50_000.0, 10_000.0],
            "operating_profit_12m": [20_000.0, -1_000.0],
            "cost_to_serve_12m": [30_000.0, 11_000.0],
            "revenue_12m": [900_000.0, 300_000.0],
            "potential": [1_000_000.0, 400_000.0],
            "treatment": ["key-account programme", "field sales"],
            "key_account": [True, False],
        }
    )
    for fig in (
        top_customers_chart(accounts),
        value_analysis_chart(accounts),
        portfolio_map_chart(accounts, label_top=2),
    ):
        fig._repr_png_()  # drawn, so that every label holds its final text
        labels = _tick_labels(fig)
        assert not [t for t in labels if "..." in t or "…" in t]
        whole = [t for t in labels if " ".join(t.split()) == LONG_NAME]
        assert whole, labels  # the whole name, on more than one line
        assert all("\n" in t for t in whole)


def test_wrap_keeps_every_word():
    text = wrap(LONG_NAME, 20)
    assert text.split() == LONG_NAME.split()
    assert max(len(line) for line in text.split("\n")) <= 20  # no word of the name is longer


#: a colour written out: #rgb or #rrggbb, a named matplotlib colour map, or a named colour as an argument
COLOUR_LITERAL = re.compile(r"""["']#[0-9a-fA-F]{3,8}["']|cmap=["']|colormaps\[|color=["'](?!none)[a-z]+["']""")


@pytest.mark.parametrize("room", ROOMS + ["delivery/changes_section"])
def test_the_charts_draw_with_the_one_palette(room):
    """No chart writes out a colour: each takes it from the palette, by what it means."""
    # the room's charts module and the chart modules beside it (key_accounts/profit_charts.py, chart_style.py)
    paths = [PACKAGE / f"{room}.py"] if "/" in room else sorted((PACKAGE / room).glob("*chart*.py"))
    for path in paths:
        source = path.read_text(encoding="utf-8")
        assert COLOUR_LITERAL.findall(source) == [], path.name
        ast.parse(source)  # and the module is whole


def test_the_palette_gives_each_meaning_its_own_colour():
    # the four who-serves-whom colours, money's green and red, and the client's slate are all different
    meanings = ["key account", "field", "develop", "small", "lapsed", "margin", "cost", "figure", "A", "B", "C"]
    colours = [PALETTE[m].lower() for m in meanings]
    assert len(set(colours)) == len(colours)
    # orange means one thing: the develop segment (inside sales); no other meaning shares it
    assert [k for k, v in PALETTE.items() if v.lower() == PALETTE["develop"].lower()] == ["develop"]


def test_the_treatments_channels_and_segments_share_their_colours():
    from smartacct_helpers.inside_sales.charts import CHANNEL_COLORS
    from smartacct_helpers.key_accounts.charts import TREATMENT_COLORS

    assert TREATMENT_COLORS["field sales"] == CHANNEL_COLORS["field"] == PALETTE["field"]
    assert TREATMENT_COLORS["inside sales"] == CHANNEL_COLORS["inside"] == PALETTE["develop"]
    assert TREATMENT_COLORS["self-service"] == CHANNEL_COLORS["online"] == PALETTE["small"]
    assert TREATMENT_COLORS["key-account programme"] == PALETTE["key account"]


def test_shades_run_from_the_colour_towards_white():
    light = base.shades("cost", 3)
    assert light[0] == PALETTE["cost"]
    rgb = [np.array([int(c[i : i + 2], 16) for i in (1, 3, 5)]) for c in light]
    assert (rgb[1] >= rgb[0]).all() and (rgb[2] >= rgb[1]).all() and (rgb[2] < 255).any()


def test_the_trends_over_the_kept_reports_are_said_in_words():
    from smartacct_helpers.delivery.changes_section import trends_alt
    from smartacct_helpers.presentation.formatting import Numbers

    history = pd.DataFrame(
        {"customers_to_manage": [280, 276, 270], "hhi": [np.nan, np.nan, 0.05]},
        index=["2025-09-30", "2025-10-31", "2025-11-30"],
    )
    alt = trends_alt(history, Numbers())
    # three reports; only the customers to manage have two values or more: 280 at the first, 270 at the last
    assert alt.startswith("Line chart of 1 figure over the 3 kept reports from September 2025 to November 2025")
    assert "customers to manage from 280 to 270" in alt


def test_charts_name_groups_and_channels_in_the_tables_words():
    """An industry or channel reads the same in a chart as in the table under it (presentation.columns.words)."""
    from smartacct_helpers.inside_sales.charts import channel_mix_chart
    from smartacct_helpers.potential.charts import potential_gap_chart

    by_industry = pd.DataFrame(
        {"potential": [100.0, 80.0], "gap": [40.0, 20.0], "share_of_wallet": [0.6, 0.75]},
        index=pd.Index(["hvac", "retail_resellers"], name="industry"),
    )
    chart = potential_gap_chart(by_industry, "Revenue and gap")
    ticks = [t.get_text().replace("\n", " ") for t in chart.axes[0].get_yticklabels()]
    # the table's words (WORDS in presentation/columns.py), not the code names with spaces ("hvac", "retail resellers")
    assert ticks == ["retail, resellers", "heating, ventilation, air conditioning"]  # smallest potential first
    assert "heating, ventilation, air conditioning: 60 % share of wallet" in chart.alt
    mix = pd.DataFrame({"online": [0.25], "field": [0.75]}, index=pd.Index(["develop"], name="segment"))
    legend = [t.get_text() for t in channel_mix_chart(mix).axes[0].get_legend().get_texts()]
    assert legend == ["web shop", "field sales"]  # CHANNELS: online is the web shop


def test_the_review_names_its_groups_as_its_table_does():
    from smartacct_helpers.review.charts import group_growth_chart

    performance = pd.DataFrame(
        {"revenue_growth": [0.1, -0.02], "margin_rate_followup": [0.3, 0.25]},
        index=pd.Index(["managed", "other small"], name="group"),
    )
    chart = group_growth_chart(performance)
    # WORDS: "managed" -> "managed customers", "other small" -> "other small customers"
    assert [t.get_text().replace("\n", " ") for t in chart.axes[0].get_yticklabels()] == [
        "managed customers",
        "other small customers",
    ]
    assert chart.alt.startswith("Revenue growth") and "managed customers: growth +10.0 %" in chart.alt

"""The BG/NBD model: the published CDNOW fit, worked examples, the model's own simulation, edge cases."""

import subprocess
import sys
import zipfile

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, special

from smartacct_helpers.early_warning import bgnbd
from smartacct_helpers.early_warning.bgnbd import expected_purchases, fit_bgnbd, log_likelihood, probability_alive
from tests.conftest import require

# Fader, Hardie and Lee (2005), "Counting your customers the easy way", Marketing Science 24(2):
# the BG/NBD fitted to 2,357 CDNOW customers over 39 weeks, with a log-likelihood of -9582.4.
PUBLISHED = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
PUBLISHED_LOG_LIKELIHOOD = -9582.4

CDNOW_IN_WHEEL = "lifetimes/datasets/cdnow_customers_summary.csv"


def frame(x, t_x, T, index=None) -> pd.DataFrame:
    return pd.DataFrame({"x": x, "t_x": t_x, "T": T}, index=index)


@pytest.fixture(scope="session")
def cdnow(request, tmp_path_factory) -> pd.DataFrame:
    """The CDNOW summary shipped in the lifetimes 0.11.3 wheel, downloaded once (kept in pytest's cache if it runs)."""
    cache = getattr(request.config, "cache", None)
    folder = cache.mkdir("cdnow-summary") if cache is not None else tmp_path_factory.mktemp("cdnow-summary")
    wheels = sorted(folder.glob("*ifetimes-0.11.3-*.whl"))
    if not wheels:
        command = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "lifetimes==0.11.3",
            "--no-deps",
            "--only-binary",
            ":all:",
            "--retries",
            "1",
            "--timeout",
            "60",
            "-d",
            str(folder),
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=300)
            why = (done.stderr.strip().splitlines() or ["no message"])[-1]
        except subprocess.TimeoutExpired:
            why = "no answer within 5 minutes"
        wheels = sorted(folder.glob("*ifetimes-0.11.3-*.whl"))
        require(
            bool(wheels),
            "The CDNOW summary (in the lifetimes 0.11.3 wheel on PyPI)",
            f"pip could not download it ({why}); it needs a network connection",
        )
    with zipfile.ZipFile(wheels[0]) as wheel, wheel.open(CDNOW_IN_WHEEL) as data:
        summary = pd.read_csv(data, index_col="ID")
    return summary.rename(columns={"frequency": "x", "recency": "t_x"})[["x", "t_x", "T"]]


def simulate(rng, n, params, T, ahead=0.0) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Customers drawn from the model itself: inputs, whether each is still alive at T, its purchases in (T, T + ahead].

    While alive a customer buys at rate ``lambda`` ~ gamma(r, alpha); after each repeat purchase it stops with
    probability ``p`` ~ beta(a, b), so it makes ``k`` ~ geometric(p) repeat purchases in all. Given ``bought``
    purchases in (0, T], their times are uniform, so the x-th lies at T x beta(x, bought - x + 1). Past T a
    living customer has ``k - bought`` purchases left (memoryless), at the same rate.
    """
    T = np.broadcast_to(np.asarray(T, dtype="float64"), (n,))
    rate = rng.gamma(params["r"], 1 / params["alpha"], n)
    k = rng.geometric(rng.beta(params["a"], params["b"], n))
    bought = rng.poisson(rate * T)
    x = np.minimum(bought, k)
    t_x = np.where(x > 0, T * rng.beta(np.maximum(x, 1), bought - x + 1), 0.0)
    alive = k > bought
    later = np.where(alive, np.minimum(rng.poisson(rate * ahead), k - bought), 0)
    return frame(x.astype("float64"), t_x, T), alive, later


# -- the published fit on CDNOW -----------------------------------------------------------------------------------


def test_cdnow_summary_is_the_published_cohort(cdnow):
    assert len(cdnow) == 2357
    assert cdnow["T"].max() < 39 and (cdnow["t_x"] <= cdnow["T"]).all()  # 39 weeks, in weeks


def test_cdnow_fit_reproduces_the_published_parameters(cdnow):
    params = fit_bgnbd(cdnow)
    for k, published in PUBLISHED.items():
        assert params[k] == pytest.approx(published, rel=0.01), k


def test_cdnow_log_likelihood_is_the_published_one(cdnow):
    # the paper's -9582.4, at its rounded parameters; the fit is at least as good
    assert log_likelihood(cdnow, PUBLISHED) == pytest.approx(PUBLISHED_LOG_LIKELIHOOD, abs=0.05)
    assert log_likelihood(cdnow, fit_bgnbd(cdnow)) >= log_likelihood(cdnow, PUBLISHED) - 1e-9


def test_cdnow_probability_alive_has_no_gaps(cdnow):
    alive = probability_alive(cdnow, fit_bgnbd(cdnow))
    assert alive.index.equals(cdnow.index)
    assert alive.notna().all() and alive.between(0, 1).all()
    assert (alive[cdnow["x"] == 0] == 1.0).all()


# -- the likelihood ---------------------------------------------------------------------------------------------


def test_log_likelihood_by_hand():
    # x = 1, t_x = 2, T = 4, r = 1, alpha = 1, a = 1, b = 1:
    # A1 = Gamma(2) 1^1 / Gamma(1) = 1; A2 = B(1, 2) / B(1, 1) = (1/2) / 1 = 1/2;
    # A3 = 5^-2 = 1/25; A4 = 1 / (1 + 1 - 1) x 3^-2 = 1/9; L = 1/2 x (1/25 + 1/9) = 17/225
    one = frame([1.0], [2.0], [4.0])
    assert log_likelihood(one, {"r": 1.0, "alpha": 1.0, "a": 1.0, "b": 1.0}) == pytest.approx(np.log(17 / 225))


def test_log_likelihood_adds_up_over_customers():
    params = {"r": 0.7, "alpha": 3.0, "a": 0.9, "b": 2.0}
    both = frame([0.0, 3.0], [0.0, 12.0], [20.0, 30.0])
    assert log_likelihood(both, params) == pytest.approx(
        log_likelihood(both.iloc[[0]], params) + log_likelihood(both.iloc[[1]], params)
    )
    assert log_likelihood(both.iloc[[]], params) == 0.0


def test_gradient_of_the_fit_is_the_derivative_of_the_likelihood():
    inputs, _, _ = simulate(np.random.default_rng(3), 500, PUBLISHED, T=40.0)
    x, t_x, T = (inputs[c].to_numpy() for c in ("x", "t_x", "T"))
    counts = bgnbd._by_count(x)
    for point in (np.log([0.5, 3.0, 1.2, 2.0]), np.log([2.0, 0.1, 5.0, 0.3])):
        value, gradient = bgnbd._negative(point, x, t_x, T, counts)
        numeric = optimize.approx_fprime(point, lambda p: bgnbd._negative(p, x, t_x, T, counts)[0], 1e-7)
        np.testing.assert_allclose(gradient, numeric, rtol=1e-4, atol=1e-3)
        r, alpha, a, b = np.exp(point)
        assert -value == pytest.approx(log_likelihood(inputs, {"r": r, "alpha": alpha, "a": a, "b": b}))


# -- the fit on data drawn from the model -----------------------------------------------------------------------


def test_fit_finds_the_parameters_it_was_drawn_from():
    true = {"r": 0.5, "alpha": 5.0, "a": 0.7, "b": 3.0}
    rng = np.random.default_rng(11)
    inputs, _, _ = simulate(rng, 50_000, true, T=rng.uniform(20, 80, 50_000))
    params = fit_bgnbd(inputs)
    for k in true:
        assert params[k] == pytest.approx(true[k], rel=0.05), k


# -- probability alive --------------------------------------------------------------------------------------------


def test_probability_alive_by_hand():
    # x = 1, t_x = 4, T = 10, r = 1, alpha = 2, a = 1, b = 2: odds = 1 / (2 + 1 - 1) x (12 / 6)^2 = 2, p = 1/3
    # x = 3, t_x = 10, T = 10 (bought on the day of scoring): odds = 1 / 4 x 1 = 1/4, p = 4/5
    p = probability_alive(frame([1.0, 3.0], [4.0, 10.0], [10.0, 10.0]), {"r": 1.0, "alpha": 2.0, "a": 1.0, "b": 2.0})
    assert p.tolist() == pytest.approx([1 / 3, 4 / 5])


def test_probability_alive_is_the_papers_formula():
    rng = np.random.default_rng(5)
    n = 200
    T = rng.uniform(0, 100, n)
    t_x = T * rng.uniform(0, 1, n)
    x = rng.integers(0, 40, n).astype("float64")
    r, alpha, a, b = 0.6, 8.0, 1.3, 4.0
    # eq. 13: 1 / (1 + [x > 0] a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x))
    paper = 1 / (1 + (x > 0) * a / (b + np.maximum(x, 1) - 1) * ((alpha + T) / (alpha + t_x)) ** (r + x))
    got = probability_alive(frame(x, t_x, T), {"r": r, "alpha": alpha, "a": a, "b": b})
    np.testing.assert_allclose(got.to_numpy(), paper, rtol=1e-12)


@pytest.mark.parametrize("params", [PUBLISHED, {"r": 50.0, "alpha": 0.01, "a": 100.0, "b": 0.01}])
def test_probability_alive_without_repeat_purchase_is_one(params):
    # a customer can only stop after a repeat purchase: all customers with one order are alive
    p = probability_alive(frame([0.0] * 4, [0.0] * 4, [0.0, 1.0, 52.0, 1e9]), params)
    assert p.tolist() == [1.0, 1.0, 1.0, 1.0]


def test_probability_alive_of_one_customer_keeps_its_id():
    p = probability_alive(
        frame([1.0], [4.0], [10.0], index=pd.Index(["K-17"], name="customer_id")),
        {"r": 1.0, "alpha": 2.0, "a": 1.0, "b": 2.0},
    )
    assert p.index.tolist() == ["K-17"] and p.index.name == "customer_id"
    assert p.iloc[0] == pytest.approx(1 / 3)


def test_probability_alive_at_extremes_has_no_nan():
    p = probability_alive(frame([5.0, 5.0, 1e6, 1e6], [10.0, 1e9, 1e9, 0.5], [1e9, 1e9, 1e9, 1e9]), PUBLISHED)
    assert p.notna().all() and p.between(0, 1).all()
    assert p.iloc[0] < 1e-12  # silent for a billion weeks: gone
    assert p.iloc[1] == pytest.approx(1 / (1 + 0.793 / (2.426 + 4)))  # bought on the day of scoring
    assert p.iloc[2] > 0.999999  # a million purchases, the last today
    assert p.iloc[3] == 0.0  # a million purchases, then silence (odds overflow a float)


def test_probability_alive_of_no_customers_is_empty():
    p = probability_alive(frame([], [], [], index=pd.Index([], name="customer_id", dtype="object")), PUBLISHED)
    assert len(p) == 0 and p.dtype == "float64" and p.index.name == "customer_id"


def test_probability_alive_matches_the_share_alive_in_a_simulation():
    # over customers drawn from the model, the mean probability alive is the share still alive
    inputs, alive, _ = simulate(np.random.default_rng(7), 200_000, PUBLISHED, T=39.0)
    p = probability_alive(inputs, PUBLISHED)
    standard_error = alive.std() / np.sqrt(len(alive))
    assert abs(p.mean() - alive.mean()) < 4 * standard_error


# -- expected purchases ahead -------------------------------------------------------------------------------------


def test_expected_purchases_of_the_authors_worked_example():
    # the worked example of the authors' spreadsheet for the paper, with the CDNOW parameters:
    # x = 2, t_x = 30.43, T = 38.86 -> 1.226 purchases in the next 39 weeks
    e = expected_purchases(frame([2.0], [30.43], [38.86]), PUBLISHED, 39)
    assert e.iloc[0] == pytest.approx(1.226, abs=5e-4)


def test_expected_purchases_is_the_papers_formula():
    # eq. 10 as printed, with 2F1(r + x, b + x; a + b + x - 1; z) itself, on counts small enough not to overflow
    r, alpha, a, b = PUBLISHED.values()
    x = np.array([0.0, 1.0, 2.0, 7.0, 20.0])
    t_x = np.array([0.0, 3.0, 30.43, 20.0, 38.0])
    T = np.array([10.0, 38.86, 38.86, 38.86, 38.86])
    t = 26.0
    z = t / (alpha + T + t)
    bracket = 1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * special.hyp2f1(r + x, b + x, a + b + x - 1, z)
    odds = (x > 0) * a / (b + np.maximum(x, 1) - 1) * ((alpha + T) / (alpha + t_x)) ** (r + x)
    paper = (a + b + x - 1) / (a - 1) * bracket / (1 + odds)
    got = expected_purchases(frame(x, t_x, T), PUBLISHED, t)
    np.testing.assert_allclose(got.to_numpy(), paper, rtol=1e-9)


def test_expected_purchases_match_a_simulation():
    # over customers drawn from the model, the mean expectation is the mean of the purchases that followed
    inputs, _, later = simulate(np.random.default_rng(9), 200_000, PUBLISHED, T=39.0, ahead=39.0)
    e = expected_purchases(inputs, PUBLISHED, 39)
    standard_error = later.std() / np.sqrt(len(later))
    assert abs(e.mean() - later.mean()) < 4 * standard_error


def test_expected_purchases_where_scipys_2f1_has_no_value():
    # r = a makes c - a - b = x + 1 a whole number, where scipy's 2F1 gives NaN near z = 1;
    # the value is the series 2F1(A, B; C; z) = sum of prod_j (A + j)(B + j) / ((C + j)(j + 1)) z, summed here
    params = {"r": 0.3, "alpha": 2.0, "a": 0.3, "b": 0.5}
    x, t_x, T, t = 300.0, 29.0, 30.0, 1e4
    z = t / (2.0 + T + t)
    A, B, C = 0.3 + 0.5 - 1 - 0.3, 0.3 - 1, 0.3 + 0.5 + x - 1
    j = np.arange(100_000)
    series = 1 + np.cumprod((A + j) * (B + j) / ((C + j) * (j + 1)) * z).sum()
    alive = probability_alive(frame([x], [t_x], [T]), params).iloc[0]
    by_hand = C / (0.3 - 1) * (1 - (1 - z) ** (0.3 - 1) * series) * alive
    e = expected_purchases(frame([x], [t_x], [T]), params, t)
    assert e.iloc[0] == pytest.approx(by_hand, rel=1e-8)


def test_expected_purchases_without_a_value_say_which_customer(monkeypatch):
    monkeypatch.setattr(bgnbd.special, "hyp2f1", lambda *args: np.full(np.shape(args[-1]), np.nan))
    with pytest.raises(ValueError, match="customer 'K-2' in the next 52 periods could not be worked out"):
        expected_purchases(frame([1.0], [1.0], [2.0], index=["K-2"]), PUBLISHED, 52)


def test_expected_purchases_edge_cases():
    e = expected_purchases(frame([0.0, 3.0, 1e6], [0.0, 20.0, 30.0], [0.0, 30.0, 30.0]), PUBLISHED, 0)
    assert e.tolist() == [0.0, 0.0, 0.0]  # nothing ahead: no purchases
    e = expected_purchases(frame([1e4, 5.0], [30.0, 1.0], [30.0, 1e9]), PUBLISHED, 52)
    assert e.notna().all()
    assert e.iloc[0] > 1000  # ten thousand purchases in 30 weeks and still at it
    assert e.iloc[1] < 1e-9
    assert len(expected_purchases(frame([], [], []), PUBLISHED, 52)) == 0
    with pytest.raises(ValueError, match="a other than 1"):
        expected_purchases(frame([1.0], [1.0], [2.0]), {**PUBLISHED, "a": 1.0}, 52)
    with pytest.raises(ValueError, match="period ahead"):
        expected_purchases(frame([1.0], [1.0], [2.0]), PUBLISHED, -1)


# -- degenerate and bad inputs ------------------------------------------------------------------------------------


def test_fit_without_repeat_purchases_says_why():
    # every customer one order: the likelihood does not depend on a and b, so there is nothing to fit
    with pytest.raises(ValueError, match="no customer made a repeat purchase"):
        fit_bgnbd(frame([0.0] * 50, [0.0] * 50, np.linspace(1, 50, 50)))
    with pytest.raises(ValueError, match="without customers"):
        fit_bgnbd(frame([], [], []))


@pytest.mark.parametrize(
    "inputs",
    [
        frame([1.0, 3.0], [5.0, 20.0], [30.0, 30.0]),  # two customers
        frame([2.0, 0.0], [5.0, 0.0], [30.0, 10.0]),  # two customers, one with a single order
        frame([4.0], [20.0], [30.0]),  # one customer
        frame([1.0] * 50, np.linspace(1, 40, 50), [50.0] * 50),  # every customer one repeat purchase
    ],
    ids=["two", "two, one single order", "one", "one repeat each"],
)
def test_fit_on_few_customers_is_finite(inputs):
    params = fit_bgnbd(inputs)
    values = np.array(list(params.values()))
    assert np.isfinite(values).all() and (values > 0).all()
    assert (np.abs(np.log(values)) <= bgnbd.LOG_LIMIT + 1e-9).all()
    # the search improved on where it started
    start = dict(zip(bgnbd.PARAMETERS, np.exp(bgnbd._START), strict=True))
    assert log_likelihood(inputs, params) >= log_likelihood(inputs, start)
    p = probability_alive(inputs, params)
    assert p.notna().all() and p.between(0, 1).all()


@pytest.mark.parametrize(
    "inputs, message",
    [
        (pd.DataFrame({"x": [1.0], "T": [3.0]}), "missing: t_x"),
        (frame([1.0, np.nan], [1.0, 1.0], [3.0, 3.0], index=["A", "B"]), "Column x .*customer 'B'"),
        (frame([1.0, 2.0], [1.0, -1.0], [3.0, 3.0], index=["A", "B"]), "Column t_x .*customer 'B'"),
        (frame([1.0], [5.0], [3.0], index=["A"]), "customer 'A': the last purchase"),
        (frame(["one"], [1.0], [3.0]), "Column x .*numbers"),
    ],
)
def test_bad_inputs_name_the_column_and_customer(inputs, message):
    with pytest.raises(ValueError, match=message):
        fit_bgnbd(inputs)
    with pytest.raises(ValueError, match=message):
        probability_alive(inputs, PUBLISHED)


@pytest.mark.parametrize(
    "params, message",
    [
        ({"r": 1.0, "alpha": 1.0, "a": 1.0}, "missing: b"),
        ({**PUBLISHED, "alpha": 0.0}, "alpha must be a positive number"),
        ({**PUBLISHED, "r": float("nan")}, "r must be a positive number"),
    ],
)
def test_bad_parameters_are_named(params, message):
    with pytest.raises(ValueError, match=message):
        probability_alive(frame([1.0], [1.0], [2.0]), params)


def test_probability_alive_of_two_customers_from_their_orders_by_hand():
    """A recent repeat buyer is very likely still buying; a frequent buyer silent for long is almost surely gone.

    Both ordered on 102 days from 5 January 2021, scored on 31 December 2025 (1,821 days = 260.143 weeks after the
    first order). "recent" ordered last on 24 December 2025 (1,814 days = 259.143 weeks after the first), "silent"
    on 27 January 2025 (1,483 days = 211.857 weeks), about every 14.7 days until then. With the sample's fit,
    rounded (r = 1.8, alpha = 13.3, a = 0.7, b = 104.8), and x = 101 repeat order days, the odds of having
    stopped are a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x), with 0.7 / 204.8 = 0.0034180 and
    r + x = 102.8:

    * recent: (273.443 / 272.443)^102.8 = 1.0036705^102.8 = e^(102.8 x 0.0036638) = e^0.37664 = 1.45737;
      odds 0.0034180 x 1.45737 = 0.0049813, P(alive) = 1 / 1.0049813 = 0.99504;
    * silent: (273.443 / 225.157)^102.8 = 1.214454^102.8 = e^(102.8 x 0.194289) = e^19.9729 = 4.7245e8;
      odds 0.0034180 x 4.7245e8 = 1.6148e6, P(alive) = 1 / 1.6148e6 = 6.19e-7.

    At about one order every two weeks, 48 weeks without one almost never happens to a customer still buying:
    the model's 0.0 % on the call list is its verdict, not an error of units or of the reference date.
    """
    import datetime as dt

    from smartacct_helpers.early_warning.rhythm import bgnbd_inputs

    days = {
        "recent": pd.date_range("2021-01-05", "2025-12-24", periods=102).normalize(),
        "silent": pd.date_range("2021-01-05", "2025-01-27", periods=102).normalize(),
    }
    orders = pd.DataFrame([{"customer_id": c, "date": d, "revenue": 100.0} for c, ds in days.items() for d in ds])
    inputs = bgnbd_inputs(orders, dt.date(2025, 12, 31))
    # weeks from the first order: the units the model is fitted in
    assert inputs.loc["recent"].tolist() == pytest.approx([101.0, 1814 / 7, 1821 / 7])
    assert inputs.loc["silent"].tolist() == pytest.approx([101.0, 1483 / 7, 1821 / 7])
    alive = probability_alive(inputs, {"r": 1.8, "alpha": 13.3, "a": 0.7, "b": 104.8})
    assert alive["recent"] == pytest.approx(0.99504, abs=1e-5)
    assert alive["silent"] == pytest.approx(6.19e-7, rel=1e-2)

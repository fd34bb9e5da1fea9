"""The BG/NBD model of repeat buying (Fader, Hardie and Lee 2005, "Counting your customers the easy way").

While a customer is "alive" it buys at its own steady rate ``lambda``; after
each repeat purchase it stops for good with its own probability ``p``. Across
customers the rates follow a gamma distribution (shape ``r``, rate
``alpha``) and the drop-out probabilities a beta distribution (``a``, ``b``).

Each customer is described by three numbers, in one unit of time (weeks in
the early warning):

* ``x``: the number of repeat purchases (purchases after the first one);
* ``t_x``: the time of the last purchase, counted from the first one
  (0 without a repeat purchase);
* ``T``: the time from the first purchase to the day of scoring.

:func:`fit_bgnbd` estimates the four parameters by maximum likelihood
(:func:`log_likelihood`, maximised with ``scipy.optimize`` on the
logarithms of the parameters); :func:`probability_alive` gives each
customer's probability of still buying and :func:`expected_purchases` the
expected number of purchases in the next ``t`` periods (eq. 10 of the
paper).

Examples
--------
Three customers, times in weeks: the first bought once only, the second
made four repeat purchases, the last one two weeks ago, the third two, the
last one 32 weeks ago. With r = 0.25, alpha = 4, a = 0.8, b = 2.4 the odds
of having stopped are 0.8 / 5.4 x (36 / 34)^4.25 = 0.1889 and
0.8 / 3.4 x (44 / 12)^2.25 = 4.3776:

>>> import pandas as pd
>>> inputs = pd.DataFrame({"x": [0, 4, 2], "t_x": [0.0, 30.0, 8.0], "T": [40.0, 32.0, 40.0]})
>>> params = {"r": 0.25, "alpha": 4.0, "a": 0.8, "b": 2.4}
>>> probability_alive(inputs, params).round(3).tolist()  # 1, 1 / 1.1889, 1 / 5.3776
[1.0, 0.841, 0.186]
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import optimize, special

PARAMETERS = ("r", "alpha", "a", "b")
INPUT_COLUMNS = ("x", "t_x", "T")

# The search runs on log-parameters within these limits (each parameter between
# e^-12 = 6e-6 and e^12 = 163,000). Data that pin the model well stay far inside;
# on very few customers an estimate may stop at a limit, and stays finite.
LOG_LIMIT = 12.0
_START = np.log([1.0, 10.0, 1.0, 3.0])


# -- inputs and parameters ----------------------------------------------------------------------------------------


def _columns(inputs: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``x``, ``t_x`` and ``T`` as float arrays, checked; a ValueError names the column and customer."""
    missing = [c for c in INPUT_COLUMNS if c not in inputs.columns]
    if missing:
        raise ValueError(f"The BG/NBD inputs need the columns x, t_x and T; missing: {', '.join(missing)}.")
    arrays = []
    for c in INPUT_COLUMNS:
        try:
            values = pd.to_numeric(inputs[c]).to_numpy(dtype="float64")
        except (ValueError, TypeError) as error:
            raise ValueError(f"Column {c} of the BG/NBD inputs must hold numbers ({error}).") from None
        bad = ~np.isfinite(values) | (values < 0)
        if bad.any():
            i = int(np.argmax(bad))
            raise ValueError(
                f"Column {c} of the BG/NBD inputs, customer {inputs.index[i]!r}: "
                f"needs a number of zero or more, not {values[i]}."
            )
        arrays.append(values)
    x, t_x, T = arrays
    late = t_x > T
    if late.any():
        i = int(np.argmax(late))
        raise ValueError(
            f"Column t_x of the BG/NBD inputs, customer {inputs.index[i]!r}: the last purchase "
            f"(t_x = {t_x[i]}) comes after the day of scoring (T = {T[i]})."
        )
    return x, t_x, T


def _parameters(params: dict[str, float]) -> tuple[float, float, float, float]:
    """``r``, ``alpha``, ``a``, ``b`` as floats, each positive and finite."""
    missing = [k for k in PARAMETERS if k not in params]
    if missing:
        raise ValueError(f"The BG/NBD parameters need r, alpha, a and b; missing: {', '.join(missing)}.")
    values = tuple(float(params[k]) for k in PARAMETERS)
    for k, v in zip(PARAMETERS, values, strict=False):
        if not (np.isfinite(v) and v > 0):
            raise ValueError(f"The BG/NBD parameter {k} must be a positive number, not {v}.")
    return values


# -- the likelihood -----------------------------------------------------------------------------------------------


def _by_count(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct repeat-purchase counts, where each customer's count sits among them, and how many have each.

    The gamma and beta functions of the likelihood depend on ``x`` alone, so
    they are worked out once per distinct count (a few dozen, against
    thousands of customers).
    """
    distinct, at, customers = np.unique(x, return_inverse=True, return_counts=True)
    return distinct, at, customers.astype("float64")


def _terms(r, alpha, a, b, x, t_x, T, counts):
    """Per customer: ln A1 + ln A2, ln A3 and ln A4 (minus infinity where x = 0) of the likelihood."""
    ux, at, _ = counts
    by_count = special.gammaln(r + ux) + special.betaln(a, b + ux)
    a12 = by_count[at] - special.gammaln(r) + r * np.log(alpha) - special.betaln(a, b)
    a3 = -(r + x) * np.log(alpha + T)
    repeat = x > 0
    a4 = np.full_like(x, -np.inf)
    xr = x[repeat]
    a4[repeat] = np.log(a) - np.log(b + xr - 1) - (r + xr) * np.log(alpha + t_x[repeat])
    return a12, a3, a4


def _negative(log_params: np.ndarray, x, t_x, T, counts) -> tuple[float, np.ndarray]:
    """Minus the log-likelihood and its gradient in the log-parameters."""
    r, alpha, a, b = np.exp(log_params)
    ux, _, n = counts
    a12, a3, a4 = _terms(r, alpha, a, b, x, t_x, T, counts)
    total = np.logaddexp(a3, a4)
    w = np.exp(a4 - total)  # the share of "stopped after the last purchase" in each customer's likelihood
    psi = special.digamma
    d_r = (
        psi(r + ux) @ n
        - len(x) * psi(r)
        + len(x) * np.log(alpha)
        - np.sum((1 - w) * np.log(alpha + T) + w * np.log(alpha + t_x))
    )
    d_alpha = len(x) * r / alpha - np.sum((r + x) * ((1 - w) / (alpha + T) + w / (alpha + t_x)))
    d_a = len(x) * psi(a + b) - psi(a + b + ux) @ n + w.sum() / a
    repeat = x > 0
    d_b = (psi(b + ux) - psi(a + b + ux)) @ n + len(x) * (psi(a + b) - psi(b)) - np.sum(w[repeat] / (b + x[repeat] - 1))
    gradient = np.array([d_r * r, d_alpha * alpha, d_a * a, d_b * b])
    return -float(np.sum(a12 + total)), -gradient


def log_likelihood(inputs: pd.DataFrame, params: dict[str, float]) -> float:
    """The BG/NBD log-likelihood of the customers, summed.

    Per customer ``ln L = ln A1 + ln A2 + ln(A3 + [x > 0] A4)`` with
    ``A1 = Gamma(r + x) alpha^r / Gamma(r)``, ``A2 = B(a, b + x) / B(a, b)``,
    ``A3 = (alpha + T)^-(r + x)`` and ``A4 = a / (b + x - 1) (alpha + t_x)^-(r + x)``,
    each term taken in logarithms (no overflow for many purchases).

    Parameters
    ----------
    inputs : DataFrame
        Columns ``x``, ``t_x`` and ``T``, one row per customer.
    params : dict
        ``r``, ``alpha``, ``a`` and ``b``.

    Returns
    -------
    float
        The log-likelihood; 0.0 without customers.

    Examples
    --------
    One customer without a repeat purchase, 3 weeks old: no purchase in 3
    weeks has probability ``(alpha / (alpha + T))^r``; with r = 1 and
    alpha = 1 that is 1/4, and ln(1/4) = -1.3863:

    >>> inputs = pd.DataFrame({"x": [0], "t_x": [0.0], "T": [3.0]})
    >>> round(log_likelihood(inputs, {"r": 1.0, "alpha": 1.0, "a": 1.0, "b": 1.0}), 4)
    -1.3863
    """
    r, alpha, a, b = _parameters(params)
    x, t_x, T = _columns(inputs)
    a12, a3, a4 = _terms(r, alpha, a, b, x, t_x, T, _by_count(x))
    return float(np.sum(a12 + np.logaddexp(a3, a4)))


# -- the fit ------------------------------------------------------------------------------------------------------


def fit_bgnbd(inputs: pd.DataFrame) -> dict[str, float]:
    """Fit the BG/NBD model by maximum likelihood.

    The log-likelihood (:func:`log_likelihood`) is maximised over the
    logarithms of the parameters, within ``e^-12`` to ``e^12`` each, by
    ``scipy.optimize.minimize`` with SLSQP and the exact gradient. (On
    samples of 10 to 1,000 customers SLSQP always came closest to the best
    value, before L-BFGS-B and TNC; L-BFGS-B also spends most of its time
    in threaded linear algebra when the machine is busy.)

    Parameters
    ----------
    inputs : DataFrame
        Columns ``x`` (repeat purchases), ``t_x`` (time of the last one) and
        ``T`` (age), one row per customer, in one unit of time.

    Returns
    -------
    dict
        ``{"r", "alpha", "a", "b"}``: the gamma distribution of the purchase
        rates (shape ``r``, rate ``alpha`` per unit of time) and the beta
        distribution of the drop-out probability after each purchase
        (``a``, ``b``). Always finite and positive; with very few customers
        an estimate may stop at a limit of the search.

    Raises
    ------
    ValueError
        Without customers; when no customer made a repeat purchase (the
        likelihood then does not depend on ``a`` and ``b``, and it only
        reaches its highest value as the purchase rate ``r / alpha`` goes
        to 0: there is nothing to estimate, and every such customer's
        :func:`probability_alive` is 1 whatever the parameters); on inputs
        that are not counts and times (the message names the column and
        customer); when the search fails.

    Examples
    --------
    Customers drawn from the model itself (r = 0.5, alpha = 5, a = 0.7,
    b = 3): each buys at its own rate while alive, stops after each repeat
    purchase with its own probability, and the last of its ``x`` purchases
    among the ``bought`` it would have made falls where the ``x``-th of
    ``bought`` uniform times does. The fit finds the parameters again:

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> T = rng.uniform(20, 80, 5000)
    >>> bought = rng.poisson(rng.gamma(0.5, 1 / 5, 5000) * T)
    >>> x = np.minimum(bought, rng.geometric(rng.beta(0.7, 3.0, 5000)))
    >>> t_x = np.where(x > 0, T * rng.beta(np.maximum(x, 1), bought - x + 1), 0.0)
    >>> params = fit_bgnbd(pd.DataFrame({"x": x, "t_x": t_x, "T": T}))
    >>> true = {"r": 0.5, "alpha": 5.0, "a": 0.7, "b": 3.0}
    >>> all(abs(params[k] / true[k] - 1) < 0.2 for k in true)
    True
    """
    x, t_x, T = _columns(inputs)
    if len(x) == 0:
        raise ValueError("The BG/NBD model cannot be fitted without customers.")
    if not (x > 0).any():
        raise ValueError(
            "The BG/NBD model cannot be fitted: no customer made a repeat purchase, "
            "so the data say nothing about how customers stop buying."
        )
    result = optimize.minimize(
        _negative,
        _START,
        args=(x, t_x, T, _by_count(x)),
        jac=True,
        method="SLSQP",
        bounds=[(-LOG_LIMIT, LOG_LIMIT)] * 4,
        options={"maxiter": 1000, "ftol": 1e-10},
    )
    if not np.all(np.isfinite(result.x)) or not np.isfinite(result.fun):
        raise ValueError(f"The BG/NBD fit failed: {result.message}")
    return {k: float(v) for k, v in zip(PARAMETERS, np.exp(result.x), strict=False)}


# -- what the model says about each customer ----------------------------------------------------------------------


def probability_alive(inputs: pd.DataFrame, params: dict[str, float]) -> pd.Series:
    """BG/NBD probability that each customer is still buying.

    ``1 / (1 + [x > 0] a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x))``:
    1.0 for a customer without a repeat purchase (it can only stop after a
    purchase), towards 0 for one silent for a long time. Worked out in
    logarithms: no overflow, no NaN.

    Parameters
    ----------
    inputs : DataFrame
        Columns ``x``, ``t_x`` and ``T``, one row per customer (may be empty).
    params : dict
        ``r``, ``alpha``, ``a`` and ``b``, as from :func:`fit_bgnbd`.

    Returns
    -------
    Series
        Between 0 and 1, on the index of ``inputs``.

    Examples
    --------
    For x = 2, t_x = 10, T = 20 and r = 1, alpha = 10, a = b = 1:
    1 / (1 + 1/2 x 1.5^3) = 1 / 2.6875 = 0.3721.

    >>> probability_alive(pd.DataFrame({"x": [0.0, 2.0], "t_x": [0.0, 10.0], "T": [20.0, 20.0]}),
    ...                   {"r": 1.0, "alpha": 10.0, "a": 1.0, "b": 1.0}).round(4).tolist()
    [1.0, 0.3721]
    """
    r, alpha, a, b = _parameters(params)
    x, t_x, T = _columns(inputs)
    repeat = x > 0
    log_odds = np.where(
        repeat,
        np.log(a) - np.log(np.where(repeat, b + x - 1, 1.0)) + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x)),
        -np.inf,
    )
    return pd.Series(special.expit(-log_odds), index=inputs.index, dtype="float64")


def expected_purchases(inputs: pd.DataFrame, params: dict[str, float], t: float) -> pd.Series:
    """Expected number of purchases of each customer in the next ``t`` periods (eq. 10 of the paper).

    ``E[Y(t) | x, t_x, T] = (a + b + x - 1) / (a - 1)
    x [1 - ((alpha + T) / (alpha + T + t))^(r + x) 2F1(r + x, b + x; a + b + x - 1; t / (alpha + T + t))]
    / (1 + [x > 0] a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x))``,

    with the Gaussian hypergeometric function ``2F1`` of ``scipy.special``,
    taken in the Euler form ``(1 - z)^(a - 1) 2F1(a + b - 1 - r, a - 1; a + b + x - 1; z)``
    of the product in brackets (the same value, without overflow for many
    purchases).

    Parameters
    ----------
    inputs : DataFrame
        Columns ``x``, ``t_x`` and ``T``, one row per customer (may be empty).
    params : dict
        ``r``, ``alpha``, ``a`` and ``b``, as from :func:`fit_bgnbd`; ``a``
        must not be 1 (the formula divides by ``a - 1``).
    t : float
        The length of the period ahead, in the unit of ``T``.

    Returns
    -------
    Series
        On the index of ``inputs``.

    Raises
    ------
    ValueError
        When ``a`` is 1, ``t`` is negative, the inputs or parameters are
        not valid, or the hypergeometric function has no finite value (for
        a period ahead many times longer than the customers' ages, with
        large ``b``); the message names the customer.

    Examples
    --------
    With the parameters of the paper on the CDNOW data, a customer with two
    repeat purchases, the last at week 30.43 of 38.86, is expected to buy
    1.226 times in the next 39 weeks (the worked example of the authors'
    spreadsheet for the paper):

    >>> params = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    >>> one = pd.DataFrame({"x": [2], "t_x": [30.43], "T": [38.86]})
    >>> round(float(expected_purchases(one, params, 39).iloc[0]), 3)
    1.226
    """
    r, alpha, a, b = _parameters(params)
    if a == 1.0:
        raise ValueError("The expected purchases need a parameter a other than 1 (the formula divides by a - 1).")
    t = float(t)
    if not (np.isfinite(t) and t >= 0):
        raise ValueError(f"The period ahead must be a length of zero or more, not {t}.")
    x, t_x, T = _columns(inputs)
    z = t / (alpha + T + t)
    c = a + b + x - 1
    f = special.hyp2f1(a + b - 1 - r, a - 1, c, z)
    stuck = ~np.isfinite(f)
    if stuck.any():
        # near z = 1 scipy's 2F1 has no value when c - a - b = x + r - a + 1 is a whole number (r = a, say);
        # it is smooth in r, and taken at r (1 + 1e-9) there (within 1e-10 of the series summed term by term)
        f[stuck] = special.hyp2f1(a + b - 1 - r * (1 + 1e-9), a - 1, c[stuck], z[stuck])
    lost = ~np.isfinite(f)
    if lost.any():
        i = int(np.argmax(lost))
        raise ValueError(
            f"The expected purchases of customer {inputs.index[i]!r} in the next {t:g} periods could not "
            f"be worked out (the hypergeometric function has no finite value at z = {z[i]:.6g}); "
            "a shorter period ahead may work."
        )
    bracket = 1.0 - np.exp((a - 1) * np.log1p(-z)) * f
    expected = c / (a - 1) * bracket * probability_alive(inputs, params).to_numpy()
    return pd.Series(expected, index=inputs.index, dtype="float64")

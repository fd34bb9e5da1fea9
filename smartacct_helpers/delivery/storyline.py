"""Page one of the report: the situation, one finding per notebook, the recommendation with its rules, the next 90 days.

Also the glossary that closes the report and the note under the opening
portfolio map. The rules themselves are data in
:mod:`smartacct_helpers.introduction.recommendation`; this module writes them
in words for the client, in the client's number format.
"""

from __future__ import annotations

import html
import math

from ..inside_sales.figures import PAYBACK_CHANCE_MONTHS
from ..presentation.formatting import SYMBOLS, Numbers, capitalised, count, date_text, money, number


def _months(value) -> str:
    """A payback month in words."""
    return "not within the horizon" if value is None else f"month {value}"


def _amount(value, currency: str, style: str = "en") -> str:
    """An amount rounded for reading: 73.3 million EUR, 830,000 EUR, 2,786 EUR; below 1,000 to the cent (137.50 EUR)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if abs(value) >= 1e6:
        return f"{number(value / 1e6, 1, style=style)} million {SYMBOLS.get(currency, currency) if style == 'de' else currency}"
    return money(value, currency, style=style, decimals=0 if abs(value) >= 1_000 else 2)


def story_inputs(workbook, figures: dict, early_warned=None) -> dict:
    """What the recommendation reads beyond the key figures: the external case, the levers, the key accounts, the pilot.

    Parameters
    ----------
    workbook : Workbook
    figures : dict
        The key figures (:func:`~smartacct_helpers.delivery.summary.key_figures`).
    early_warned : DataFrame, optional
        The customers with an early warning today (``customer_id``).
    """
    from ..inside_sales.business_case import business_case, workbook_case_inputs
    from ..key_accounts.analysis import analysis_of
    from ..key_accounts.portfolio import map_coverage, portfolio_map
    from ..levers.analysis import LARGE_CUSTOMER_LEVERS, LEVER_LABELS, available_levers, lever_table
    from ..review.analysis import pilot_team
    from ..small_customers.analysis import classify

    a = workbook.assumptions
    out: dict = {"external": None, "levers": {}, "key_accounts": [], "pilot": None}
    if figures.get("roi") is not None:
        case = business_case(workbook_case_inputs(workbook, classify(workbook)), a, provider="external")
        out["external"] = {"roi": None if math.isnan(case.roi) else float(case.roi)}
    levers = lever_table(workbook)
    for lever in (*available_levers(workbook), *LARGE_CUSTOMER_LEVERS):
        if (lever, "all") in levers.index:
            out["levers"][LEVER_LABELS[lever]] = float(levers.loc[(lever, "all"), "operating_profit_delta"])
    warned = set() if early_warned is None else set(early_warned["customer_id"].astype(str))
    accounts = analysis_of(workbook).key_accounts
    for _, row in accounts.iterrows():
        profit = row.get("operating_profit_12m")
        out["key_accounts"].append(
            {
                "name": str(row["name"])
                if "name" in accounts and isinstance(row["name"], str)
                else str(row["customer_id"]),
                "operating_profit_12m": None if profit is None or profit != profit else float(profit),
                "at_risk": str(row["customer_id"]) in warned,
            }
        )
    out["pilot"] = pilot_team(workbook)
    out["map_coverage"] = map_coverage(portfolio_map(workbook))
    out["key_account_practice"] = practice_story(workbook)
    return out


def practice_story(workbook) -> dict:
    """What page one says of the key-account practice: the key accounts that show none of the exit barriers the
    data can judge (their names), and the discount rates where the key accounts' rose faster than the rest's.

    Returns
    -------
    dict
        ``without_barriers`` (names, the fewest barriers known first as in
        the section) and ``discount``: :func:`~smartacct_helpers.key_accounts.practice.discount_drift`
        where it says the efficiency was given back, else None.
    """
    from ..key_accounts.analysis import analysis_of
    from ..key_accounts.practice import discount_drift
    from ..key_accounts.views import barriers_of, discount_trend_of, discounts_known

    an = analysis_of(workbook)
    if an.key_accounts.empty:
        return {"without_barriers": [], "discount": None}
    barriers = barriers_of(workbook, an)
    none = barriers[(barriers["exit_barriers"] == 0) & (barriers["exit_barriers_known"] > 0)]
    names = [n if isinstance(n, str) else str(c) for n, c in zip(none["name"], none["customer_id"], strict=True)]
    drift = discount_drift(discount_trend_of(workbook, an)) if discounts_known(workbook) else None
    return {"without_barriers": names, "discount": drift if drift and drift["gave_back"] else None}


def _names(names: list[str], most: int = 5) -> str:
    shown = ", ".join(html.escape(n) for n in names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


def _situation(figures: dict, n: Numbers, style: str) -> str:
    cur = figures["currency"]
    total, below = figures["customers_total"], figures["customers_below_threshold"]
    text = (
        f"{html.escape(figures['client'])} has {n.count(total)} customers and sold "
        f"{_amount(figures['revenue_12m'], cur, style)} in the last 12 months. "
        f"{n.count(figures['abc_counts']['A'])} A customers bring {n.share(figures['abc_revenue_share']['A'])} "
        f"of that revenue; the largest customer alone {n.share(figures['top1_share'])}, the ten largest "
        f"{n.share(figures['top10_share'])}. "
        f"{n.count(below)} customers ({n.share(below / total if total else None)}) buy less than the "
        f"{n.money(figures['sales_threshold'])} a year from which a field rep pays; of these, "
        f"{n.count(figures['customers_to_manage'])} ordered in the active window: the customers to manage."
    )
    return f"<p>{text}</p>"


def _findings(figures: dict, story: dict, n: Numbers, style: str) -> list[tuple[str, str]]:
    """One line per section, 00 to 07, in the client's numbers; a missing figure says why.

    Long because it is one sentence per notebook, written in the order page one reads them.
    """
    cur = figures["currency"]
    get = figures.get
    limited = (get("data_coverage") or {}).get("limited") or {}
    abc = figures["abc_counts"]
    rows = [
        (
            "The data",
            f"Orders from {date_text((get('data_coverage') or {}).get('first_date'), style)} "
            f"to {date_text(figures['reference_date'], style)}; "
            + (
                f"{n.count(get('unattributed_lines'))} invoice lines name no known customer."
                if get("unattributed_lines")
                else "every invoice line names a known customer."
            ),
        ),
        (
            "Small customers",
            f"A / B / C / D: {' / '.join(n.count(abc[k]) for k in 'ABCD')} customers; the A customers bring "
            f"{n.share(figures['abc_revenue_share']['A'])} of the revenue.",
        ),
        (
            "Field visits",
            f"A field visit costs {n.money(figures['visit_cost'])}; field management pays from "
            f"{n.money(figures['sales_threshold'])} a year, and {n.count(figures['customers_below_threshold'])} "
            "customers buy less.",
        ),
    ]
    if get("potential_small_customers") is not None:
        potential = (
            f"The customers to manage could buy {_amount(get('potential_small_customers'), cur, style)} a year; "
            f"today they hold a median share of wallet of {n.share(get('share_of_wallet_median'))}."
        )
    else:
        potential = "Not known: " + (limited.get("potential_small_customers") or "the potential needs more data") + "."
    rows.append(("Sales potential", potential))
    if get("roi") is not None:
        case = (
            f"{_middle_heads(figures)} inside rep{'' if _middle_heads(figures) == '1' else 's'} would cost {_amount(get('inside_sales_annual_cost'), cur, style)} a year; "
            f"return on investment {n.share(get('roi'))} over the business case's horizon, payback "
            f"{_months(get('payback_months'))}, probability of paying back within "
            f"{PAYBACK_CHANCE_MONTHS} months {n.share(get('probability_payback_24m'))}."
        )
    else:
        case = (
            "No business case: " + (limited.get("roi") or "it needs customers to manage with a known potential") + "."
        )
    rows.append(("Inside sales", case))
    losing = [k for k in story.get("key_accounts", []) if (k["operating_profit_12m"] or 0) < 0]
    rows.append(
        (
            "Key accounts",
            f"{n.count(get('key_accounts'))} key accounts bring {n.share(get('key_account_revenue_share'))} of the "
            f"revenue; {n.count(len(losing))} of them lose money after the cost to serve, and "
            f"{n.count(get('customers_loss_making'))} customers in all." + _practice_finding(story, n),
        )
    )
    rows.append(
        (
            "Levers",
            f"The levers on small customers add {_amount(get('small_customer_levers_operating_profit_delta'), cur, style)} "
            f"operating profit a year; the price rise on large customers, apart, "
            f"{_amount(get('large_customer_levers_operating_profit_delta'), cur, style)}.",
        )
    )
    pilot = story.get("pilot")
    if pilot:
        month = get("amortisation_month")
        review = (
            f"The pilot team of {_reps(pilot['reps'], 'inside rep')}{_since(pilot, style)} "
            + (f"paid for itself in month {month}" if month else "has not yet paid for itself")
            + (
                f"; churn of the managed customers {n.share(get('churn_rate_12m'))}."
                if get("churn_rate_12m") is not None
                else "."
            )
        )
    else:
        review = "No inside-sales team yet: the customer master names no inside rep."
    rows.append(("Year-one review", review))
    warnings = get("early_warning_count")
    rows.append(
        (
            "Early warning",
            f"{n.count(warnings)} customers show a warning sign today (no order for longer than usual, fewer order "
            "days, falling revenue)."
            if warnings is not None
            else "Not available: " + (limited.get("early_warning_count") or "the history is too short") + ".",
        )
    )
    return rows


def _practice_finding(story: dict, n: Numbers) -> str:
    """The key-account practice's sentence of the findings, or nothing when there is nothing to say.

    >>> from smartacct_helpers.presentation.formatting import Numbers
    >>> print(_practice_finding({"key_account_practice": {"without_barriers": ["Graf"], "discount": {
    ...     "key_first": 0.1, "key_last": 0.2, "other_first": 0.05, "other_last": 0.06}}}, Numbers("EUR")))
    ... # doctest: +NORMALIZE_WHITESPACE
    1 key account (Graf) shows none of the exit barriers the data can judge; the key accounts' discount rose
    from 10.0 % to 20.0 %, faster than the other customers' (5.0 % to 6.0 %): efficiency given back as price cuts.
    """
    practice = story.get("key_account_practice") or {}
    parts = []
    without = practice.get("without_barriers") or []
    if without:
        parts.append(
            f"{n.count(len(without))} key account{'' if len(without) == 1 else 's'} ({_names(without)}) "
            f"{'shows' if len(without) == 1 else 'show'} none of the exit barriers the data can judge"
        )
    d = practice.get("discount")
    if d:
        parts.append(
            f"the key accounts' discount rose from {n.share(d['key_first'])} to {n.share(d['key_last'])}, faster "
            f"than the other customers' ({n.share(d['other_first'])} to {n.share(d['other_last'])}): efficiency "
            "given back as price cuts"
        )
    if not parts:
        return ""
    return " " + capitalised("; ".join(parts)) + "."


def _since(pilot: dict, style: str) -> str:
    return f" since {date_text(pilot['start'], style)}" if pilot.get("start") else ""


def _reps(n: int, word: str = "rep") -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _middle_heads(figures: dict) -> str:
    heads = figures.get("inside_sales_headcount") or {}
    if not heads:
        return "–"
    caps = sorted(heads, key=int)
    return str(heads[caps[len(caps) // 2]])


def _recommendation(decisions, figures: dict, story: dict, n: Numbers, style: str) -> list[tuple[str, str, str]]:
    """(topic, what to do, the rule) per decision, in words."""
    from ..introduction.recommendation import GO, OPEN

    cur = figures["currency"]
    out = []
    for d in decisions:
        v = d.values
        if d.topic == "inside sales":
            rule = (
                f"Go when the return on investment is above {n.share(v['min_roi'])} and the probability of paying "
                f"back within {v.get('payback_chance_months', PAYBACK_CHANCE_MONTHS)} months is at least {n.share(v['min_probability'])}; external when an external "
                "provider's return is higher than the internal team's."
            )
            if d.verdict == OPEN:
                what = f"No recommendation: {html.escape(d.missing)}."
            else:
                why = (
                    f"return on investment {n.share(v['roi'])}, probability of paying back within "
                    f"{v.get('payback_chance_months', PAYBACK_CHANCE_MONTHS)} months {n.share(v['probability'])}"
                )
                if d.verdict == GO:
                    what = (
                        f"<strong>Go</strong>: an {v['provider']} inside-sales team of {_reps(v['headcount'])} for the "
                        f"{n.count(v['customers'])} customers to manage ({why})."
                    )
                    pilot = story.get("pilot")
                    if pilot:
                        what += (
                            f" The pilot team of {_reps(pilot['reps'])}{_since(pilot, style)} "
                            f"is the start; the full rollout needs {v['headcount']}."
                        )
                else:
                    what = f"<strong>No go</strong> for now ({why})."
        elif d.topic == "key accounts":
            rule = (
                "Renegotiate terms with every key account whose operating profit after the cost to serve is below "
                "zero; call every key account on the early-warning list first."
            )
            if d.verdict == OPEN:
                what = f"No recommendation: {html.escape(d.missing)}."
            else:
                parts = []
                if v["value_destroyers"]:
                    parts.append(f"renegotiate the terms of {_names(v['value_destroyers'])}")
                if v["at_risk"]:
                    parts.append(f"call {_names(v['at_risk'])}, whose orders fall off")
                what = (
                    ("Of the " + n.count(v["key_accounts"]) + " key accounts: " + "; ".join(parts) + ".")
                    if parts
                    else f"None of the {n.count(v['key_accounts'])} key accounts loses money or shows a warning sign."
                )
        else:
            floor = v.get("min_gain") or 0.0
            rule = "Pull a lever when it raises the operating profit over the last 12 months by more than " + (
                f"{_amount(floor, cur, style)} a year." if floor else "zero."
            )
            if d.verdict == OPEN:
                what = f"No recommendation: {html.escape(d.missing)}."
            elif v["pull"]:
                what = (
                    "Pull "
                    + "; ".join(f"{html.escape(k)} (+{_amount(v['gains'][k], cur, style)})" for k in v["pull"])
                    + "."
                )
                small = figures.get("small_customer_levers_operating_profit_delta")
                if small is not None:
                    what += (
                        f" The levers on small customers overlap: together they add "
                        f"{_amount(small, cur, style)}, not the sum of each alone."
                    )
                if v["leave"]:
                    what += " Leave " + ", ".join(html.escape(k) for k in v["leave"]) + "."
            else:
                what = "No lever raises the operating profit enough."
        out.append((d.topic, what, rule))
    return out


def _next_90_days(decisions) -> list[str]:
    from ..introduction.recommendation import ACT, GO

    by = {d.topic: d for d in decisions}
    steps = []
    inside, accounts, levers = by.get("inside sales"), by.get("key accounts"), by.get("levers")
    if accounts is not None and accounts.verdict == ACT:
        steps.append(
            "Weeks 1 to 4: meet the key accounts named above"
            + ("; agree new terms with those that lose money." if accounts.values["value_destroyers"] else ".")
        )
    if inside is not None and inside.verdict == GO:
        steps.append(
            f"Weeks 1 to 6: decide on the {inside.values['provider']} team of {_reps(inside.values['headcount'], 'inside rep')}; "
            "hire or contract, and hand each rep the worklist of its customers."
        )
    if levers is not None and levers.verdict == ACT:
        steps.append(f"Weeks 4 to 8: announce {', '.join(levers.values['pull'][:3])}.")
    steps.append("Every week: work the early-warning call list, the most endangered customers first.")
    steps.append("Day 90: the next report shows what changed since this one.")
    return steps


def glossary_html(figures: dict, style: str = "en") -> str:
    """The report's concepts (:data:`~smartacct_helpers.facts.concepts.GLOSSARY`), each with its number here."""
    from ..facts.concepts import GLOSSARY

    n = Numbers(figures["currency"], style)

    def whole(text):  # a number and its unit stay on one line; a list of numbers breaks between them only
        return f"<span class='value'>{html.escape(text)}</span>"

    def shown(key):
        value = figures.get(key) if key else None
        if value is None:
            return "–"
        if key == "abc_counts":
            return " / ".join(whole(n.count(value[k])) for k in "ABCD")
        if key == "sales_threshold":
            return whole(n.money(value))
        if key.endswith("_rate_12m"):
            return whole(n.share(value))
        return whole(n.count(value))

    rows = "".join(
        f"<tr><td>{html.escape(term)}</td><td class='text'>{html.escape(meaning)}</td><td class='text'>{shown(key)}</td></tr>"
        for term, meaning, _function, key in GLOSSARY
    )
    return (
        "<h2 id='glossary'>Glossary</h2><p class='note'>Each concept is computed in one place and shows the same "
        "number in every section; where a section shows a part of it, it says which part.</p>"
        "<table class='glossary'><thead><tr><th>Concept</th><th>What it means</th><th>In this report</th></tr>"
        f"</thead><tbody>{rows}</tbody></table>"
    )


#: the storyline's own styles: the findings' text left-aligned, each rule under its recommendation
STORY_CSS = (
    ".story td.text,.glossary td.text{text-align:left} .glossary td:first-child,.glossary .value{white-space:nowrap} "
    ".story td.text{text-align:left} .story td:first-child{white-space:nowrap;vertical-align:top} "
    ".story .rule{display:block;color:#555;font-size:.9em} .advice li{margin:.4em 0} "
    "h3{page-break-after:avoid;break-after:avoid}"
)


def storyline_html(figures: dict, story: dict, assumptions, style: str = "en") -> str:
    """Page one: the situation, one finding per section, the recommendation with its rules, the next 90 days."""
    from ..introduction.recommendation import inside_sales_decision, key_account_actions, levers_to_pull

    n = Numbers(figures["currency"], style)
    decisions = [
        inside_sales_decision(figures, assumptions, story.get("external")),
        key_account_actions(story.get("key_accounts", [])),
        levers_to_pull(story.get("levers", {}), assumptions),
    ]
    findings = "".join(
        f"<tr><td>{html.escape(title)}</td><td class='text'>{html.escape(text)}</td></tr>"
        for title, text in _findings(figures, story, n, style)
    )
    advice = "".join(
        f"<li><strong>{html.escape(topic.capitalize())}.</strong> {what} <span class='rule'>Rule: {html.escape(rule)}</span></li>"
        for topic, what, rule in _recommendation(decisions, figures, story, n, style)
    )
    steps = "".join(f"<li>{html.escape(s)}</li>" for s in _next_90_days(decisions))
    return (
        f"<style>{STORY_CSS}</style><div class='story'><h3>The situation</h3>"
        + _situation(figures, n, style)
        + f"<h3>What we found</h3><table class='findings'><tbody>{findings}</tbody></table>"
        + f"<h3>What we recommend</h3><ul class='advice'>{advice}</ul>"
        + f"<h3>The next 90 days</h3><ol>{steps}</ol></div>"
    )


def opening_note(story: dict, style: str = "en") -> str:
    """Which customers the opening portfolio map cannot place, in one sentence ("" when it places all)."""
    from ..key_accounts.portfolio import map_coverage_text

    return map_coverage_text(
        story.get("map_coverage") or {},
        lambda v: count(v, style=style),
        "the portfolio table of the key-account section",
    )

"""Notebook 04: how many inside-sales reps the small customers need, and whether they pay.

``business_case`` (headcount, cost, benefit, cash flow, scenarios),
``churn`` (the churn seen in the data), ``monte_carlo``, ``figures`` (the key figures), ``channels``,
``assignment`` (customers to reps), ``charts`` and ``views``.
"""

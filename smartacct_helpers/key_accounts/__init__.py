"""Notebook 05: the key accounts: who they are, what hangs on them, and which of them earn money.

``analysis`` computes every table of the notebook in one pass from
``candidates``, ``concentration``, ``worst_case``, ``value_analysis``,
``scorecard`` and ``portfolio``; ``charts``, ``displays`` and ``views`` show them. The key-account
practice (``practice``, ``discount_trend``) has its sections in ``practice_views``.
"""

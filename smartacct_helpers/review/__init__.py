"""Notebook 07, first part: the year-one review of the small-customer programme.

``periods`` (baseline and follow-up, and the sums of the lines over them),
``analysis`` (the six questions and the key figures; it draws on ``groups``, ``market_share``
and ``payback``), ``charts`` and ``views``.
"""

"""Notebook 07, second part: the early warning of customer loss from each customer's buying rhythm.

``rhythm`` (the rhythm, the flags and the score), ``bgnbd`` (the BG/NBD
model), ``backtest`` (does the warning foresee who stops buying, and the key
figures), ``worklists`` (the reasons in words and the call lists), ``charts``
and ``views``.
"""

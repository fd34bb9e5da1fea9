"""Notebook 03: the sales potential, by the industry method or the historic peak, the share of wallet and the gap.

``analysis``, ``charts`` and ``views`` (the notebook's sections).
"""

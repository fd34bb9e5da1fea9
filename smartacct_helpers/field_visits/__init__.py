"""Notebook 02: what a field visit costs, and from which revenue field management pays.

``analysis`` (the visit cost, the sales threshold and their sensitivity),
``charts`` and ``views`` (the notebook's sections).
"""

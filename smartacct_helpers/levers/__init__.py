"""Notebook 06: the smart-account levers (price, surcharge, minimum order, self-service) and realism about growth.

``orders`` (the orders the levers act on), ``analysis`` (the what-ifs),
``transitions`` (the ABC transitions), ``charts`` and ``views``.
"""

"""Notebook 06: the smart-account levers (price, surcharge, minimum order, self-service) and realism about growth.

``orders`` (the orders the levers act on), ``what_if`` (what each lever does to an order),
``analysis`` (the what-ifs per segment), ``smart_accounts`` (the accounts to act on),
``transitions`` (the ABC transitions), ``charts`` and ``views``.
"""

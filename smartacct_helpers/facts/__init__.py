"""Facts: the order-level table and the customer facts, computed where the data lives, held by a workbook.

``orders`` sums the invoice lines once into order totals (in DuckDB for files,
in the database for ``data.database``: ``file_totals``, ``database_totals``);
``customer_facts`` condenses them per customer and year. A
:class:`~smartacct_helpers.facts.workbook.Workbook` holds them with the
params and remembers what the analyses compute from them. ``coverage`` says
how far back the data reaches, ``quality`` counts the lines, ``concepts``
keeps the rules several notebooks share, ``cost_to_serve`` defines the one
cost to serve and operating profit (with the field visit, the margin where a
line has none and the 12-month window), ``export`` is ``smartacct facts``.
"""

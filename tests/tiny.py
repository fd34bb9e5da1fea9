"""A supplier small enough to work every figure out by hand: three customers, 13 months of orders, nothing else.

==========  ==========  =======
customer    date        revenue
==========  ==========  =======
1           2024-12-05    1,000
1           2025-06-01    2,000
2           2025-03-01      500
2           2025-11-30     -700
3           2025-12-01    9,000
==========  ==========  =======

The reference date is the last order, 2025-12-01; the window runs from
2024-12-02 on, so it holds every line: customer 1 has 3,000, customer 2
-200 (its credit note exceeds its invoice), customer 3 9,000. The orders span
13 months and no complete calendar year (2024 starts on 5 December, 2025 ends
after the reference date): there is no historic peak and no revenue trend.
"""

from pathlib import Path

ORDERS = """customer_id,date,revenue
1,2024-12-05,1000
1,2025-06-01,2000
2,2025-03-01,500
2,2025-11-30,-700
3,2025-12-01,9000
"""


def write_tiny(folder: Path, orders: str = ORDERS) -> Path:
    """The orders file and a params file naming only it, in ``folder``; the params file's path."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "orders.csv").write_text(orders, encoding="utf-8")
    (folder / "params.yaml").write_text("client: Tiny\ndata:\n  orders: orders.csv\n", encoding="utf-8")
    return folder / "params.yaml"


def tiny_workbook(folder: Path, orders: str = ORDERS):
    """The workbook of :func:`write_tiny`."""
    from smartacct_helpers.facts.workbook import Workbook

    return Workbook.open(write_tiny(folder, orders))

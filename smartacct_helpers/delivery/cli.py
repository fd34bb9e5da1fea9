"""The ``smartacct`` command: a thin layer over library calls.

Exit codes: 0 success; 2 bad params or bad input data; 1 anything else.
"""

from __future__ import annotations

import argparse
import os
import sys

from ..exceptions import InputDataError, ParamsError, ReportError, SmartacctError


def _validate(args) -> int:
    from .validate import validate

    print(validate(args.params))
    return 0


def _report(args) -> int:
    from functools import partial

    from ..overrides import parse_settings
    from .many_clients import build_reports, exit_code, params_files, runs_table
    from .report import build_report

    overrides = parse_settings(args.set)
    build = partial(build_report, out=args.out, overrides=overrides, timeout_per_notebook=args.timeout_per_notebook)
    files = params_files(args.params)
    if len(files) == 1:
        print(build(files[0]))
        return 0
    runs = build_reports(files, build, say=lambda line: print(line, file=sys.stderr, flush=True))
    print(runs_table(runs))
    return exit_code(runs)


def _workshop(args) -> int:
    from .dashboard_server import SAMPLE_PARAMS
    from .workshop import open_lab, write_workshop

    folder = write_workshop(args.params or SAMPLE_PARAMS, args.out, timeout_per_notebook=args.timeout_per_notebook)
    print(folder)
    return 0 if args.no_lab else open_lab(folder, args.port)


def _sample(args) -> int:
    from ..sample.write import write_sample

    paths = write_sample(args.out, customers=args.customers, years=args.years, seed=args.seed)
    for path in paths.values():
        print(path)
    return 0


def _facts(args) -> int:
    from .exports import export_facts

    path, rows = export_facts(args.params, args.out)
    print(f"{rows:,} rows written to {path}")
    return 0


def _dashboard(args) -> int:
    from .dashboard_server import StartError, serve

    try:
        return serve(args.params, args.port, args.host, args.reports)
    except StartError as exc:  # the port is taken, or the data cannot be read
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _seconds(text: str) -> float:
    """A positive number of seconds, for argparse."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="smartacct",
        description="Small customers, field visits, inside sales and key accounts, from ERP and CRM exports.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="read and check the data and params; change nothing")
    p.add_argument("--params", required=True, help="the client's params file (YAML)")
    p.set_defaults(func=_validate)

    p = sub.add_parser("report", help="run every notebook and write the report folder")
    p.add_argument(
        "--params",
        required=True,
        nargs="+",
        metavar="FILE",
        help="the client's params file; several (clients/*.yaml) run one client after another, each under "
        "its own lock, and end with a table of the clients and their results",
    )
    p.add_argument("--out", default="reports", help="reports folder (default: reports/)")
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="change one params value for this run, e.g. assumptions.max_sales_cost_ratio=0.10 "
        "(repeatable; the value is read as YAML: a number, a date, text or a list)",
    )
    p.add_argument(
        "--timeout-per-notebook",
        type=_seconds,
        default=1800,
        metavar="S",
        help="stop a notebook still running after S seconds in all, and fail the run (default: 1800)",
    )
    p.set_defaults(func=_report)

    p = sub.add_parser("sample", help="write a synthetic supplier's data set")
    p.add_argument("--customers", type=int, default=6500)
    p.add_argument("--years", type=int, default=5)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--out", required=True, help="folder to write the data and params.yaml into")
    p.set_defaults(func=_sample)

    p = sub.add_parser("facts", help="write the per-customer-per-year facts (.parquet or .csv)")
    p.add_argument("--params", required=True)
    p.add_argument("--out", required=True, help="output file; .parquet or .csv")
    p.set_defaults(func=_facts)

    p = sub.add_parser("workshop", help="run the notebooks for one client and open them in JupyterLab, code collapsed")
    p.add_argument("--params", default=None, help="params file (default: the sample)")
    p.add_argument("--out", default=None, help="the workshop folder (default: workshop/<client-slug>/)")
    p.add_argument("--port", type=int, default=8888, help="JupyterLab's port on 127.0.0.1 (default: 8888)")
    p.add_argument("--no-lab", action="store_true", help="only write the executed notebooks")
    p.add_argument(
        "--timeout-per-notebook", type=_seconds, default=1800, metavar="S", help="stop a notebook after S seconds"
    )
    p.set_defaults(func=_workshop)

    p = sub.add_parser("dashboard", help="serve the manager dashboard on 127.0.0.1")
    p.add_argument("--params", default=None, help="params file (default: the sample)")
    p.add_argument("--port", type=int, default=8866, help="port to listen on (default: 8866); in use: exit code 2")
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to bind (default: 127.0.0.1, this machine only); any other needs the token of "
        "SMARTACCT_DASHBOARD_TOKEN, or one generated and printed in the address",
    )
    p.add_argument(
        "--reports",
        default=None,
        metavar="DIR",
        help="the reports folder of smartacct report --out: the trends of the client's kept reports there",
    )
    p.set_defaults(func=_dashboard)
    return parser


def _skip_slow_schema_imports() -> None:
    """Keep jsonschema from building an RFC 3987 parser at import (about 1.5 s for papermill and nbconvert).

    jsonschema builds that parser only to check the ``iri`` formats, which no
    notebook schema uses; without the optional module it simply skips them.
    """
    sys.modules.setdefault("rfc3987_syntax", None)


def main(argv: list[str] | None = None) -> int:
    _skip_slow_schema_imports()
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (ParamsError, InputDataError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except SmartacctError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 1
    except Exception as exc:  # a fault of smartacct itself: one line, the details on request
        if os.environ.get("SMARTACCT_DEBUG"):
            raise
        print(
            f"error: unexpected {type(exc).__name__}: {exc} (run again with SMARTACCT_DEBUG=1 to see where "
            "it happened)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""The connection to a company's database or a Spark cluster: the URL, the password, the engine.

``data.database`` is an Ibis connection URL without a password (the forms are
listed in :mod:`smartacct_helpers.intake.database`). The password comes only
from the environment variable ``SMARTACCT_DB_PASSWORD``: a URL that carries one
is refused, and every error raised here has the password removed from its text.

Examples
--------
>>> describe_url("postgres://anna@db.example.com:5432/erp")
'postgres://anna@db.example.com:5432/erp'
>>> scrub("could not connect: password s3cret rejected", "s3cret")
'could not connect: password *** rejected'
"""

from __future__ import annotations

import os
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

import ibis

from ..exceptions import ParamsError
from ..params import Params

PASSWORD_VARIABLE = "SMARTACCT_DB_PASSWORD"


def password_from_env() -> str | None:
    """The database password from ``SMARTACCT_DB_PASSWORD`` (None when unset or empty)."""
    return os.environ.get(PASSWORD_VARIABLE) or None


def scrub(text: str, password: str | None = None) -> str:
    """``text`` with the password (also URL-quoted) replaced by ``***``.

    >>> scrub("postgres://a:p%40ss@h/db failed", "p@ss")
    'postgres://a:***@h/db failed'
    """
    password = password_from_env() if password is None else password
    if not password:
        return text
    from urllib.parse import quote, quote_plus

    for form in {password, quote(password, safe=""), quote_plus(password)}:
        text = text.replace(form, "***")
    return text


def describe_url(url: str) -> str:
    """The connection URL as it may be shown: scheme, user, host, port and path, never a password."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    user = f"{unquote(parts.username)}@" if parts.username else ""
    return urlunsplit((parts.scheme, f"{user}{host}", parts.path, "", ""))


def tune_duckdb(con):
    """The settings smartacct runs DuckDB with, applied to the Ibis DuckDB connection ``con``; returns ``con``.

    No progress bars (in a notebook, report or log). No rewriting of a sum
    over a customer's rows (the facts' 12-month revenue) into a join of the
    rows with their sums: DuckDB computes the rows twice for it, and so read
    the invoice lines twice, a third of the facts' time at 10 million lines.
    """
    con.con.execute("SET enable_progress_bar = false")
    con.con.execute("SET disabled_optimizers = 'window_self_join'")
    return con


def engine_name(url: str) -> str:
    """The engine a connection URL names: ``postgres``, ``pyspark`` or the URL's scheme."""
    scheme = urlsplit(url).scheme.lower()
    if scheme in ("postgres", "postgresql"):
        return "postgres"
    if scheme in ("spark", "pyspark"):
        return "pyspark"
    return scheme


def connect(params: Params):
    """An Ibis connection to ``data.database``, with the password from the environment.

    Raises
    ------
    ParamsError
        The URL holds a password, names an engine Ibis does not know, or the
        database cannot be reached (the message names ``data.database``, the
        host and port, and the reason with the password removed).
    """
    url = params.data.database
    parts = urlsplit(url)
    where = params.source_file
    if not parts.scheme:
        raise ParamsError(
            f"data.database: expected a connection URL like postgres://USER@HOST:5432/DATABASE, "
            f"got {describe_url(url)!r}",
            where,
        )
    if parts.password:
        raise ParamsError(
            "data.database: the URL holds a password; remove it from the params file and set the "
            f"environment variable {PASSWORD_VARIABLE} instead",
            where,
        )
    password = password_from_env()
    shown = describe_url(url)
    failure = None
    try:
        if engine_name(url) == "pyspark":
            return _connect_spark(url)
        kwargs = {"password": password} if password and engine_name(url) == "postgres" else {}
        con = ibis.connect(url, **kwargs)
        return tune_duckdb(con) if engine_name(url) == "duckdb" else con
    except Exception as exc:  # noqa: BLE001
        # Deliberately broad: the drivers' errors share no base class, and the text of any of them may hold the
        # password; a connection failure of any kind becomes one params error with the password removed, never a
        # traceback that would carry it out.
        failure = f"{type(exc).__name__}: {scrub(str(exc), password)}".strip()
    # raised outside the except block, so the driver's exception is not chained to it
    hint = "" if password or engine_name(url) != "postgres" else f" ({PASSWORD_VARIABLE} is not set)"
    raise ParamsError(f"data.database: cannot connect to {shown}: {first_lines(failure)}{hint}", where)


def first_lines(text: str, n: int = 3) -> str:
    """The first ``n`` lines of a driver's message that hold text, as one line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " ".join(lines[:n])


def _connect_spark(url: str):
    """A PySpark session through Ibis: ``spark://HOST:PORT`` (a master), ``spark://local`` or ``pyspark://``."""
    from pyspark.sql import SparkSession

    parts = urlsplit(url)
    builder = SparkSession.builder.appName("smartacct")
    for key, value in parse_qsl(parts.query):
        builder = builder.config(key, value)
    if parts.scheme.lower() == "spark":
        if parts.hostname in (None, "", "local", "localhost") and not parts.port:
            builder = builder.master("local[*]")
        else:
            builder = builder.master(urlunsplit(("spark", parts.netloc, "", "", "")))
    return ibis.pyspark.connect(builder.getOrCreate())

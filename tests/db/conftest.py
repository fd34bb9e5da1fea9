"""A real PostgreSQL server for the database tests, started once per session on 127.0.0.1.

Debian's ``postgresql`` package provides the binaries (``make test`` installs
it when it runs as root). The server lives in a temporary directory, is
initialised and run as the ``postgres`` user when the tests run as root
(PostgreSQL refuses to run as root), listens on a free port with password
authentication, and is stopped when the session ends.
"""

from __future__ import annotations

import gc
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import require

#: a password nobody would write by chance: the leak test looks for it everywhere
PASSWORD = "Leak-Canary-7f3a9-Zq"
USER = "smartacct"
DATABASE = "erp"


@dataclass
class Server:
    port: int
    user: str
    password: str
    database: str

    @property
    def url(self) -> str:
        """The connection URL as a params file holds it: no password."""
        return f"postgres://{self.user}@127.0.0.1:{self.port}/{self.database}"

    def conninfo(self) -> str:
        return f"host=127.0.0.1 port={self.port} user={self.user} dbname={self.database} password={self.password}"


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@pytest.fixture(scope="session")
def postgres():
    """A running PostgreSQL server with a database ``erp`` and a user with a password."""
    import importlib.util

    bindir = _pg_bin()
    require(
        bindir is not None, "Debian's PostgreSQL server", "run `make test` as root, or `apt-get install postgresql`"
    )
    require(importlib.util.find_spec("psycopg") is not None, "psycopg", "install smartacct: `pip install -e .`")
    if os.geteuid() == 0:
        require(
            shutil.which("runuser") is not None and _user_exists("postgres"),
            "the postgres system user",
            "install Debian's postgresql package, which creates it",
        )
    root = Path(tempfile.mkdtemp(prefix="smartacct-pg-"))
    data = root / "data"
    pwfile = root / "pw"
    pwfile.write_text(PASSWORD + "\n")
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(pwfile, "postgres")
    os.chmod(root, 0o700)
    port = _free_port()

    def run(cmd: list[str]) -> None:
        subprocess.run(_as_server_user(cmd), check=True, capture_output=True, text=True, timeout=120)

    run(
        [
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            USER,
            "--auth=scram-sha-256",
            f"--pwfile={pwfile}",
            "-E",
            "UTF8",
            "--locale=C",
        ]
    )
    pwfile.unlink()
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=64MB"
    run([str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "server.log"), "-w", "start"])
    try:
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 port={port} user={USER} dbname=postgres password={PASSWORD}", autocommit=True
        ) as conn:
            conn.execute(f"CREATE DATABASE {DATABASE}")
        yield Server(port, USER, PASSWORD, DATABASE)
    finally:
        gc.collect()  # workbooks left over drop their temporary tables while the server still runs
        subprocess.run(
            _as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
            capture_output=True,
            timeout=120,
        )
        shutil.rmtree(root, ignore_errors=True)


def _user_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


_PG_TYPES = {"b": "boolean", "i": "bigint", "u": "bigint", "f": "double precision", "M": "timestamp"}


def read_only_user(server: Server, name: str = "analyst") -> Server:
    """A login with the same password that may read the tables of ``public`` and nothing more, as an analyst has.

    PostgreSQL grants every user the right to create temporary tables,
    which is all a workbook needs beside reading.
    """
    import psycopg

    with psycopg.connect(server.conninfo(), autocommit=True) as conn:
        conn.execute(f"DROP ROLE IF EXISTS {name}")
        conn.execute(f"CREATE ROLE {name} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '{server.password}'")
        conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {name}")
    return Server(server.port, name, server.password, server.database)


def load_frame(server: Server, name: str, frame: pd.DataFrame) -> None:
    """Create table ``name`` with the frame's columns (typed) and copy the rows in."""
    import psycopg

    columns = []
    for column, dtype in frame.dtypes.items():
        kind = getattr(dtype, "kind", "O")
        if isinstance(dtype, pd.Int64Dtype):
            kind = "i"
        elif isinstance(dtype, pd.BooleanDtype):
            kind = "b"
        columns.append(f'"{column}" {_PG_TYPES.get(kind, "text")}')
    with psycopg.connect(server.conninfo(), autocommit=True) as conn:
        conn.execute(f'DROP TABLE IF EXISTS "{name}"')
        conn.execute(f'CREATE TABLE "{name}" ({", ".join(columns)})')
        names = ", ".join(f'"{c}"' for c in frame.columns)
        with conn.cursor().copy(f'COPY "{name}" ({names}) FROM STDIN') as copy:
            for row in frame.astype(object).itertuples(index=False):
                copy.write_row([None if pd.isna(v) else v for v in row])

"""Intake: the client's exports and database tables read, mapped onto the method's columns and checked.

:func:`~smartacct_helpers.intake.tables.load_tables` reads files (``files``,
``parsing``, ``convert``, ``checks``) by the shared rules of ``conventions``
and ``schema``; ``duckdb_files`` lets DuckDB read plain files itself, and
``database`` maps the tables of ``data.database`` where they lie. Every
problem names the file, row and column; input files are only ever read.
"""

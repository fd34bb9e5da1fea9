"""Delivery: what the client gets: the report, the key figures, the files, the dashboard and the command line.

Delivery may use every other part of the package; nothing imports it but
itself and the sample (which writes its files with delivery's writers).
"""

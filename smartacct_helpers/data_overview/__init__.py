"""Notebook 00: what the data holds, how far back it reaches, and where it is thin."""

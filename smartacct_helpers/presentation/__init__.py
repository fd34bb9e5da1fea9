"""Presentation: numbers as a reader expects them, the chart base, the sliders and the notebook sections.

Every room's charts and views draw with these; nothing here reads data or
computes an analysis.
"""

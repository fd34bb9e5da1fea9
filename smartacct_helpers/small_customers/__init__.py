"""Notebook 01: who the small customers are: ABC classes, the CRM and ERP rules, segments, C groups, smart accounts.

``analysis`` classifies every customer (:func:`~smartacct_helpers.small_customers.analysis.classify`);
``charts`` draws it; ``views`` holds the notebook's sections.
"""

"""The sample: a synthetic electrical wholesaler, Sample Elektro GmbH, to try the workbook on.

:func:`~smartacct_helpers.sample.generate.generate_sample` draws it from one
seed; :func:`~smartacct_helpers.sample.write.write_sample` writes it the way
real exports look.
"""

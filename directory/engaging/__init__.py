"""Engaging an agency: what firms, agencies and the worker do with engagement requests.

`directory/engagements/` holds the data, the rules and the figures that the directory and
matching read (responsiveness); this package acts on them and may use every feature, so it
is kept apart: nothing below imports it.
"""

"""Firms' reviews of agencies after an engagement."""

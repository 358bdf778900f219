"""Bulk import and export of the bureau's spreadsheets (xlsx or csv, Chinese column headers)."""

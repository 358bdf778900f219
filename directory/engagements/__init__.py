"""Engagements: a firm asks the agencies it matched; their answers, the work, its review."""

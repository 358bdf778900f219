"""Matching a firm's need to agencies: pure scoring rules and the matchAgencies query."""

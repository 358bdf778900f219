"""The plan's sector targets and their snapshots over time."""

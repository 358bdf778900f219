"""API tokens, roles and the audit trail."""

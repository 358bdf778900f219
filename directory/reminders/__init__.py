"""Reminders owed to practitioners, agencies and the bureau, kept in an outbox."""

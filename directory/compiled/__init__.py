"""Read paths compiled to SQL that builds the JSON in PostgreSQL."""

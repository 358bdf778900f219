"""IP service agencies: profiles, services, fields, regions served."""

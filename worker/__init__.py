"""Background jobs of the IP Service Directory (arq)."""

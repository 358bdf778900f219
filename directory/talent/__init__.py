"""The talent directory: practitioners, their qualifications and training records."""

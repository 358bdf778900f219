"""Reference data: regions (GB/T 2260), service types, agency kinds, fields, qualification kinds."""

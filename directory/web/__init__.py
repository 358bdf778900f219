"""The web pages served at /: server-rendered, Chinese first, reading through the GraphQL schema."""

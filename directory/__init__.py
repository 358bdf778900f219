"""IP Service Directory (知识产权服务名录): the GraphQL service."""

"""The JSON API (issue 18): the same services, permissions, history and provider log as the
pages, for the reseller's own systems. Each domain app keeps its endpoints in its `api.py`;
this package holds what they share: tokens, authentication, roles, errors, E.164, jobs."""

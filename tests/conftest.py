"""Shared fixtures. Domain fixtures live in tests/fixtures/ and are loaded here."""

pytest_plugins = [
    "tests.fixtures.sandbox",
    "tests.fixtures.users",
    "tests.fixtures.browser",
    "tests.fixtures.celery_worker",
    "tests.fixtures.hostile_vi",
]

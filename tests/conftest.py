"""Shared fixtures. Domain fixtures live in tests/fixtures/ and are loaded here."""

pytest_plugins = [
    "tests.fixtures.sandbox",
    "tests.fixtures.users",
    "tests.fixtures.browser",
    "tests.fixtures.celery_worker",
    "tests.fixtures.hostile_vi",
]


def pytest_configure(config):
    # A VI call inside an open transaction fails the test that made it (see
    # portal/voipinnovations/transactions.py); a running portal only logs it.
    from django.conf import settings

    settings.VI_REFUSE_CALLS_IN_TRANSACTION = True

"""The house rules of README's "House rules a machine checks", checked across every app.

Each rule here was once only prose and drifted; these tests keep it from drifting again.
"""

import importlib
import inspect
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
APPS = ("dids", "e911", "messaging", "porting", "customers", "compliance")

# Functions of service modules that take no actor, and why: pure validators and readers of
# the portal's own rows (no VI call, no write); a sync kind (the engine calls every kind with
# `run`, which carries the actor); background chunks that act for the person recorded on
# their job (`applied_by`, `created_by`, the job's `source`).
NO_ACTOR = {
    "dids.services": {
        "cnam_name_validate",
        "conference_pin_validate",
        "fax_email_validate",
        "reference_clean",
        "dids_sync",
    },
    "e911.services": {"alert_email_validate", "e911_sync"},
    "e911.bulk": {
        "bulk_apply",
        "bulk_apply_chunk",
        "bulk_check_chunk",
        "bulk_results_csv",
        "bulk_waiting_for",
        "row_address",
    },
    "messaging.services": {
        "brand_validate",
        "destination_validate",
        "mms_files_validate",
        "sms_address",
        "messaging_sync",
    },
    "porting.services": {"portability_job_run", "porting_sync"},
    "compliance.services": set(),
    "customers.services": set(),
    "customers.references": {"reference_job_apply_chunk", "reference_job_counts"},
    "customers.saved_views": {"clean_name", "clean_query", "saved_views_for"},
}


def _public_functions(module):
    return {
        name: function
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__ and not name.startswith("_")
    }


@pytest.mark.parametrize("module_name", sorted(NO_ACTOR))
def test_every_service_takes_a_required_keyword_actor_and_source(module_name):
    module = importlib.import_module(module_name)
    public = _public_functions(module)
    assert NO_ACTOR[module_name] <= set(public), "an exemption names a function that is gone"
    for name, function in public.items():
        if name in NO_ACTOR[module_name]:
            continue
        parameters = inspect.signature(function).parameters
        for needed in ("actor", "source"):
            assert needed in parameters, f"{module_name}.{name} takes no {needed}"
            parameter = parameters[needed]
            assert parameter.kind is inspect.Parameter.KEYWORD_ONLY, f"{name}: {needed}"
            assert parameter.default is inspect.Parameter.empty, (
                f"{module_name}.{name}: {needed} has a default, so a caller can forget it"
            )


@pytest.mark.parametrize("app", APPS)
def test_each_services_module_declares_its_expected_errors(app):
    module = importlib.import_module(f"{app}.services")
    assert isinstance(module.EXPECTED_ERRORS, tuple)
    assert all(issubclass(error, Exception) for error in module.EXPECTED_ERRORS)


# A service named <verb>_<thing> ("assign_dids", "set_forward") is the scheme the house left.
OLD_VERBS = ("set", "get", "add", "remove", "create", "update", "delete", "list", "assign",
             "release", "refresh", "configure", "validate", "sync", "send", "enable", "check")  # fmt: skip


@pytest.mark.parametrize("module_name", sorted(NO_ACTOR))
def test_services_are_named_thing_then_verb(module_name):
    module = importlib.import_module(module_name)
    leading_verb = [
        name for name in _public_functions(module) if name.split("_", 1)[0] in OLD_VERBS
    ]
    assert not leading_verb, f"{module_name}: name these <thing>_<verb>: {leading_verb}"


def _app_python_files():
    for app in (*APPS, "portal"):
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts and "sandbox" not in path.parts:
                yield path


def test_no_view_sets_hx_trigger_by_hand():
    """django-htmx's trigger_client_event writes the header as JSON and merges events."""
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _app_python_files()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"""\[\s*["']HX-Trigger["']\s*\]\s*=""", line)
    ]
    assert not found, found


def test_errors_shown_to_staff_have_one_shape():
    """The old shapes (dids' ViError/call_service, e911's Outcome, porting's dicts) are gone:
    portal/staff_errors.py is the one path, templates/components/staff_error.html the one
    component."""
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _app_python_files()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"\bViError\b|\bcall_service\(|\bvi_error\b", line)
    ]
    assert not found, found
    templates = [
        str(path.relative_to(ROOT))
        for path in ROOT.glob("*/templates/**/*.html")
        if "vi_error" in path.read_text()
    ]
    assert not templates, templates

"""The failing checks of one number or one client, for the number page and the client page."""

from django import template

from compliance import selectors
from compliance.checks import cnam_problem

register = template.Library()


@register.inclusion_tag("compliance/_checks.html")
def number_checks(tn: str) -> dict:
    verdict = selectors.verdict_for_tn(tn=tn)
    return {
        "verdict": verdict,
        "failing": verdict.failing_checks if verdict else [],
        "tn": tn,
        "cnam_problem": cnam_problem(verdict.facts.cnam_name) if verdict else "",
        "scope": "number",
    }


@register.inclusion_tag("compliance/_client_checks.html")
def client_checks(client) -> dict:
    judged = selectors.client_verdicts(client=client)
    overview = selectors.overview(judged=judged)
    return {"overview": overview, "client": client}


@register.filter
def rejection_fix(reason: str) -> str:
    """How to fix one of VI's rejection reasons, in the 10DLC check's words."""
    from messaging.lint import explain_rejection

    return explain_rejection(str(reason or ""))

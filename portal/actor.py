"""Who a service acts for: a person, or None when a sync or the system acts on its own.

Every service takes `*, actor: Actor, source: Source` with no default (Zulip's actions), so
a sync passes `actor=None` on purpose and a forgotten actor is a type error, not a blank
"who" on the provider-call log and the history.
"""

from typing import TypeAlias

from django.contrib.auth.models import User

Actor: TypeAlias = User | None

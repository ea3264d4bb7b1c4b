"""The outbox: one typed event for every change, whoever made it (staff, admin, sync, VI elsewhere).

Events are written in the same transaction as the history row of the change they describe
(`publish.from_history`, called by `portal.history.record_many`, and `publish.from_sync_history`
for the set-based sync path), so a rolled-back write leaves no event and a committed one
exactly one. Consumers (drift page, notifications, webhooks, port e-mails) read the outbox.
"""

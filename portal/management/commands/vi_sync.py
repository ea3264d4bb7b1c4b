"""`python manage.py vi_sync [dids|e911|messaging|porting|all]`: sync now, in this process."""

from __future__ import annotations

from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError

from portal.models import SyncRun
from portal.sync import SYNC_KINDS, SyncKindUnavailable, sync_execute, total_counts
from portal.voipinnovations.errors import ProviderUnavailable

FIGURES = ("seen", "created", "updated", "returned", "gone", "unchanged", "kept_local")


class Command(BaseCommand):
    help = "Reconcile the local mirror with VI now, and print what changed."

    def add_arguments(self, parser):
        parser.add_argument(
            "kinds",
            nargs="*",
            default=["all"],
            metavar="KIND",
            help=f"one or more of {', '.join(SYNC_KINDS)}, or all (the default)",
        )
        parser.add_argument(
            "--confirm",
            action="store_true",
            help="apply an audit even if it would mark many rows gone at once",
        )

    def handle(self, *args, kinds: list[str], confirm: bool, **options):
        unknown = [kind for kind in kinds if kind != "all" and kind not in SYNC_KINDS]
        if unknown:
            raise CommandError(
                f"Unknown sync kind(s): {', '.join(unknown)}. Choose from {', '.join(SYNC_KINDS)}, all."
            )
        wanted = list(SYNC_KINDS) if "all" in kinds else list(dict.fromkeys(kinds))
        failed = []
        for kind in wanted:
            try:
                run = sync_execute(kind=kind, trigger=SyncRun.Trigger.COMMAND, confirmed=confirm)
            except SyncKindUnavailable:
                self.stdout.write(f"{kind}: not available yet, skipped")
                continue
            except ProviderUnavailable as exc:
                self.stdout.write(
                    self.style.ERROR(f"{kind}: failed — VI unreachable: {exc.message}")
                )
                failed.append(kind)
                continue
            assert run is not None  # without a run_id, sync_execute always records a run
            if options.get("verbosity", 1) >= 1:  # `make run` passes -v 0: the log has the line
                self.stdout.write(self._line(run))
            if run.status == SyncRun.Status.FAILED:
                failed.append(kind)
        if failed:
            raise CommandError(f"Sync failed: {', '.join(failed)}")

    def _line(self, run: SyncRun) -> str:
        totals = total_counts(run.counts)
        figures = ", ".join(
            f"{name.replace('_', ' ')} {totals[name]:,}" for name in FIGURES if name in totals
        )
        duration = f" in {run.duration_seconds:.1f} s" if run.duration_seconds is not None else ""
        text = f"{run.kind}: {run.get_status_display().lower()}{duration} (run #{run.pk})"
        if figures:
            text += f" — {figures}"
        if run.error:
            text += f"\n  {run.error}"
        styles: dict[str, Callable[[str], str]] = {
            SyncRun.Status.SUCCEEDED: self.style.SUCCESS,
            SyncRun.Status.FAILED: self.style.ERROR,
            SyncRun.Status.NEEDS_CONFIRMATION: self.style.WARNING,
        }
        return styles.get(run.status, str)(text)

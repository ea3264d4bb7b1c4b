"""Create (or reuse) the administrator `make run` prints, with a password kept under var/.

The password is random per machine and stored in a file readable only by its owner, so a
second `make run` prints the same login instead of inventing a new one.
"""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create or reuse the demo administrator and print its username and password."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username: str, **options):
        password_file = Path(settings.VAR_DIR) / "admin-password.txt"
        password_file.parent.mkdir(parents=True, exist_ok=True)
        if password_file.exists():
            password = password_file.read_text().strip()
        else:
            password = secrets.token_urlsafe(12)
            password_file.write_text(password + "\n")
            password_file.chmod(0o600)

        user, _ = get_user_model().objects.get_or_create(username=username)
        user.is_staff = True
        user.is_superuser = True
        if not user.check_password(password):
            user.set_password(password)
        user.save()
        administrators = Group.objects.filter(name="Administrator").first()
        if administrators:
            user.groups.add(administrators)
        self.stdout.write(f"{username}\n{password}")

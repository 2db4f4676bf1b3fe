"""`manage.py editor_group [--add USERNAME ...]`: reset the editor group's permissions, and
optionally make users editors (staff, in the group, nothing more)."""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from drugatlas.legislation.editors import GROUP_NAME, sync_editor_group


class Command(BaseCommand):
    help = "Create or reset the `editor` group; --add makes existing users editors."

    def add_arguments(self, parser):
        parser.add_argument("--add", nargs="+", default=[], metavar="USERNAME",
                            help="existing users to make editors (sets is_staff)")

    def handle(self, add, **options):
        group = sync_editor_group()
        self.stdout.write(f"group {GROUP_NAME!r}: {group.permissions.count()} permissions")
        User = get_user_model()
        for username in add:
            try:
                user = User.objects.get(username=username)
            except User.DoesNotExist:
                raise CommandError(f"no user {username!r}; create it with createsuperuser or "
                                   f"the admin first") from None
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            user.groups.add(group)
            self.stdout.write(f"{username} is an editor")

"""Django's makemessages, also reading ``_noop("...")``.

Some modules import ``gettext_noop as _noop`` to mark labels that are translated later;
xgettext only knows the keywords Django passes it, so ``_noop`` is added here.
"""
from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_noop"]

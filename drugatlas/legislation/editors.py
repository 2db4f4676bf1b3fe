"""The `editor` group: exactly the permissions editing laws, bills and triaging reports needs.

No user or group administration, no deleting (history keeps every version, and a deleted law
would only come back with the next data load), no changing what only a data load writes.
"""
from __future__ import annotations

GROUP_NAME = "editor"

# (app label, model name) -> actions allowed.
EDITOR_PERMISSIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("atlas", "lawstatus"): ("view", "add", "change"),
    ("atlas", "bill"): ("view", "add", "change"),
    ("atlas", "billevent"): ("view", "add", "change"),
    ("atlas", "source"): ("view", "add", "change"),
    # The list of measures is code (drugatlas/measures.py): editors reword, never add.
    ("atlas", "measure"): ("view", "change"),
    # Read-only context an editor needs to pick a place or see what a load did.
    ("atlas", "jurisdiction"): ("view",),
    ("atlas", "datarelease"): ("view",),
    ("atlas", "costassumption"): ("view",),
    ("corrections", "correction"): ("view", "change"),
}


def codenames() -> dict[str, set[str]]:
    """App label -> permission codenames the group gets."""
    wanted: dict[str, set[str]] = {}
    for (app_label, model), actions in EDITOR_PERMISSIONS.items():
        wanted.setdefault(app_label, set()).update(f"{a}_{model}" for a in actions)
    return wanted


def sync_editor_group(apps=None):
    """Create or reset the group to exactly EDITOR_PERMISSIONS; return it.

    `apps` is the migration state's registry inside a migration, else the live one.
    """
    if apps is None:
        from django.apps import apps as live_apps

        apps = live_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    permissions = []
    for app_label, names in codenames().items():
        found = list(Permission.objects.filter(content_type__app_label=app_label, codename__in=names))
        missing = names - {p.codename for p in found}
        if missing:
            raise LookupError(f"permissions not found: {sorted(missing)}; run migrate first")
        permissions += found
    group.permissions.set(permissions)
    return group

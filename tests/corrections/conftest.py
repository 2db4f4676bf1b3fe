from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from drugatlas.legislation.editors import sync_editor_group


@pytest.fixture
def editor(db):
    user = get_user_model().objects.create_user("triage", "t@example.org", "pw-triage-1",
                                                is_staff=True)
    # The migration made the group; a flush by a live-server test elsewhere may have removed it.
    user.groups.add(sync_editor_group())
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client

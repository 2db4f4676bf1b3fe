"""A lock held in the database, so overlapping `updates send` runs (cron) do not pile up.

One row per lock name with its holder and an expiry: taking it is one conditional UPDATE
(or the INSERT of the row), which SQLite and PostgreSQL both make atomic. The holder renews it
while it works; a holder killed with -9 blocks the next run only until the lease expires.
"""
from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q

from drugatlas import clock

from .models import Lease


class Held(Exception):
    """Another holder has the lease."""

    def __init__(self, name: str, until):
        super().__init__(f"{name} is held until {until:%Y-%m-%d %H:%M:%S} UTC")
        self.until = until


class Holding:
    def __init__(self, name: str, seconds: int):
        self.name, self.seconds = name, seconds
        self.holder = secrets.token_hex(16)

    def _expiry(self):
        return clock.now() + timedelta(seconds=self.seconds)

    def acquire(self) -> None:
        now = clock.now()
        taken = Lease.objects.filter(Q(holder="") | Q(expires_at__lt=now), name=self.name).update(
            holder=self.holder, expires_at=self._expiry())
        if taken:
            return
        try:
            with transaction.atomic():
                Lease.objects.create(name=self.name, holder=self.holder, expires_at=self._expiry())
        except IntegrityError:
            lease = Lease.objects.get(name=self.name)
            raise Held(self.name, lease.expires_at) from None

    def renew(self) -> bool:
        """Extend the lease; False if it was lost (expired and taken by another run)."""
        return bool(Lease.objects.filter(name=self.name, holder=self.holder).update(
            expires_at=self._expiry()))

    def release(self) -> None:
        Lease.objects.filter(name=self.name, holder=self.holder).update(holder="", expires_at=clock.now())

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc):
        self.release()
        return False


def hold(name: str, seconds: int) -> Holding:
    """`with leases.hold("updates-send", 900) as lease: ...`; raises Held if taken."""
    return Holding(name, seconds)

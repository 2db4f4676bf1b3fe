"""Erasure for the file email backend: remove a person's messages from the files it wrote.

Django's file backend (the development default) appends each message to a file in
EMAIL_FILE_PATH, followed by a line of 79 dashes; one file can hold many people's messages
(one `updates send` run writes one file). An erasure rewrites each file without the messages
addressed to that person and deletes a file left empty. Files are looked at whatever the
current backend, since an earlier run may have left them.
"""
from __future__ import annotations

import email
import os
import tempfile
from email.utils import getaddresses
from pathlib import Path

from django.conf import settings

SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def _addressed_to(chunk: bytes, address: str) -> bool:
    if address.encode("utf-8", "replace") in chunk.lower():
        return True
    message = email.message_from_bytes(chunk)
    fields = [str(v) for name in ("To", "Cc", "Bcc") for v in message.get_all(name, [])]
    return any(a.lower() == address for _name, a in getaddresses(fields))


def scrub(address: str, folder: str | os.PathLike | None = None) -> int:
    """Remove every stored message to `address`; the number removed."""
    folder = Path(folder or getattr(settings, "EMAIL_FILE_PATH", "") or "")
    if not str(folder) or not folder.is_dir():
        return 0
    address = address.strip().lower()
    removed = 0
    for path in sorted(folder.iterdir()):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if SEPARATOR not in data and not data.strip():
            continue
        chunks = data.split(SEPARATOR)
        keep = [c for c in chunks if c.strip() and not _addressed_to(c, address)]
        dropped = sum(1 for c in chunks if c.strip()) - len(keep)
        if not dropped:
            continue
        removed += dropped
        if not keep:
            path.unlink()
            continue
        with tempfile.NamedTemporaryFile(dir=folder, delete=False) as out:
            out.write(b"".join(c + SEPARATOR for c in keep))
        os.chmod(out.name, 0o600)
        os.replace(out.name, path)
    return removed

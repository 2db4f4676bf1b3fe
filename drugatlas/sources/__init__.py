"""Readers: one module per upstream publisher.

Each reader takes the raw-data folder (``../shared/data/raw`` by default) and returns typed
records from ``drugatlas.sources.records``. Readers are pure Python and know nothing of Django.
A reader that meets a malformed file raises ``SourceError`` naming the file, row and column.
"""

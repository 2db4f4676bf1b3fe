"""`drugatlas data fetch`: publishers' current releases -> a new raw folder with a manifest.

- catalogue.py: where each reader's files come from (official endpoint, or by hand and why)
- http.py: one conditional GET with timeouts, retries and back-off (standard library urllib)
- manifest.py: the folder's fetch-manifest.json (URL, retrieval time, validators, sha256, size)
- run.py: fetch the requested sources, check each file, write the folder

No Django: the command (drugatlas/atlas/management/commands/data.py) calls run.fetch().
Fetching never touches the committed bundle or the database.
"""

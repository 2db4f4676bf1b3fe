"""The project's own cited legal research, kept with the code because no raw folder holds it.

Each file here is maintained by hand, says in its header what it is, and cites a source for
every value; its reader lives beside the readers of the published files (laws_supplement).
"""

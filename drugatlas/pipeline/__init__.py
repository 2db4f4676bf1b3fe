"""Records -> validated -> derived -> bundle (build.py, derive.py, bundle.py) -> database (load.py)."""

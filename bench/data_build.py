"""Time the data build (raw files -> bundle, in memory) and the load (bundle -> a fresh SQLite)."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PY, ROOT, save, table  # noqa: E402


def timed(cmd, env) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return round(time.perf_counter() - started, 2)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3"}
        results = {}
        if (ROOT.parent / "shared" / "data" / "raw").is_dir() or os.environ.get("DRUGATLAS_RAW_DIR"):
            results["build_s"] = timed([PY, "manage.py", "data", "check", "-v", "0"], env)
        results["migrate_s"] = timed([PY, "manage.py", "migrate", "-v", "0"], env)
        results["load_s"] = timed([PY, "manage.py", "data", "load", "-v", "0"], env)
        results["bundle_mb"] = round(sum(p.stat().st_size for p in (ROOT / "drugatlas/bundle").iterdir()) / 1e6, 1)
    print(table([[k, v] for k, v in results.items()], ["data step", "value"]))
    save("data", results)


if __name__ == "__main__":
    main()

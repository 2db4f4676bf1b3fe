"""`make bench`: every benchmark, printing figures and writing bench/results.json."""
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for script in ("page_size.py", "render_time.py", "data_build.py", "load.py"):
    if (HERE / script).exists():
        print(f"\n== {script}")
        subprocess.run([sys.executable, str(HERE / script)], check=True)

"""`make fuzz`: schemathesis against the API's own OpenAPI description, bounded.

Serves the site with gunicorn over the loaded database (the project's var/ as `make load`
left it), then runs schemathesis on /api/v1/openapi.json with a fixed number of examples per
operation. Fails on any server error (5xx) or answer that breaks the described schema or
status codes. Set FUZZ_EXAMPLES (default 50) to go further.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PY, ROOT, free_port, server  # noqa: E402

CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance," \
         "response_schema_conformance,response_headers_conformance"


def main() -> int:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {"DRUGATLAS_DEVELOPMENT": "1", "DRUGATLAS_PLAIN_STATIC": "1"}
    with server([PY, "-m", "gunicorn", "drugatlas.wsgi", "--bind", f"127.0.0.1:{port}",
                 "--workers", "2"], base + "/api/v1/openapi.json", env=env, cwd=ROOT):
        done = subprocess.run(
            [str(Path(PY).parent / "schemathesis"), "run", base + "/api/v1/openapi.json",
             "--checks", CHECKS, "--max-examples", os.environ.get("FUZZ_EXAMPLES", "50"),
             "--generation-deterministic", "--request-timeout", "30", "--url", base + "/api/v1"],
            cwd=ROOT)
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())

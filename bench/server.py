"""The bench's server process: the real app under uvicorn, configured from PRONGSAI_* settings.

python -m bench.server PORT [PROCESSES]
"""

from __future__ import annotations

import sys

import uvicorn

if __name__ == "__main__":
    processes = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    uvicorn.run("interface.api.app:create_app", factory=True, host="127.0.0.1", port=int(sys.argv[1]),
                workers=processes, log_level="error", access_log=False)  # fmt: skip

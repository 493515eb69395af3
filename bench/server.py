"""The bench's server process: the real app under uvicorn, configured from PRONGSAI_* settings."""

from __future__ import annotations

import sys

import uvicorn

from interface.api.app import create_app

if __name__ == "__main__":
    uvicorn.run(create_app(), host="127.0.0.1", port=int(sys.argv[1]), log_level="error", access_log=False)

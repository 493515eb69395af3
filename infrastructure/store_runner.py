"""Where blocking store work runs: inline on the event loop, or on a small thread pool.

The embedded SQLite store serialises writes and answers in microseconds, so its work runs inline
(a thread hop costs more than the query); PostgreSQL work runs on a pool as large as the
connection pool, so a slow query never stalls the loop. ``PRONGSAI_STORE_THREADS`` overrides.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


class StoreRunner:
    def __init__(self, threads: int) -> None:
        self.executor = ThreadPoolExecutor(threads, thread_name_prefix="store") if threads else None

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        if self.executor is None:
            return fn(*args, **kwargs)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, functools.partial(fn, *args, **kwargs))

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True)

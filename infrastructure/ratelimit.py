"""A small sliding-window limiter for guessable public endpoints (tracking-code lookups)."""

from __future__ import annotations

import threading
import time
from collections import deque

from domain.errors import TooManyRequests


class SlidingWindow:
    def __init__(self, limit: int, seconds: float = 60.0) -> None:
        self.limit = limit
        self.seconds = seconds
        self.hits: dict[str, deque[float]] = {}
        self.lock = threading.Lock()

    def check(self, key: str) -> None:
        now = time.monotonic()
        with self.lock:
            if len(self.hits) > 50_000:
                self.hits.clear()
            window = self.hits.setdefault(key, deque())
            while window and now - window[0] > self.seconds:
                window.popleft()
            if len(window) >= self.limit:
                raise TooManyRequests("ตรวจสอบบ่อยเกินไป กรุณารอสักครู่", "too many lookups; wait a minute and try again")
            window.append(now)

"""When to fetch a feed again: its TTL and Cache-Control on success, back-off on failure."""

from __future__ import annotations

from datetime import datetime, timedelta

from workbench.settings import get_settings

MAX_INTERVAL = timedelta(hours=24)


def base_interval() -> timedelta:
    return timedelta(minutes=get_settings().fetch.refresh_interval_minutes)


def next_fetch_after_success(now: datetime, ttl_minutes: int | None, max_age_s: int | None) -> datetime:
    """The longest of our interval, the feed's ``<ttl>`` and the server's max-age, capped at a day."""
    interval = base_interval()
    if ttl_minutes:
        interval = max(interval, timedelta(minutes=ttl_minutes))
    if max_age_s:
        interval = max(interval, timedelta(seconds=max_age_s))
    return now + min(interval, MAX_INTERVAL)


def next_fetch_after_error(now: datetime, error_count: int, retry_after: datetime | None) -> datetime:
    """Exponential back-off (interval × 2^(n-1), at most a day), never before ``Retry-After``."""
    delay = min(base_interval() * (2 ** max(0, error_count - 1)), MAX_INTERVAL)
    moment = now + delay
    return max(moment, retry_after) if retry_after else moment

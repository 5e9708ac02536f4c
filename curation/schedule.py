"""When to fetch a feed again: its TTL and Cache-Control on success, back-off on failure."""

from __future__ import annotations

from datetime import datetime, timedelta

from workbench.settings import get_settings

MAX_INTERVAL = timedelta(hours=24)
# A feed failing again and again (a dead site in an imported OPML) is tried less and less often,
# at most once a week: it stops costing every run. « Réessayer maintenant » fetches it at once,
# and its first success resets the count.
MAX_BACKOFF = timedelta(days=7)


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
    """Exponential back-off (interval × 2^(n-1), at most ``MAX_BACKOFF``), never before ``Retry-After``."""
    delay = min(base_interval() * (2 ** min(max(0, error_count - 1), 20)), MAX_BACKOFF)
    moment = now + delay
    return max(moment, retry_after) if retry_after else moment

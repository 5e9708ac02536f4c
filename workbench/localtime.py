"""Times as people read them: one time zone for the whole installation, French formats.

Storage keeps UTC; every page, export, e-mail and chart shows times in ``people_zone()``: the
``time_zone`` setting (Europe/Paris by default; a trainer changes it in « Réglages »). One
formatter per shape (``fr_datetime``, ``fr_date``, ``fr_time``), reused everywhere, so that the
trainee's attempts, the trainer's Corrections, the live crisis and the exports agree.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from workbench.errors import UserError
from workbench.settings import DEFAULT_TIME_ZONE, get_settings
from workbench.wording import de

EMPTY = "—"


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def check_zone(name: str) -> str:
    """``name`` when it is a known IANA time zone (``Europe/Paris``); a ``UserError`` otherwise."""
    if name not in zone_names():
        raise UserError(
            f"Fuseau horaire inconnu\u00a0: «\u00a0{name}\u00a0». Choisissez-en un de la liste "
            "(par exemple Europe/Paris).",
            field="time_zone",
        )
    return name


@cache
def zone_names() -> list[str]:
    """Every IANA time zone name this machine knows, sorted."""
    return sorted(available_timezones())


def people_zone() -> ZoneInfo:
    """The installation's time zone for people (a wrong stored name falls back to the default)."""
    try:
        return _zone(get_settings().time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return _zone(DEFAULT_TIME_ZONE)


def zone_label() -> str:
    """« heure de Paris » for Europe/Paris: the zone's city, as people name their time."""
    city = people_zone().key.rsplit("/", 1)[-1].replace("_", " ")
    return f"heure {de(city)}"


def local(moment: datetime) -> datetime:
    """A stored moment (UTC; naive read as UTC) in the people's time zone."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(people_zone())


def today() -> date:
    """Today's date where people are (not in UTC: between midnight and 1 or 2 am they differ)."""
    return local(datetime.now(UTC)).date()


def day_start(day: date) -> datetime:
    """The moment (UTC) a calendar day people pick begins where they are: 8 December in Paris
    begins at 23:00 UTC on the 7th. A day range [a, b] is ``day_start(a)`` to ``day_start(b + 1 day)``."""
    return datetime.combine(day, time.min, tzinfo=people_zone()).astimezone(UTC)


def fr_datetime(
    moment: datetime | None, *, at: bool = False, seconds: bool = False, empty: str = EMPTY
) -> str:
    """``07/12/2026 09:05`` (``at``: ``07/12/2026 à 09:05``) in the people's zone; ``empty`` for none."""
    if moment is None:
        return empty
    return f"{fr_date(moment)}{' à ' if at else ' '}{fr_time(moment, seconds=seconds)}"


def fr_date(day: date | datetime | None, *, empty: str = EMPTY) -> str:
    """``07/12/2026``; a moment is first moved to the people's zone (a plain date is shown as is)."""
    if day is None:
        return empty
    return f"{local(day) if isinstance(day, datetime) else day:%d/%m/%Y}"


def fr_time(moment: datetime, *, seconds: bool = False) -> str:
    """``09:05`` (``seconds``: ``09:05:12``) in the people's zone."""
    return f"{local(moment):%H:%M:%S}" if seconds else f"{local(moment):%H:%M}"

"""The feed farm's host names (``feed7.localtest``…) resolved to 127.0.0.1 inside one process.

Kept apart from ``feed_farm`` (which starts the server and imports the test helpers) so that a
benchmark's contender imports only this: its memory stays its own.
"""

from __future__ import annotations

import socket

FARM_DOMAIN = ".localtest"  # not a real top-level domain: no real host is ever asked


def map_farm_hosts() -> None:
    """Resolve every ``*.localtest`` name to 127.0.0.1 in this process (every HTTP client in it)."""
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(host, bytes):
            host = host.decode()
        if isinstance(host, str) and host.endswith(FARM_DOMAIN):
            host = "127.0.0.1"
        return real(host, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo

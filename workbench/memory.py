"""Process memory: give large freed blocks back to the system.

glibc's allocator serves blocks above a threshold (128 KiB) with their own mappings, returned to the
system when freed, but it raises that threshold to the size of each such block freed (up to 32 MiB).
After a refresh has held a 10 MB body or the story grouping a few MB of numpy postings, the next
blocks of that size come from the heap instead, where freed memory stays counted in the process's
resident size. Fixing the threshold (which also stops the raising) keeps large, short-lived blocks
in their own mappings: measured on the 500-feed refresh benchmark, the story grouping's drain grows
the resident size by 18 MB instead of 40 (``docs/PERFORMANCE.md``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging

log = logging.getLogger("atelier.memory")

M_MMAP_THRESHOLD = -3  # glibc's malloc.h
LARGE_BLOCK = 128 * 1024  # glibc's default threshold


@functools.cache
def return_large_blocks() -> bool:
    """Fix the allocator's mapping threshold, once per process; False where it is not glibc's."""
    name = ctypes.util.find_library("c")
    try:
        mallopt = ctypes.CDLL(name).mallopt
    except (OSError, AttributeError, TypeError):  # another C library (musl, macOS, Windows)
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    done = mallopt(M_MMAP_THRESHOLD, LARGE_BLOCK) == 1
    if not done:
        log.info("the C library did not take the mapping threshold")
    return done

"""Process memory: give large freed blocks, and freed heap pages, back to the system.

glibc's allocator serves blocks above a threshold (128 KiB) with their own mappings, returned to the
system when freed, but it raises that threshold to the size of each such block freed (up to 32 MiB).
After a refresh has held a 10 MB body or the story grouping a few MB of numpy postings, the next
blocks of that size come from the heap instead, where freed memory stays counted in the process's
resident size. Fixing the threshold (which also stops the raising) keeps large, short-lived blocks
in their own mappings: measured on the 500-feed refresh benchmark, the story grouping's drain grows
the resident size by 18 MB instead of 40 (``docs/PERFORMANCE.md``). ``trim`` returns the free pages
left between blocks still in use after a burst of short-lived allocations (a drain's batch).
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
def _libc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"))
        libc.mallopt.argtypes, libc.mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
        libc.malloc_trim.argtypes, libc.malloc_trim.restype = [ctypes.c_size_t], ctypes.c_int
    except (OSError, AttributeError, TypeError):  # another C library (musl, macOS, Windows)
        return None
    return libc


@functools.cache
def return_large_blocks() -> bool:
    """Fix the allocator's mapping threshold, once per process; False where it is not glibc's."""
    libc = _libc()
    if libc is None:
        return False
    done = libc.mallopt(M_MMAP_THRESHOLD, LARGE_BLOCK) == 1
    if not done:
        log.info("the C library did not take the mapping threshold")
    return done


def trim() -> bool:
    """Give the free pages of the allocator's heaps back to the system (glibc's ``malloc_trim``);
    False where it is not glibc's or nothing was given back."""
    libc = _libc()
    return libc is not None and libc.malloc_trim(0) == 1

"""The allocator settings the refresh relies on for its memory figures."""

from __future__ import annotations

import ctypes.util
import subprocess
import sys

import pytest

from workbench.memory import return_large_blocks

GLIBC = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not ctypes.util.find_library("c"), reason="glibc only"
)


@GLIBC
def test_the_mapping_threshold_is_fixed_once_per_process() -> None:
    assert return_large_blocks() is True
    assert return_large_blocks() is True  # cached: one call to the C library
    assert return_large_blocks.cache_info().hits >= 1


@GLIBC
def test_trim_gives_freed_heap_pages_back() -> None:
    """20 MB of heap blocks (under the mapping threshold) freed between blocks in use stay resident
    until ``trim``."""
    script = """
from workbench.memory import return_large_blocks, trim
def resident():
    return int(open("/proc/self/status").read().split("VmRSS:")[1].split()[0]) // 1024
return_large_blocks()
blocks, kept = [], []
for i in range(200):  # each freed block lies between two blocks in use: not at the heap's top
    blocks.append(b"x" * 100_000 + bytes([i]))
    kept.append(b"y" * 1_000 + bytes([i]))
del blocks
before = resident()
print(trim(), before - resident())
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    released, freed_mb = done.stdout.split()
    assert released == "True" and int(freed_mb) >= 5

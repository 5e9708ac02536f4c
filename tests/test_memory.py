"""The allocator setting the refresh relies on for its memory figures."""

from __future__ import annotations

import ctypes.util
import sys

import pytest

from workbench.memory import return_large_blocks


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or not ctypes.util.find_library("c"), reason="glibc only"
)
def test_the_mapping_threshold_is_fixed_once_per_process() -> None:
    assert return_large_blocks() is True
    assert return_large_blocks() is True  # cached: one call to the C library
    assert return_large_blocks.cache_info().hits >= 1

"""Tables as people read them (``st.dataframe``): French numbers, « — » where a value is missing.

Streamlit writes a missing value « None » and a number with a decimal point (``85.0``);
``people_table`` turns each number into its French text (``workbench.numbers.fr_number``) and each
missing value into « — », so every table of the app reads the same way.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from decimal import Decimal
from numbers import Integral, Number
from typing import Any

import pandas as pd

from workbench.localtime import EMPTY
from workbench.numbers import fr_number, signed_number


def _cell(value: Any, digits: int, signed: bool) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return EMPTY
    if isinstance(value, bool) or not isinstance(value, Number | Decimal):
        return value
    if isinstance(value, float) and math.isnan(value):
        return EMPTY
    places = 0 if isinstance(value, Integral) else digits
    return (signed_number if signed else fr_number)(value, places)  # type: ignore[arg-type]


def people_table(
    rows: pd.DataFrame | Sequence[Mapping[str, Any]], *, digits: int = 0, signed: Collection[str] = ()
) -> pd.DataFrame:
    """``rows`` with French numbers (``digits`` decimals for fractions, none for counts; ``signed``
    columns show « +3 ») and « — » for what is missing."""
    if isinstance(rows, pd.DataFrame):
        return pd.DataFrame(
            {name: [_cell(v, digits, name in signed) for v in rows[name]] for name in rows.columns},
            columns=rows.columns,
            index=rows.index,
        )
    rows = list(rows)  # one frame built, not two: a results page shows three tables
    names = list(dict.fromkeys(name for row in rows for name in row))
    return pd.DataFrame(
        {name: [_cell(row.get(name), digits, name in signed) for row in rows] for name in names}
    )

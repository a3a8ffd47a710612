"""A SELECT's rows as a pandas frame of strings, without a Python object per term.

Oxigraph serialises the solutions as SPARQL CSV in Rust and pandas parses them in C:
on 100k rows about five times less CPU than iterating ``QuerySolution`` terms. CSV
gives IRIs and literal values as plain text (language tags and datatypes are lost, so
ask for ``LANG(?x)`` when it matters); an unbound value is the empty string.
"""

from __future__ import annotations

import io

import pandas as pd
import pyoxigraph as ox

from kg.store import Store


def select_frame(store: Store, sparql: str, *, union: bool = True) -> pd.DataFrame:
    """Every solution of a SELECT as a row of strings ("" when unbound), columns named after the variables."""
    res = store.query(sparql, union=union)
    columns = [v.value for v in res.variables]
    if hasattr(res, "serialize"):
        data = res.serialize(format=ox.QueryResultsFormat.CSV)
        if not data.strip():
            return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
        frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, na_filter=False)
        return frame.astype("object")
    rows = [["" if t is None else t.value for t in sol] for sol in res]
    return pd.DataFrame(rows, columns=columns, dtype="object")


__all__ = ["select_frame"]

"""Loads Annalist's `events-ucdp` export with pandas beside a real UCDP GED file and checks
that the two concatenate as one dataset: no column the GED file lacks, and no dtype
conflict on the shared columns.

A dtype conflict is a shared column whose values pandas reads as different kinds in the
two files (numbers in one, text in the other), or one that `pd.concat` turns from numbers
into mixed objects. A column Annalist leaves empty for every row (a UCDP identifier such as
`conflict_new_id`, which only UCDP assigns) has no values to conflict with: pandas reads it
as missing (float NaN), and concatenated with the GED file's integers it is float, as any
integer column with missing values is in pandas.

Usage: python3 scripts/check-events-ucdp.py EXPORT.csv UCDP_GED.csv
Prints one summary line and exits 1 with the reasons on any failure.
"""

import sys

import pandas as pd
from pandas.api import types


def kind(series):
    """'number', 'text', 'empty' or the dtype's name, for what a column holds."""
    values = series.dropna()
    if values.empty:
        return "empty"
    if types.is_bool_dtype(series):
        return "bool"
    if types.is_numeric_dtype(series):
        return "number"
    if all(isinstance(v, str) for v in values):
        return "text"
    return f"mixed({series.dtype})"


def main(ours_path, ucdp_path):
    with_warnings = []
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ucdp = pd.read_csv(ucdp_path)
        ours = pd.read_csv(ours_path)
        both = pd.concat([ucdp, ours], ignore_index=True)
        with_warnings = [str(w.message) for w in caught]

    problems = []
    if with_warnings:
        problems.append(f"pandas warned: {with_warnings}")
    new_columns = [c for c in ours.columns if c not in ucdp.columns]
    if new_columns:
        problems.append(f"columns the UCDP file lacks: {new_columns}")
    if list(both.columns) != list(ucdp.columns):
        problems.append("the concatenation's columns are not UCDP's, in UCDP's order")
    if ours.empty:
        problems.append("the export has no rows")
    filled = 0
    for column in ours.columns:
        if column not in ucdp.columns:
            continue
        ours_kind, ucdp_kind, both_kind = kind(ours[column]), kind(ucdp[column]), kind(both[column])
        if ours_kind == "empty":
            continue
        filled += 1
        if ours_kind != ucdp_kind and ucdp_kind != "empty":
            problems.append(f"{column}: {ours_kind} here, {ucdp_kind} in UCDP")
        if both_kind.startswith("mixed") or (ucdp_kind == "number" and both_kind != "number"):
            problems.append(f"{column}: {both_kind} after pd.concat (UCDP: {ucdp[column].dtype})")
    # The dates must read as dates in both.
    for column in ("date_start", "date_end"):
        parsed = pd.to_datetime(both[column], format="%Y-%m-%d", errors="coerce")
        bad = both[column].notna() & parsed.isna()
        if bad.any():
            problems.append(f"{column}: not YYYY-MM-DD in {int(bad.sum())} rows")
    print(
        f"events-ucdp: {len(ours)} rows, {len(ours.columns)} columns "
        f"({filled} with values), UCDP: {len(ucdp)} rows; concat: {len(both)} rows, "
        f"{len(both.columns)} columns; problems: {len(problems)}"
    )
    for problem in problems:
        print("  " + problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))

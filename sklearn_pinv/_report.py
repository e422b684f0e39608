"""Rendering of reports: one number format, plain text, Markdown and JSON-safe values.

A report is a list of sections ``(title, items)``; an item is a line of text
or a :class:`Table`. The text and Markdown renderers share that structure,
so both formats always say the same thing.
"""

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

__all__ = ["Table", "fmt", "gather_warnings", "jsonable", "render"]


def fmt(x):
    """The report's one number format: 4 significant digits, integers as is."""
    if x is None:
        return "-"
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    x = float(x)
    return f"{x:.4g}" if math.isfinite(x) else str(x)  # nan, inf, -inf


@dataclass
class Table:
    """Rows of cells; numbers are formatted by :func:`fmt` and right-aligned, text left."""

    headers: list
    rows: list

    def cells(self):
        return [[c if isinstance(c, str) else fmt(c) for c in row] for row in self.rows]

    def numeric(self):
        """Per column: whether it holds numbers (right-aligned)."""
        return [any(not isinstance(row[j], str) for row in self.rows)
                for j in range(len(self.headers))]


def _text_table(table):
    rows = [list(table.headers)] + table.cells()
    widths = [max(len(row[j]) for row in rows) for j in range(len(table.headers))]
    right = table.numeric()
    return ["  ".join(c.rjust(w) if r else c.ljust(w)
                      for c, w, r in zip(row, widths, right)).rstrip() for row in rows]


def _markdown_table(table):
    def line(cells):
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    rule = "|" + "|".join("--:" if r else "---" for r in table.numeric()) + "|"
    return [line(table.headers), rule] + [line(row) for row in table.cells()]


def render(sections, style="text"):
    """The sections as plain text (``style="text"``) or Markdown (``"markdown"``)."""
    out = []
    for title, items in sections:
        if style == "markdown":
            out += [f"## {title}", ""]
        else:
            out += [title, "-" * len(title)]
        for item in items:
            if isinstance(item, Table):
                table = _markdown_table(item) if style == "markdown" else _text_table(item)
                out += ([] if out[-1] in ("", "-" * len(title)) else [""]) + table + [""]
            else:
                out += [f"- {item}"] if style == "markdown" else [item]
        if out[-1] != "":
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def jsonable(value):
    """``value`` with numpy scalars/arrays as Python types and NaN/inf as None (strict JSON)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [jsonable(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if value is None or isinstance(value, str):
        return value
    return str(value)  # tolerance policy objects: their repr-like str


def gather_warnings(caught):
    """Recorded warnings as ``[{"category", "message", "count"}]``, repeats counted once."""
    counts = Counter((w.category.__name__, str(w.message)) for w in caught)
    return [{"category": c, "message": m, "count": n} for (c, m), n in counts.items()]

"""The shape of a CSV file before pandas reads it: encoding, delimiter, header, row count.

The delimiter is sniffed from the first lines unless given; ``--delimiter``
accepts names (``tab``, ``semicolon``, ``whitespace``...), escapes (``\\t``)
and multi-character separators (``;;``). Every problem is a :class:`CLIError`
with one line that says what to change.
"""

import codecs
import csv
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CLIError", "Dialect", "dialect_of", "estimate_rows", "listing"]

_NAMED = {"tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|", "space": " ",
          "whitespace": None}
_SNIFFED = [",", ";", "\t", "|"]
_SAMPLE_BYTES = 1 << 16


class CLIError(Exception):
    """A problem with the user's input: reported in one line, exit code 1."""


@dataclass
class Dialect:
    """How pandas should read the file (``sep`` is a regex for the python engine)."""

    sep: str
    engine: str
    decimal: str
    encoding: str
    delimiter: str  # as the user would type it: ";", "\t", ";;" or "whitespace"
    how: str  # "given", "detected" or why the default was kept
    header: list  # column names as written (stripped), "" when unnamed

    @property
    def described(self):
        """For messages and the report, e.g. ``';' (detected)``."""
        shown = self.delimiter if self.delimiter == "whitespace" else repr(self.delimiter)
        return shown if self.how == "given" else f"{shown} ({self.how})"


def listing(items, limit=10):
    items = [str(item) for item in items]
    more = f" and {len(items) - limit} more" if len(items) > limit else ""
    return ", ".join(items[:limit]) + more


def _encoding(name):
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise CLIError(f"unknown encoding {name!r} (try utf-8, latin-1 or cp1252)") from None
    return "utf-8-sig" if codec == "utf-8" else name  # drop a byte-order mark


def _sample(path, encoding):
    with open(path, "rb") as handle:
        raw = handle.read(_SAMPLE_BYTES)
    if not raw.strip():
        raise CLIError(f"{path} is empty")
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        if exc.start < len(raw) - 4:  # not just a character cut at the sample's end
            raise CLIError(f"{path} is not valid {encoding} (byte {exc.start}): "
                           "give its encoding, e.g. --encoding latin-1") from None
        text = raw[:exc.start].decode(encoding)
    lines = [line for line in text.splitlines() if line.strip()]
    # The sample may cut its last line short.
    return lines[:-1] if len(raw) == _SAMPLE_BYTES and len(lines) > 1 else lines


def parse_delimiter(spec):
    """``(sep, engine, delimiter)`` from the ``--delimiter`` text, or CLIError."""
    if spec.lower() in _NAMED:
        sep = _NAMED[spec.lower()]
        return (r"\s+", "python", "whitespace") if sep is None else (sep, "c", sep)
    if "\\" in spec:
        try:
            spec = codecs.decode(spec, "unicode_escape")
        except UnicodeDecodeError:
            raise CLIError(f"cannot read --delimiter {spec!r}: use a character, "
                           "'\\t' or a name such as tab, semicolon, whitespace") from None
    if not spec:
        raise CLIError("--delimiter is empty: give a character such as ',' ';' or 'tab'")
    if any(c in spec for c in "\r\n\"") or (spec.isspace() and len(spec) > 1):
        raise CLIError(f"--delimiter {spec!r} cannot separate fields: "
                       "give a character such as ',' ';' or 'tab'")
    if len(spec) == 1:
        return spec, "c", spec
    return re.escape(spec), "python", spec


def _fields(line, sep):
    return next(csv.reader([line], delimiter=sep, skipinitialspace=True))


def _sniff(lines):
    """The candidate that splits every sampled data line into the same number (>= 2) of
    fields, the header into as many (or one fewer: a header without a cell for row labels)."""
    best = None
    for sep in _SNIFFED:
        counts = {len(_fields(line, sep)) for line in lines[1:] or lines}
        n = counts.pop() if len(counts) == 1 else 0
        if n >= 2 and len(_fields(lines[0], sep)) in (n, n - 1) and not (best and best[1] >= n):
            best = (sep, n)
    if best:
        return best[0], "c", best[0], "detected"
    if len({len(line.split()) for line in lines}) == 1 and len(lines[0].split()) >= 2:
        return r"\s+", "python", "whitespace", "detected"
    return ",", "c", ",", "the default: nothing else splits the lines evenly"


def _header(line, sep, engine):
    if engine == "c":
        names = _fields(line, sep)
    else:
        names = re.split(sep, line.strip())
    return [name.strip() for name in names]


def dialect_of(path, delimiter=None, decimal=".", encoding="utf-8"):
    """Check the file and settle how to read it; CLIError on any problem."""
    path = Path(path)
    if not path.is_file():
        raise CLIError(f"file not found: {path}" if not path.exists()
                       else f"{path} is not a file")
    encoding = _encoding(encoding)
    lines = _sample(path, encoding)
    try:
        if delimiter is None:
            sep, engine, given, how = _sniff(lines)
        else:
            (sep, engine, given), how = parse_delimiter(delimiter), "given"
        header = _header(lines[0], sep, engine)
    except csv.Error as exc:
        raise CLIError(f"cannot read the header of {path}: {exc}") from None
    if len(decimal) != 1 or decimal == sep or decimal.isspace():
        raise CLIError(f"--decimal {decimal!r} must be one character other than the "
                       f"delimiter, e.g. '.' or ','")
    if len(lines) < 2:
        raise CLIError(f"{path} has a header but no data rows")
    named = [name for name in header if name]
    for name in named:
        if named.count(name) > 1:
            raise CLIError(f"column name {name!r} appears more than once in {path}")
    return Dialect(sep, engine, decimal, encoding, given, how, header)


def estimate_rows(path, block=1 << 22):
    """Data rows if every line is one row (blank lines make it an overestimate)."""
    newlines, last = 0, b"\n"
    with open(path, "rb") as handle:
        while chunk := handle.read(block):
            newlines += chunk.count(b"\n")
            last = chunk[-1:]
    return max(newlines - 1 + (last != b"\n"), 1)

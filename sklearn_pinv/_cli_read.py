"""A CSV file into ``X``, ``Y`` and the story of which columns went where.

pandas parses the file in row chunks straight into one preallocated
Fortran-ordered float64 array (numeric features first, then the targets), so
peak memory stays near the size of the numbers rather than twice it. Text
columns are one-hot encoded (one level dropped when there is an intercept,
which absorbs it) or, when they look like numbers with a typo or like
identifiers, rejected with a message that says what to do.
"""

import difflib
import time
import warnings
from dataclasses import dataclass, field

import numpy as np

from ._cli_csv import CLIError, dialect_of, estimate_rows, listing
from ._report import gather_warnings

__all__ = ["Loaded", "load", "require_pandas"]

CHUNK_ROWS = 20000  # larger chunks: no faster, more memory
MAX_LEVELS = 50  # more distinct texts than this: an identifier or free text, not a category


@dataclass
class Loaded:
    """What the reader made of a file."""

    X: np.ndarray
    Y: np.ndarray
    features: list
    targets: list
    info: dict  # file, delimiter, decimal, encoding, rows, index_column, dropped, encoded
    notes: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    dialect: object = None  # the _cli_csv.Dialect the file was read with


def require_pandas():
    try:
        import pandas
    except ImportError:
        raise CLIError("diagnose reads CSV files with pandas: "
                       "pip install 'sklearn-pinv[cli]' (or pip install pandas)") from None
    return pandas


def _unknown(names, columns, path, what, delimiter):
    name = names[0]
    close = difflib.get_close_matches(name, columns, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    seps = [c for c in ";\t|," if len(columns) == 1 and c in columns[0]]
    if seps:
        hint += (f"; read with delimiter {delimiter} the header is one field, but it holds "
                 f"{seps[0]!r}: try --delimiter {'tab' if seps[0] == chr(9) else repr(seps[0])}")
    return CLIError(f"no {what} {name!r} in {path}{hint}; columns are: {listing(columns, 30)}")


def _check_names(names, columns, path, option, delimiter):
    missing = [name for name in names if name not in columns]
    if missing:
        raise _unknown(missing, columns, path, "column" if option == "--target"
                       else f"column (from {option})", delimiter)


def roles(header, path, targets, features=None, drop=(), index_col=None, delimiter="','"):
    """``(columns, index, targets, features, dropped, note)``, checked against the header.

    ``columns`` names every column as pandas will (``Unnamed: j`` when the
    header cell is empty); ``note`` says why an index column was chosen.
    """
    columns = [name or f"Unnamed: {j}" for j, name in enumerate(header)]
    note = None
    if index_col is None and header[0] == "":
        index_col = columns[0]
        note = ("the first column has no name (pandas' default row index, as written by "
                "DataFrame.to_csv): it is the row index, not a feature (--index-col none "
                "to use it)")
    index_col = None if index_col in (None, "none") else index_col
    for option, names in (("--target", targets), ("--features", features or []),
                          ("--drop", drop), ("--index-col", [index_col] if index_col else [])):
        _check_names(names, columns, path, option, delimiter)
    if len(set(targets)) < len(targets):
        raise CLIError("--target names a column twice")
    if set(targets) & (set(drop) | {index_col}):
        raise CLIError(f"target {sorted(set(targets) & (set(drop) | {index_col}))[0]!r} is "
                       "also given with --drop or as the index column")
    taken = set(targets) | set(drop) | {index_col}
    if features is None:
        features = [c for c in columns if c not in taken]
    clash = [name for name in features if name in taken]
    if clash:
        raise CLIError(f"column {clash[0]!r} is given with --features and also as a target, "
                       "the index column or with --drop")
    if not features:
        raise CLIError(f"{path} has no feature columns besides the target "
                       f"{listing(targets)}")
    return columns, index_col, list(targets), list(features), list(drop), note


def _numbers(series):
    """``(numbers, positions of the cells that are text but not a number)``."""
    numbers = require_pandas().to_numeric(series, errors="coerce")
    return numbers, np.flatnonzero(numbers.isna().to_numpy() & series.notna().to_numpy())


def _as_numbers(name, series, offset, kind):
    """A column pandas left as text, as numbers; CLIError naming the first bad cell."""
    numbers, bad = _numbers(series)
    if not bad.size:  # e.g. numbers with trailing blanks
        return numbers
    row, cell = offset + int(bad[0]) + 1, series.iloc[bad[0]]
    if _decimal_commas(series):
        raise CLIError(f"{kind} {name!r} holds {cell!r} (data row {row}): numbers with a "
                       "decimal comma? add --decimal ','")
    raise CLIError(f"{kind} {name!r} is not numeric: data row {row} holds {cell!r}")


def _decimal_commas(series):
    """Whether most cells read like numbers with a decimal comma ("1,5")."""
    texts = series.dropna().astype(str).str.strip()
    return len(texts) > 0 and texts.str.fullmatch(r"[+-]?\d*,\d+([eE][+-]?\d+)?").mean() > 0.5


def _is_text(series, name, targets):
    """First chunk: is the column a category (text) rather than numbers (with a typo)?"""
    pd = require_pandas()
    if pd.api.types.is_numeric_dtype(series.dtype):
        return False
    numbers, bad = _numbers(series)
    if name in targets or not bad.size or numbers.notna().sum() > bad.size or (
            _decimal_commas(series)):
        # Mostly numbers: a typo or a decimal mark, not a category (raises if bad).
        _as_numbers(name, series, 0, "target column" if name in targets else "column")
        return False
    return True


class _Buffer:
    """Rows of the numeric columns, written chunk by chunk into one Fortran array."""

    def __init__(self, rows, cols):
        self.data = np.empty((rows, cols), order="F")
        self.n = 0

    def append(self, block):
        end = self.n + block.shape[0]
        if end > self.data.shape[0]:  # the row estimate was short (\r line endings)
            grown = np.empty((max(end, 2 * self.data.shape[0]), self.data.shape[1]), order="F")
            grown[:self.n] = self.data[:self.n]
            self.data = grown
        self.data[self.n:end] = block
        self.n = end

    def rows(self):
        return self.data[:self.n]


def _reader(path, dialect, columns):
    pd = require_pandas()
    return pd.read_csv(
        path, sep=dialect.sep, engine=dialect.engine, decimal=dialect.decimal,
        encoding=dialect.encoding, names=columns, header=0, skipinitialspace=True,
        chunksize=CHUNK_ROWS)  # no usecols: with it, pandas ignores surplus fields


def _chunks(path, dialect, columns):
    pd = require_pandas()
    try:
        yield from _reader(path, dialect, columns)
    except UnicodeDecodeError as exc:
        raise CLIError(f"{path} is not valid {dialect.encoding} ({exc.reason}): give its "
                       "encoding, e.g. --encoding latin-1") from None
    except (pd.errors.ParserError, ValueError) as exc:
        message = str(exc).strip().splitlines()[-1]
        raise CLIError(f"cannot read {path} with delimiter {dialect.described}: "
                       f"{message.replace('Error tokenizing data. C error: ', '')}") from None


def _read(path, dialect, columns, targets, features, progress):
    """``(numeric block, numeric names, text columns)`` of the used columns."""
    used = [c for c in columns if c in set(features) | set(targets)]
    estimate, buffer, numeric, text = estimate_rows(path), None, None, {}
    last = time.perf_counter()
    for chunk in _chunks(path, dialect, columns):
        if buffer is None:
            implicit = not isinstance(chunk.index, require_pandas().RangeIndex)
            kinds = {c: _is_text(chunk[c], c, targets) for c in used}
            numeric = [c for c in features if not kinds[c]] + list(targets)
            text = {c: [] for c in features if kinds[c]}
            buffer = _Buffer(estimate, len(numeric))
        for c in numeric:
            if not require_pandas().api.types.is_numeric_dtype(chunk[c].dtype):
                chunk[c] = _as_numbers(c, chunk[c], buffer.n,
                                       "target column" if c in targets else "column")
        for c, parts in text.items():
            parts.append(chunk[c].astype(object).to_numpy())
        buffer.append(chunk[numeric].to_numpy(dtype=np.float64, na_value=np.nan))
        if time.perf_counter() - last > 2:
            progress(f"reading: {buffer.n} of about {estimate} rows")
            last = time.perf_counter()
    if buffer is None or buffer.n == 0:
        raise CLIError(f"{path} has a header but no data rows")
    text = {c: np.concatenate(p) for c, p in text.items()}
    return buffer.rows(), numeric, text, implicit


def _check_finite(block, numeric, text, columns, path):
    bad = ~np.isfinite(block)
    rows = bad.any(axis=1)
    cols = {numeric[j] for j in np.flatnonzero(bad.any(axis=0))}
    for c, values in text.items():
        missing = require_pandas().isna(values)
        rows |= missing
        cols |= {c} if missing.any() else set()
    if rows.any():
        raise CLIError(f"missing or non-finite values (NaN/inf) in {path}, data rows "
                       f"{listing(np.flatnonzero(rows) + 1)} (1-based, header not counted), "
                       f"columns {listing([c for c in columns if c in cols])}; "
                       "drop or impute them first")


def _one_hot(name, values, fit_intercept):
    """``(dummies, names, note)`` of a text column; CLIError for an identifier."""
    codes, levels = require_pandas().factorize(np.array([str(v).strip() for v in values]), sort=True)
    levels = [str(level) for level in levels]
    k = len(levels)
    if k > MAX_LEVELS or k > len(values) / 2:
        raise CLIError(f"column {name!r} holds {k} distinct texts (e.g. "
                       f"{listing([repr(v) for v in levels[:3]], 3)}): an identifier or free "
                       f"text, not a category; --drop {name}, or encode it yourself")
    first = int(fit_intercept)
    dummies = (codes[:, None] == np.arange(first, k)).astype(np.float64)
    names = [f"{name}={level}" for level in levels[first:]]
    if k == 1:
        return dummies, names, f"{name!r} holds one text, {levels[0]!r}: left out"
    kept = (f"level {levels[0]!r} dropped: it is the baseline the intercept absorbs"
            if first else f"all {k} levels kept (no intercept absorbs one)")
    return dummies, names, (f"{name!r} is text: one-hot encoded into {listing(names, 5)}; "
                            + kept)


def _assemble(block, numeric, targets, text, fit_intercept):
    """``X`` (numeric features, then encoded text), ``Y``, feature names, notes."""
    nx = len(numeric) - len(targets)
    X, Y, names, notes = block[:, :nx], block[:, nx:], numeric[:nx], []
    encoded = [_one_hot(c, values, fit_intercept) for c, values in text.items()]
    if encoded:
        width = nx + sum(d.shape[1] for d, _, _ in encoded)
        X = np.empty((block.shape[0], width), order="F")
        X[:, :nx], start = block[:, :nx], nx
        for dummies, more, note in encoded:
            X[:, start:start + dummies.shape[1]] = dummies
            start += dummies.shape[1]
            names, notes = names + more, notes + [note]
        Y = Y.copy()  # frees the block
    return X, Y, names, notes


def _row_numbers(X, names):
    """Warnings for numeric columns that count the rows (0, 1, 2, ... or 1, 2, 3, ...)."""
    m, out = X.shape[0], []
    for j, name in enumerate(names):
        v = X[:, j]
        if m > 2 and v[0] in (0, 1) and v[-1] == v[0] + m - 1 and np.array_equal(
                v, np.arange(v[0], v[0] + m)):
            out.append({"category": "DataWarning", "count": 1, "message": (
                f"column {name!r} counts the rows ({int(v[0])}, {int(v[0]) + 1}, ...): a row "
                f"number is not a feature; --index-col {name} or --drop {name}")})
    return out


def load(path, targets, *, features=None, drop=(), index_col=None, delimiter=None,
         decimal=".", encoding="utf-8", fit_intercept=True, progress=None):
    """Read ``path`` for diagnose: a :class:`Loaded`, or CLIError with one line."""
    require_pandas()  # the install hint before anything else
    progress = progress or (lambda message: None)
    dialect = dialect_of(path, delimiter, decimal, encoding)
    columns, index, targets, features, dropped, note = roles(
        dialect.header, path, targets, features, drop, index_col, dialect.described)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        block, numeric, text, implicit = _read(path, dialect, columns, targets, features,
                                               progress)
    if implicit:
        index = "(the first field of each row)"
        note = ("the data rows have one field more than the header (row labels without a "
                "header cell, as R's write.csv can write): the first field is the row index, "
                "not a feature")
    _check_finite(block, numeric, text, columns, path)
    X, Y, names, encoded = _assemble(block, numeric, targets, text, fit_intercept)
    unused = [c for c in columns if c not in set(features) | set(targets) | set(dropped)
              and c != index]
    info = {"file": str(path), "delimiter": dialect.delimiter,
            "delimiter_detected": dialect.how != "given", "decimal": decimal,
            "encoding": encoding, "rows": X.shape[0], "index_column": index,
            "targets": targets, "features": names, "dropped": dropped, "not_used": unused,
            "encoded": list(text)}
    notes = [n for n in [note] + encoded if n]
    return Loaded(X, Y, names, targets, info, notes,
                  gather_warnings(caught) + _row_numbers(X, names), dialect)

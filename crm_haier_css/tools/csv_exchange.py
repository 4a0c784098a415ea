# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Reading distributor files: encoding and header checked before any row.

Distributor systems export UTF-8 (with or without a byte-order mark) or
GB18030. The whole file is decoded once in chunks to tell which, keeping
nothing; rows are then read by ``csv.reader`` over a text wrapper on the
bytes, one at a time.
"""

import codecs
import csv
import io
from itertools import islice

CHUNK = 1 << 20


class ExchangeFileError(ValueError):
    """The file is refused as a whole: nothing was read from its rows."""


def _decodes(raw, encoding):
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        for start in range(0, len(raw), CHUNK):
            decoder.decode(raw[start : start + CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(raw):
    """Return the codec of ``raw``: ``utf-8-sig`` or ``gb18030``.

    :raise ExchangeFileError: for an empty or binary file, or text in
        neither encoding
    """
    if not raw.strip():
        raise ExchangeFileError("empty")
    if b"\x00" in raw[:CHUNK]:
        # UTF-16 text, a spreadsheet or an image: not a CSV file we read.
        raise ExchangeFileError("encoding")
    for encoding in ("utf-8-sig", "gb18030"):
        if _decodes(raw, encoding):
            return encoding
    raise ExchangeFileError("encoding")


def open_rows(raw, encoding):
    """Return a csv reader over ``raw``, decoded lazily."""
    text = io.TextIOWrapper(io.BytesIO(raw), encoding=encoding, newline="")
    return csv.reader(text)


def check_header(header, expected):
    """Return {column: index} of the header row when it has the expected columns.

    Columns may come in any order; names are compared trimmed and lower case.

    :raise ExchangeFileError: with the missing and unknown columns
    """
    names = [(name or "").strip().lower() for name in header or ()]
    missing = [name for name in expected if name not in names]
    unknown = [name for name in names if name and name not in expected]
    if missing or unknown or len(set(names)) != len(names):
        raise ExchangeFileError("header", missing, unknown)
    return {name: names.index(name) for name in expected}


def batches(rows, size, first_line=2):
    """Yield lists of (line number, row) of at most ``size`` rows."""
    numbered = enumerate(rows, start=first_line)
    while batch := list(islice(numbered, size)):
        yield batch

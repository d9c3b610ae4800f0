"""Reading an uploaded or given CSV file into cells, refusing malformed files with row, column and reason.

One reader for every way a CSV enters (import_acled, the admin's ACLED import, ingest_articles), so
a kind of malformed file is refused the same way everywhere (issue 15 point 7):

- text that is not UTF-8 (UTF-16 with or without a byte-order mark, Windows-1256, Latin-1): the line
  and byte are named, and how to save the file as CSV UTF-8; a UTF-8 byte-order mark is fine;
- a NUL byte, or a cell over MAX_CELL_CHARS characters, in a named row and column;
- a file separated by semicolons or tabs (Excel's CSV in many locales): named, not misread;
- a row with more or fewer fields than the header, a quote left open, a quote inside a bare cell;
- CRLF, LF and CR line ends, mixed, are all read as line ends.
"""

import codecs
import csv
import io

from incidents.intake.acled_checks import ImportRefused, Problem

# Longer than any real cell (ACLED notes run to a few thousand characters); csv's own limit
# (131,072) raised a bare _csv.Error instead of naming the row and column.
MAX_CELL_CHARS = 100_000
# At most this many problems are listed: a file in the wrong encoding would otherwise list every row.
MAX_PROBLEMS = 200
_BOMS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
         (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))
SAVE_AS = "Save it as “CSV UTF-8 (comma delimited)” and try again."


def decode(data):
    """The text of a CSV file's bytes (UTF-8, with or without a byte-order mark).

    Raises ImportRefused naming the line and byte of the first thing that is not UTF-8."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            raise ImportRefused([Problem(None, 1, "(file)", f"is {name} text, not UTF-8. {SAVE_AS}")])
    if data[:400].count(b"\x00") > len(data[:400]) // 4:  # ASCII text in UTF-16/32: every other byte is NUL
        raise ImportRefused([Problem(None, 1, "(file)", f"looks like UTF-16 or UTF-32 text without a byte-order "
                                                        f"mark (every other byte is NUL), not UTF-8. {SAVE_AS}")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        start = data.rfind(b"\n", 0, error.start) + 1
        hint = (" It looks like UTF-16 (every other byte is NUL)." if data[:200].count(b"\x00") > 20
                else " It may be in a Windows code page such as Windows-1256 (Arabic) or Windows-1252.")
        raise ImportRefused([Problem(max(line - 1, 1) if line > 1 else None, line, "(file)",
                                     f"byte {error.start - start + 1} of line {line} is not UTF-8.{hint} "
                                     f"{SAVE_AS}")]) from None


def _delimiter_problem(header):
    if len(header) == 1:
        for delimiter, name in ((";", "semicolons (;)"), ("\t", "tabs")):
            if header[0].count(delimiter) >= 2:
                return Problem(None, 1, "(file)", f"is separated by {name}, not commas. {SAVE_AS}")
    return None


def read_cells(text):
    """(header, records) of CSV text: records are (line number, [values]), blank lines skipped.

    Raises ImportRefused naming every malformed row (row 1 is the first after the header), its
    line and column (by header name), and why; nothing is returned from a malformed file."""
    previous = csv.field_size_limit()
    csv.field_size_limit(max(previous, MAX_CELL_CHARS * 4 + 1))  # longer cells are named below
    try:
        return _read_cells(text)
    finally:
        csv.field_size_limit(previous)


def _read_cells(text):
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems, records = [], []
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise ImportRefused([Problem(None, 1, "(header)", f"cannot be read as CSV: {error}. {SAVE_AS}")]) from None
    if header is None:
        raise ImportRefused([Problem(None, 1, "(file)", "is empty.")])
    header = [name.strip().lstrip("\ufeff") for name in header]
    if problem := _delimiter_problem(header):
        raise ImportRefused([problem])
    problems += _cell_problems(None, 1, header, ["(header)"] * len(header))
    number, start = 0, reader.line_num + 1
    while len(problems) < MAX_PROBLEMS:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append(Problem(number + 1, start, "(whole row)", f"cannot be read as CSV: {error} "
                                    "(a quote left open, or a quote inside an unquoted cell)."))
            break
        if any(value.strip() for value in values):
            number += 1
            if len(values) != len(header):
                problems.append(Problem(number, start, "(whole row)",
                                        f"has {len(values)} fields; the header has {len(header)}."))
            else:
                problems += _cell_problems(number, start, values, header)
                records.append((start, values))
        start = reader.line_num + 1
    if problems:
        raise ImportRefused(problems)
    return header, records


def _cell_problems(number, line, values, columns):
    found = []
    for value, column in zip(values, columns):
        if "\x00" in value:
            found.append(Problem(number, line, column, "contains a NUL byte (character 0), which no text may hold."))
        if len(value) > MAX_CELL_CHARS:
            found.append(Problem(number, line, column, f"is {len(value):,} characters long; at most "
                                                       f"{MAX_CELL_CHARS:,} are accepted."))
    return found


def read_csv_file(file):
    """(header, records) from an open file, text or binary (bytes are decoded as UTF-8 here)."""
    data = file.read()
    return read_cells(decode(data) if isinstance(data, bytes) else data)


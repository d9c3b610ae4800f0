"""COPY text streams: values in PostgreSQL's COPY text format, fed to copy_expert batch by batch."""

BATCH = 2000  # lines per read(): big enough to keep COPY busy, small enough for a smooth progress bar


def copy_text(value):
    """A Python value as a field of PostgreSQL's COPY text format."""
    if value is None:
        return r"\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, (list, tuple)):
        return "{" + ",".join('"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"' for v in value) + "}"
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class CopyStream:
    """A file-like object for cursor.copy_expert that pulls batches of lines from a generator."""

    def __init__(self, batches, bar=None):
        self.batches, self.bar = iter(batches), bar

    def read(self, size=-1):
        try:
            count, text = next(self.batches)
        except StopIteration:
            return b""
        if self.bar is not None:
            self.bar.update(count)
        return text.encode("utf-8")

    readline = read


def batched(lines, size=BATCH):
    chunk = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= size:
            yield len(chunk), "".join(chunk)
            chunk = []
    if chunk:
        yield len(chunk), "".join(chunk)


def copy_rows(cur, table, columns, lines, total, label, progress):
    from tqdm import tqdm

    quoted = ", ".join(f'"{column}"' for column in columns)  # "end" is a reserved word
    with tqdm(total=total, desc=label, unit=" rows", disable=not progress, smoothing=0.1) as bar:
        cur.copy_expert(f"COPY {table} ({quoted}) FROM STDIN", CopyStream(batched(lines), bar), 1 << 20)  # size positional: Django's debug cursor takes no keywords


def default_columns(model, generated):
    """Columns the generator does not write, with their model defaults, so new fields do not break COPY."""
    from django.db import connection

    extra = []
    for field in model._meta.concrete_fields:
        if field.column not in generated:
            value = field.get_default() if field.has_default() or not field.null else None
            extra.append((field.column, copy_text(field.get_db_prep_value(value, connection))))
    return extra



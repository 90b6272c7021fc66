"""Checks on an upload's content that must not cost the server more than the upload itself.

Two kinds of file are inspected beyond their first bytes:

* **Zip-based documents** (Word, Excel, PowerPoint, OpenDocument). Nothing is ever inflated whole:
  the archive's directory is read (after checking its size), the declared sizes of its entries are
  capped in total and in their ratio to the stored size, the ODF ``mimetype`` entry is read only up
  to ``MAX_MIMETYPE_BYTES``, and an embedded document that is itself a zip is inspected the same way
  (streamed, at most ``MAX_NESTING`` levels deep). ``zipfile`` never inflates an entry beyond the
  size it declares, so the declared sizes bound the work even when they lie.
* **PDFs**, which are refused when they carry JavaScript, launch actions or embedded files, including
  those hidden in compressed object streams (inflated in bounded chunks) or spelt with ``#xx`` escapes.

``check_upload_content`` raises ``ValidationError`` with a message for the person uploading.
"""

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError

ZIP_MAGIC = b"PK\x03\x04"
MAX_MIMETYPE_BYTES = 100  # "application/vnd.oasis.opendocument.presentation" is 46
MAX_ENTRIES = 10_000  # across all nesting levels; a large Office document has a few hundred
MAX_CENTRAL_DIRECTORY_BYTES = 1024 * 1024  # about 10,000 entries' directory records
MAX_INFLATED_BYTES = 512 * 1024 * 1024  # declared size of all entries, across all levels
MAX_RATIO = 100  # inflated ÷ stored, for an entry (or the whole archive) above RATIO_FLOOR_BYTES
RATIO_FLOOR_BYTES = 1024 * 1024
MAX_NESTING = 2  # a chart's workbook inside a Word document is one level
MAX_NESTED_BYTES = 64 * 1024 * 1024  # embedded archives streamed through, in total
MAX_PDF_INFLATED_BYTES = 64 * 1024 * 1024  # object streams inflated while looking for actions
ARCHIVE_SUFFIXES = (".zip", ".jar", ".7z", ".rar", ".gz", ".tgz", ".bz2", ".xz", ".tar", ".cab", ".iso")

TOO_BIG = (
    "The selected file is too big once opened (it expands to far more than its size). "
    "Open it, save it again as a normal document and upload that."
)
DAMAGED = "The selected file is damaged and cannot be checked. Open it, save it again and upload that."


class UploadRefused(ValidationError):
    """A ValidationError that tells a test which rule refused the file."""

    def __init__(self, message, rule):
        super().__init__(message, code=rule)
        self.rule = rule


@dataclass
class _Budget:
    entries: int = 0
    inflated: int = 0
    nested: int = 0


# ------------------------------------------------------------------------------------- zip
def _end_of_central_directory(tail: bytes, size: int) -> tuple[int, int]:
    """(number of entries, size of the central directory) declared by the archive's end record."""
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise UploadRefused(DAMAGED, "zip-no-directory")
    entries, directory_size = struct.unpack("<xxxxxxxxxxHI", tail[at : at + 16])
    locator = at - 20
    zip64 = entries == 0xFFFF or directory_size == 0xFFFFFFFF
    if zip64 and locator >= 0 and tail[locator : locator + 4] == b"PK\x06\x07":
        # Zip64: the real figures are in a record just before the locator (in every archive an
        # ordinary tool writes).
        start = tail.rfind(b"PK\x06\x06", 0, locator)
        if start < 0 or locator - start < 56:
            raise UploadRefused(DAMAGED, "zip64-no-record")
        entries, directory_size = struct.unpack("<QQ", tail[start + 32 : start + 48])
    return entries, directory_size


def _inspect_zip(fileobj, size: int, depth: int, budget: _Budget) -> list[zipfile.ZipInfo]:
    fileobj.seek(max(0, size - (65535 + 22 + 76)))
    entries, directory_size = _end_of_central_directory(fileobj.read(), size)
    if entries > MAX_ENTRIES or directory_size > MAX_CENTRAL_DIRECTORY_BYTES:
        raise UploadRefused(
            "The selected file contains too many parts to be a normal document. "
            "Open it, save it again and upload that.",
            "zip-entries",
        )
    fileobj.seek(0)
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        raise UploadRefused(DAMAGED, "zip-damaged") from None
    with archive:
        infos = archive.infolist()
        budget.entries += len(infos)
        if budget.entries > MAX_ENTRIES:
            raise UploadRefused(
                "The selected file contains too many parts to be a normal document.", "zip-entries"
            )
        stored = 0
        for info in infos:
            stored += info.compress_size
            budget.inflated += info.file_size
            if budget.inflated > MAX_INFLATED_BYTES:
                raise UploadRefused(TOO_BIG, "zip-inflated-total")
            if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise UploadRefused(TOO_BIG, "zip-ratio")
            if info.filename.lower().endswith(ARCHIVE_SUFFIXES):
                raise UploadRefused(
                    f"The selected file has a compressed archive inside it (“{info.filename[-60:]}”). "
                    "Upload the documents themselves instead.",
                    "zip-archive-inside",
                )
        total = sum(info.file_size for info in infos)
        if total > RATIO_FLOOR_BYTES and total > MAX_RATIO * max(stored, 1):
            raise UploadRefused(TOO_BIG, "zip-ratio")
        if "mimetype" in archive.NameToInfo:
            info = archive.getinfo("mimetype")
            if info.file_size > MAX_MIMETYPE_BYTES:
                raise UploadRefused(DAMAGED, "zip-mimetype-size")
        for info in infos:
            if info.is_dir() or info.file_size < 22:
                continue
            try:
                with archive.open(info) as member:
                    if member.read(4) != ZIP_MAGIC:
                        continue
                    # An embedded document that is itself a zip (Word keeps a chart's workbook so).
                    if depth + 1 > MAX_NESTING:
                        raise UploadRefused(
                            "The selected file has documents nested too deeply inside each other.",
                            "zip-nesting",
                        )
                    budget.nested += info.file_size
                    if budget.nested > MAX_NESTED_BYTES:
                        raise UploadRefused(TOO_BIG, "zip-nested-total")
                    _inspect_zip(member, info.file_size, depth + 1, budget)
            except UploadRefused:
                raise
            except (
                zipfile.BadZipFile,
                OSError,
                ValueError,
                EOFError,
                NotImplementedError,
                RuntimeError,
                zlib.error,
            ):
                raise UploadRefused(DAMAGED, "zip-damaged") from None
    return infos


def read_small_entry(archive: zipfile.ZipFile, name: str, limit: int = MAX_MIMETYPE_BYTES) -> bytes:
    """At most ``limit`` bytes of an entry; ValueError when it holds more (never inflates the rest)."""
    with archive.open(name) as member:
        data = member.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"{name} is larger than {limit} bytes")
    return data


def check_zip(data: bytes) -> None:
    _inspect_zip(io.BytesIO(data), len(data), 0, _Budget())


# ------------------------------------------------------------------------------------- PDF
# Names that make a PDF do something when opened, and what to tell the person uploading.
ACTIVE_NAMES = {
    b"JS": "JavaScript",
    b"JavaScript": "JavaScript",
    b"Launch": "an action that starts another program",
    b"EmbeddedFile": "embedded files",
    b"EmbeddedFiles": "embedded files",
    b"RichMedia": "embedded media (Flash)",
}
_NAME = re.compile(rb"/([^\s/\[\]<>(){}%]{1,127})")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_OBJ = re.compile(rb"\d+\s+\d+\s+obj\b")


def _active_name(text: bytes) -> str | None:
    for match in _NAME.finditer(text):
        name = match.group(1)
        if b"#" in name:
            name = _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name)
        if name in ACTIVE_NAMES:
            return ACTIVE_NAMES[name]
    return None


def _refuse_active(what: str):
    raise UploadRefused(
        f"The selected PDF contains {what}, which could run when it is opened. "
        "Print it to a new PDF (or export it again without attachments or scripts) and upload that.",
        "pdf-active",
    )


def _object_streams(data: bytes):
    """(start, end) of every compressed object stream, whose dictionaries the raw bytes do not show."""
    for match in _STREAM.finditer(data):
        head = data[max(0, match.start() - 2048) : match.start()]
        objects = list(_OBJ.finditer(head))
        dictionary = head[objects[-1].end() :] if objects else head
        dictionary = _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), dictionary)
        if b"/ObjStm" not in dictionary or b"/Filter" not in dictionary:
            continue  # not an object stream, or an uncompressed one (its bytes were scanned already)
        end = data.find(b"endstream", match.end())
        yield match.end(), (end if end >= 0 else len(data)), dictionary


def check_pdf(data: bytes) -> None:
    found = _active_name(data)
    if found:
        _refuse_active(found)
    inflated = 0
    for start, end, dictionary in _object_streams(data):
        if set(re.findall(rb"/(\w+Decode|Fl|AHx|A85|LZW|RL)\b", dictionary)) != {b"FlateDecode"}:
            raise UploadRefused(
                "The selected PDF uses a form of compression that cannot be checked. "
                "Print it to a new PDF and upload that.",
                "pdf-unchecked",
            )
        decompressor = zlib.decompressobj()
        pending, tail = data[start:end], b""
        try:
            while pending:
                chunk = decompressor.decompress(pending, 1024 * 1024)
                pending = decompressor.unconsumed_tail
                inflated += len(chunk)
                if inflated > MAX_PDF_INFLATED_BYTES:
                    raise UploadRefused(TOO_BIG, "pdf-inflated-total")
                found = _active_name(tail + chunk)
                if found:
                    _refuse_active(found)
                tail = chunk[-130:]
                if decompressor.eof or not chunk:
                    break
        except zlib.error:
            raise UploadRefused(
                "The selected PDF is encrypted or damaged, so it cannot be checked. "
                "Print it to a new PDF without a password and upload that.",
                "pdf-unchecked",
            ) from None


# ------------------------------------------------------------------------------------- entry point
def check_upload_content(data: bytes) -> None:
    """Refuse a zip bomb or a PDF with active content; cheap for every other file."""
    if data.startswith(ZIP_MAGIC):
        check_zip(data)
    elif data.startswith(b"%PDF-"):
        check_pdf(data)

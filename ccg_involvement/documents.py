"""Evidence files: what we accept (judged by content, not by name) and how we store them."""

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from django.conf import settings
from django.core.exceptions import ValidationError

from ccg_involvement.upload_checks import check_upload_content, read_small_entry

OOXML = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", {".docx"}),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {".xlsx"}),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", {".pptx"}),
}
ODF = {
    "application/vnd.oasis.opendocument.text": {".odt"},
    "application/vnd.oasis.opendocument.spreadsheet": {".ods"},
    "application/vnd.oasis.opendocument.presentation": {".odp"},
}
OLE2 = {
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
}
TEXT = {".csv": "text/csv", ".txt": "text/plain"}

ACCEPTED_DESCRIPTION = "PDF, Word, Excel, PowerPoint, OpenDocument, CSV, plain text, PNG or JPEG"


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    extensions: frozenset[str]
    label: str


def sanitise_filename(name: str) -> str:
    """A safe display/download name: no directories, no control characters, bounded length."""
    name = PureWindowsPath(PurePosixPath(name or "").name).name
    name = unicodedata.normalize("NFKC", name)
    name = re.sub(r"[^\w .()\-]", "_", name, flags=re.ASCII)
    name = re.sub(r"\s+", " ", name).strip(" .")
    if len(name) > 150:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 150 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 8 else name[:150]
    return name or "document"


def _sniff_zip(data: bytes) -> Sniffed | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                mimetype = read_small_entry(archive, "mimetype").decode("ascii", "replace").strip()
                if mimetype in ODF:
                    return Sniffed(mimetype, frozenset(ODF[mimetype]), "an OpenDocument file")
            if "[Content_Types].xml" in names:
                for prefix, (content_type, extensions) in OOXML.items():
                    if any(n.startswith(prefix) for n in names):
                        return Sniffed(content_type, frozenset(extensions), "an Office document")
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
        return None
    return None


def _looks_like_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            data.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def sniff(data: bytes) -> Sniffed | None:
    """What the bytes really are, or None when they are not a type we accept."""
    if data.startswith(b"%PDF-"):
        return Sniffed("application/pdf", frozenset({".pdf"}), "a PDF")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed("image/png", frozenset({".png"}), "a PNG image")
    if data.startswith(b"\xff\xd8\xff"):
        return Sniffed("image/jpeg", frozenset({".jpg", ".jpeg"}), "a JPEG image")
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return Sniffed("application/x-ole-storage", frozenset(OLE2), "an older Office document")
    if data and _looks_like_text(data):
        return Sniffed("text/plain", frozenset(TEXT), "a text file")
    return None


def validate_upload(uploaded_file) -> tuple[str, str]:
    """Check an upload and return ``(safe name, content type)``; raise ValidationError otherwise."""
    limit = settings.MAX_UPLOAD_SIZE_MB * 1024 * 1024
    if uploaded_file.size == 0:
        raise ValidationError("The selected file is empty.")
    if uploaded_file.size > limit:
        raise ValidationError(f"The selected file must be smaller than {settings.MAX_UPLOAD_SIZE_MB} MB.")
    name = sanitise_filename(uploaded_file.name)
    suffix = PurePosixPath(name).suffix.lower()
    uploaded_file.seek(0)
    data = uploaded_file.read()
    uploaded_file.seek(0)
    check_upload_content(data)  # zip bombs and PDFs with active content, before anything is inflated
    found = sniff(data)
    if found is None:
        raise ValidationError(f"The selected file must be a {ACCEPTED_DESCRIPTION} file.")
    if suffix not in found.extensions:
        raise ValidationError(
            f"The selected file is {found.label} but its name ends in “{suffix or 'nothing'}”. "
            f"Rename it to end in {' or '.join(sorted(found.extensions))}."
        )
    if suffix in OLE2:
        return name, OLE2[suffix]
    if suffix in TEXT:
        return name, TEXT[suffix]
    return name, found.content_type

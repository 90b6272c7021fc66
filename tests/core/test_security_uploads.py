"""Uploads that cannot exhaust memory or carry active content (issue 16, findings 1 and 7).

The bombs are built by hand (raw deflate blocks repeated, zip records written with ``struct``) so
that making a file that inflates to 1 GiB costs the test a fraction of a second. Each is uploaded
through the real views, and the request is measured twice: once under ``tracemalloc`` (the peak of
every Python allocation, whatever the process did before) and once for wall time and the process's
peak resident memory (``VmHWM``, reset through ``/proc/self/clear_refs`` just before).
"""

import functools
import gc
import io
import struct
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ccg_involvement import upload_checks
from ccg_involvement.documents import validate_upload
from ccg_involvement.models import Document
from ccg_involvement.years import ReportingYear
from tests.factories.duties import checklist_for
from tests.factories.engagements import activity_for

MiB = 1024 * 1024
GiB = 1024 * MiB
ODT = b"application/vnd.oasis.opendocument.text"


# ------------------------------------------------------------------------------ building bombs
@functools.cache
def _zero_block() -> bytes:
    """Raw deflate blocks for 1 MiB of zeros, byte-aligned and independent of what precedes them."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(b"\0" * MiB) + compressor.flush(zlib.Z_FULL_FLUSH)


@functools.cache
def _zeros_crc(mebibytes: int, prefix: bytes = b"") -> int:
    crc = zlib.crc32(prefix)
    chunk = b"\0" * MiB
    for _ in range(mebibytes):
        crc = zlib.crc32(chunk, crc)
    return crc


def deflated_zeros(mebibytes: int, prefix: bytes = b"") -> bytes:
    """Raw deflate data for ``prefix`` followed by ``mebibytes`` MiB of zeros."""
    head = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = head.compress(prefix) + head.flush(zlib.Z_FULL_FLUSH) if prefix else b""
    return start + _zero_block() * mebibytes + b"\x03\x00"  # an empty final block


def raw_zip(entries) -> bytes:
    """A zip from ``(name, data as stored, method, crc, declared inflated size)`` entries."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, data, method, crc, size in entries:
        offset = out.tell()
        encoded = name.encode()
        out.write(
            struct.pack(
                "<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, method, 0, 0x21, crc, len(data), size, len(encoded), 0
            )
        )
        out.write(encoded + data)
        central.write(
            struct.pack(
                "<4sHHHHHHIIIHHHHHII",
                b"PK\x01\x02", 20, 20, 0, method, 0, 0x21, crc, len(data), size, len(encoded), 0, 0, 0, 0, 0, offset,
            )
            + encoded
        )  # fmt: skip
    directory = central.getvalue()
    count = len(entries)
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, len(directory), out.tell(), 0)
    return out.getvalue() + directory + end


def stored(name, data: bytes):
    return (name, data, zipfile.ZIP_STORED, zlib.crc32(data), len(data))


def zeros_entry(name, mebibytes, prefix=b"", declared=None):
    data = deflated_zeros(mebibytes, prefix)
    size = len(prefix) + mebibytes * MiB
    return (
        name,
        data,
        zipfile.ZIP_DEFLATED,
        _zeros_crc(mebibytes, prefix),
        size if declared is None else declared,
    )


CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)


@functools.cache
def bombs() -> dict[str, tuple[str, bytes]]:
    """Each finding's variant: (file name, bytes); every one is about 1 MB and inflates to 1 GiB."""
    xlsx_bomb = raw_zip(
        [stored("[Content_Types].xml", CONTENT_TYPES), zeros_entry("xl/worksheets/sheet1.xml", 1024)]
    )
    return {
        # The reported file: an .odt whose mimetype entry inflates to 1 GiB.
        "odt-mimetype": ("minutes.odt", raw_zip([zeros_entry("mimetype", 1024, prefix=ODT)])),
        # The same, its sizes lying: the directory says 39 bytes, the data inflates to 1 GiB.
        "odt-mimetype-lying": (
            "minutes.odt",
            raw_zip([zeros_entry("mimetype", 1024, prefix=ODT, declared=39)]),
        ),
        "docx-document": (
            "report.docx",
            raw_zip([stored("[Content_Types].xml", CONTENT_TYPES), zeros_entry("word/document.xml", 1024)]),
        ),
        "xlsx-sheet": ("figures.xlsx", xlsx_bomb),
        # Nested: a Word document whose chart workbook is the bomb.
        "nested-docx-xlsx": (
            "report.docx",
            raw_zip(
                [
                    stored("[Content_Types].xml", CONTENT_TYPES),
                    stored("word/document.xml", b"<w:document/>"),
                    stored("word/embeddings/Microsoft_Excel_Worksheet.xlsx", xlsx_bomb),
                ]
            ),
        ),
        # Nested: an OpenDocument with a zip file inside.
        "nested-odt-zip": (
            "minutes.odt",
            raw_zip(
                [
                    stored("mimetype", ODT),
                    stored("content.xml", b"<office:document-content/>"),
                    stored("Pictures/photos.zip", raw_zip([zeros_entry("photo.bmp", 1024)])),
                ]
            ),
        ),
        # Many entries: 60,000 directory records, each declaring 1 MiB, all pointing at one small entry.
        "many-entries": ("figures.xlsx", _many_entries(60_000)),
        # Fewer entries, under the count limit, that together declare 9 GiB.
        "many-entries-9gib": ("figures.xlsx", _many_entries(9_000)),
    }


def _many_entries(count: int) -> bytes:
    one = zeros_entry("x", 1)
    body = raw_zip([stored("[Content_Types].xml", CONTENT_TYPES), ("xl/a.xml", *one[1:])])
    # Rewrite the directory so that ``count`` records share the second entry's data.
    local_end = body.index(b"PK\x01\x02")
    records = [body[local_end : body.index(b"PK\x01\x02", local_end + 4)]]
    second = body[body.index(b"PK\x01\x02", local_end + 4) : body.index(b"PK\x05\x06")]
    head, name = second[:46], second[46:]
    records += [
        head[:28] + struct.pack("<H", len(f"xl/{i}.xml")) + head[30:] + f"xl/{i}.xml".encode()
        for i in range(count)
    ]
    directory = b"".join(records)
    total = len(records)
    end = struct.pack(
        "<4sHHHHIIH",
        b"PK\x05\x06",
        0,
        0,
        min(total, 0xFFFF),
        min(total, 0xFFFF),
        len(directory),
        local_end,
        0,
    )
    assert name == b"xl/a.xml"
    return body[:local_end] + directory + end


# ------------------------------------------------------------------------------ measuring
def _peak_rss() -> int | None:
    """The process's peak resident memory since the last reset, in bytes (None when unreadable)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _reset_peak_rss() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def measure(action):
    """(result, seconds, Python peak bytes, process peak growth in bytes or None) of ``action()``."""
    gc.collect()
    tracemalloc.start()
    try:
        result = action()
        _, python_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    gc.collect()
    can_reset = _reset_peak_rss()
    rss_before = _peak_rss()
    started = time.perf_counter()
    action()
    seconds = time.perf_counter() - started
    rss_growth = _peak_rss() - rss_before if can_reset and rss_before is not None else None
    return result, seconds, python_peak, rss_growth


def assert_cheap(seconds, python_peak, rss_growth):
    assert seconds < 1.0, f"took {seconds:.2f} s"
    assert python_peak < 50 * MiB, f"Python allocations peaked at {python_peak / MiB:.0f} MiB"
    if rss_growth is not None:
        assert rss_growth < 50 * MiB, f"the process grew by {rss_growth / MiB:.0f} MiB"


# ------------------------------------------------------------------------------ the bombs
@pytest.mark.parametrize("variant", list(bombs()))
def test_zip_bombs_are_refused_quickly_and_in_little_memory(variant, editor, login):
    name, data = bombs()[variant]
    assert len(data) < 4 * MiB  # far below the 20 MB upload limit
    activity = activity_for(editor)
    client = login(editor)

    def upload():
        return client.post(
            f"/qrv/activities/{activity.pk}/documents/",
            {"file": SimpleUploadedFile(name, data), "title": "Bomb"},
        )

    response, seconds, python_peak, rss_growth = measure(upload)
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not Document.objects.exists()
    assert_cheap(seconds, python_peak, rss_growth)


def test_a_checklist_item_upload_refuses_the_reported_bomb_too(editor, login):
    name, data = bombs()["odt-mimetype"]
    item = checklist_for(editor, "WPPC22", ReportingYear(2025)).items.get(duty__number=1)
    client = login(editor)

    def upload():
        return client.post(
            item.get_absolute_url() + "documents/", {"file": SimpleUploadedFile(name, data), "title": "Bomb"}
        )

    response, seconds, python_peak, rss_growth = measure(upload)
    assert response.status_code == 400
    assert not Document.objects.exists()
    assert_cheap(seconds, python_peak, rss_growth)


@pytest.mark.parametrize(
    "variant, rule",
    [
        ("odt-mimetype", "zip-inflated-total"),
        ("docx-document", "zip-inflated-total"),
        ("xlsx-sheet", "zip-inflated-total"),
        ("nested-docx-xlsx", "zip-inflated-total"),
        ("nested-odt-zip", "zip-archive-inside"),
        ("many-entries", "zip-entries"),
        ("many-entries-9gib", "zip-inflated-total"),
    ],
)
def test_each_bomb_is_refused_by_its_rule_with_a_message(variant, rule):
    name, data = bombs()[variant]
    with pytest.raises(upload_checks.UploadRefused) as refused:
        upload_checks.check_upload_content(data)
    assert refused.value.rule == rule
    assert refused.value.messages[0].startswith("The selected file")


def test_a_mimetype_entry_larger_than_a_few_dozen_bytes_is_refused_even_when_small_overall():
    data = raw_zip([stored("mimetype", ODT + b" " * 200), stored("content.xml", b"<x/>")])
    with pytest.raises(upload_checks.UploadRefused) as refused:
        upload_checks.check_upload_content(data)
    assert refused.value.rule == "zip-mimetype-size"


def test_a_lying_mimetype_is_never_inflated_beyond_the_bytes_needed():
    name, data = bombs()["odt-mimetype-lying"]
    archive = zipfile.ZipFile(io.BytesIO(data))
    tracemalloc.start()
    try:
        with pytest.raises((ValueError, zipfile.BadZipFile)):
            upload_checks.read_small_entry(archive, "mimetype", limit=30)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * MiB
    with pytest.raises(ValidationError):
        validate_upload(SimpleUploadedFile(name, data))


def test_the_ratio_of_an_entry_is_capped_below_the_total():
    data = raw_zip([stored("[Content_Types].xml", CONTENT_TYPES), zeros_entry("word/document.xml", 64)])
    with pytest.raises(upload_checks.UploadRefused) as refused:
        upload_checks.check_upload_content(data)
    assert refused.value.rule == "zip-ratio"


# ------------------------------------------------------------------------------ real documents still pass
def _docx_with_chart_workbook() -> bytes:
    import docx
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["Quarter", "People"])
    workbook.active.append(["Q1", 120])
    sheet = io.BytesIO()
    workbook.save(sheet)
    document = docx.Document()
    document.add_heading("Involvement report", 1)
    for n in range(200):
        document.add_paragraph(f"Paragraph {n}: what we heard and what we did about it. " * 5)
    out = io.BytesIO()
    document.save(out)
    # Add the workbook as Word does for a chart's data.
    buffer = io.BytesIO(out.getvalue())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("word/embeddings/Microsoft_Excel_Worksheet.xlsx", sheet.getvalue())
    return buffer.getvalue()


def _odt() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODT)
        archive.writestr(
            "content.xml", "<office:document-content>" + "<p>text</p>" * 5000 + "</office:document-content>"
        )
        archive.writestr("META-INF/manifest.xml", "<manifest/>")
    return out.getvalue()


def _xlsx() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    for n in range(3000):
        workbook.active.append([n, f"Row {n}", "Some repeated text in every row of the sheet"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "name, build, content_type",
    [
        ("report.docx", _docx_with_chart_workbook, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("minutes.odt", _odt, "application/vnd.oasis.opendocument.text"),
        ("figures.xlsx", _xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)  # fmt: skip
def test_ordinary_office_documents_are_still_accepted(name, build, content_type):
    assert validate_upload(SimpleUploadedFile(name, build())) == (name, content_type)


# ------------------------------------------------------------------------------ PDFs with active content
def pdf(*objects: bytes) -> bytes:
    """A small PDF whose objects are given as bodies (``1 0 obj`` … ``endobj`` is added)."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


PAGES = (
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
)


def object_stream(*bodies: bytes, first_number=10) -> bytes:
    header, content = b"", b""
    for n, body in enumerate(bodies):
        header += b"%d %d " % (first_number + n, len(content))
        content += body + b"\n"
    raw = zlib.compress(header + content)
    return (
        b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (
            len(bodies),
            len(header),
            len(raw),
        )
        + raw
        + b"\nendstream"
    )


ACTIVE_PDFS = {
    "open-action-javascript": pdf(
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >> >>", *PAGES
    ),
    "escaped-name": pdf(
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /J#61vaScript /J#53 4 0 R >> >>", *PAGES
    ),
    "launch": pdf(b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /Launch /F (cmd.exe) >> >>", *PAGES),
    "embedded-file": pdf(b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 4 0 R >> >>", *PAGES),
    "hidden-in-object-stream": pdf(
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 10 0 R >>",
        *PAGES,
        object_stream(b"<< /S /JavaScript /JS (app.launchURL\\('https://evil.example'\\)) >>"),
    ),
}


@pytest.mark.parametrize("variant", list(ACTIVE_PDFS))
def test_pdfs_with_javascript_launch_actions_or_embedded_files_are_refused_with_a_message(
    variant, editor, login
):
    activity = activity_for(editor)
    response = login(editor).post(
        f"/qrv/activities/{activity.pk}/documents/",
        {"file": SimpleUploadedFile("minutes.pdf", ACTIVE_PDFS[variant]), "title": "Minutes"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The selected PDF contains" in page and "could run when it is opened" in page
    assert not Document.objects.exists()


def test_a_pdf_whose_object_stream_is_a_bomb_is_refused_cheaply():
    body = b"\x78\xda" + _zero_block() * 200  # a zlib stream inflating to 200 MiB (never finished)
    data = pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        *PAGES,
        b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode >>\nstream\n" + body + b"\nendstream",
    )
    refused, seconds, python_peak, rss_growth = measure(lambda: _refusal(data))
    assert refused == "pdf-inflated-total"
    assert_cheap(seconds, python_peak, rss_growth)


def _refusal(data):
    try:
        upload_checks.check_upload_content(data)
    except upload_checks.UploadRefused as exc:
        return exc.rule
    return None


def test_ordinary_pdfs_are_accepted_including_object_streams_and_our_own_reports():
    from weasyprint import HTML

    plain = pdf(b"<< /Type /Catalog /Pages 2 0 R >>", *PAGES)
    with_stream = pdf(
        b"<< /Type /Catalog /Pages 2 0 R /Outlines 10 0 R >>",
        *PAGES,
        object_stream(b"<< /Type /Outlines /Count 0 >>"),
    )
    about_javascript = pdf(
        b"<< /Type /Catalog /Pages 2 0 R /Title (We do not use JavaScript or /JSON) >>", *PAGES
    )
    generated = HTML(string="<h1>Involving people</h1><p>What we heard. What we did.</p>").write_pdf()
    for data in (plain, with_stream, about_javascript, generated):
        assert validate_upload(SimpleUploadedFile("report.pdf", data)) == ("report.pdf", "application/pdf")


def test_an_encrypted_object_stream_is_refused_as_uncheckable():
    data = pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        *PAGES,
        b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode >>\nstream\n"
        + bytes(range(256)) * 4
        + b"\nendstream",
    )
    assert _refusal(data) == "pdf-unchecked"


def test_pdfs_are_downloaded_only_as_attachments_with_nosniff(editor, login):
    from ccg_involvement.actions import store_document
    from tests.helpers import close_file

    document = store_document(
        organisation=editor.organisation,
        uploaded_file=SimpleUploadedFile("minutes.pdf", pdf(b"<< /Type /Catalog /Pages 2 0 R >>", *PAGES)),
        title="Minutes",
        by=editor.user,
    )
    response = login(editor).get(f"/qrv/documents/{document.pk}/download/")
    close_file(response)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"

"""Small real files of every type a case file accepts, and the hostile ones it refuses, built in memory."""

import io
import struct
import zipfile
import zlib

from openpyxl import Workbook

from approvals.seed import DEMO_LETTER_PDF


def pdf():
    return DEMO_LETTER_PDF


def png():
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b"")
    )


def jpeg():
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"


def _zip(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data, method in entries:
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return buffer.getvalue()


def docx():
    return _zip(
        [
            ("[Content_Types].xml", b"<?xml version='1.0'?><Types/>", zipfile.ZIP_DEFLATED),
            ("_rels/.rels", b"<?xml version='1.0'?><Relationships/>", zipfile.ZIP_DEFLATED),
            ("word/document.xml", b"<?xml version='1.0'?><w:document/>", zipfile.ZIP_DEFLATED),
        ]
    )


def xlsx():
    workbook = Workbook()
    workbook.active["A1"] = "Costings"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _open_document(mime):
    # The OpenDocument rule: an uncompressed "mimetype" entry first, naming the format.
    return _zip(
        [
            ("mimetype", mime.encode(), zipfile.ZIP_STORED),
            ("content.xml", b"<?xml version='1.0'?><office:document-content/>", zipfile.ZIP_DEFLATED),
        ]
    )


def odt():
    return _open_document("application/vnd.oasis.opendocument.text")


def ods():
    return _open_document("application/vnd.oasis.opendocument.spreadsheet")


def text():
    return "Notes of the call with the Commissioner's office, 3 March.\nCosts agreed in principle.\n".encode()


ALLOWED = {
    "pdf": (pdf, "application/pdf"),
    "docx": (docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": (xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "odt": (odt, "application/vnd.oasis.opendocument.text"),
    "ods": (ods, "application/vnd.oasis.opendocument.spreadsheet"),
    "png": (png, "image/png"),
    "jpg": (jpeg, "image/jpeg"),
    "txt": (text, "text/plain"),
}

# An HTML page with script, as an attacker would name it to pass as a PDF.
HTML_AS_PDF = b"<!DOCTYPE html><html><body><script>fetch('/api/v1/requests').then(r=>r.text())</script></body></html>"
SVG_AS_PNG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"/>'
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
ELF_EXE = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 100
PLAIN_ZIP = _zip([("payload.bin", b"\x00\x01\x02", zipfile.ZIP_DEFLATED)])

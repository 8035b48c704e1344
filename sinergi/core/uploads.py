"""Upload safety: a size limit, the file's kind judged by its content (never its name), and limits
on what a zipped format (XLSX, DOCX, ODS, ODT) may unpack to."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Kinds, as judged from the first bytes and, for zip containers, the entries inside.
XLSX, XLS, ODS, CSV, DOCX, ODT, PDF, PNG, JPEG, TEXT = (
    "xlsx",
    "xls",
    "ods",
    "csv",
    "docx",
    "odt",
    "pdf",
    "png",
    "jpeg",
    "text",
)
SPREADSHEETS = (XLSX, XLS, ODS, CSV)
EVIDENCE = (PDF, DOCX, ODT, XLSX, XLS, ODS, CSV, PNG, JPEG, TEXT)

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _zip_kind(archive: zipfile.ZipFile) -> str | None:
    names = set(archive.namelist())
    if "mimetype" in names:
        mimetype = archive.read("mimetype")[:100]
        if b"opendocument.spreadsheet" in mimetype:
            return ODS
        if b"opendocument.text" in mimetype:
            return ODT
    if "[Content_Types].xml" in names:
        if any(n.startswith("xl/") for n in names):
            return XLSX
        if any(n.startswith("word/") for n in names):
            return DOCX
    return None


def check_zip_limits(archive: zipfile.ZipFile) -> None:
    """Refuse archives that unpack to too much, hold too many entries, or compress suspiciously."""
    entries = archive.infolist()
    if len(entries) > settings.SINERGI_ZIP_MAX_ENTRIES:
        raise ValidationError(
            _("The file holds too many parts (%(count)d; the limit is %(limit)d).")
            % {"count": len(entries), "limit": settings.SINERGI_ZIP_MAX_ENTRIES},
            code="zip_entries",
        )
    unpacked = sum(info.file_size for info in entries)
    packed = max(1, sum(info.compress_size for info in entries))
    if unpacked > settings.SINERGI_ZIP_MAX_UNPACKED_BYTES:
        raise ValidationError(
            _("The file would unpack to %(size)s; the limit is %(limit)s.")
            % {
                "size": filesizeformat(unpacked),
                "limit": filesizeformat(settings.SINERGI_ZIP_MAX_UNPACKED_BYTES),
            },
            code="zip_size",
        )
    if unpacked / packed > settings.SINERGI_ZIP_MAX_RATIO:
        raise ValidationError(
            _("The file is compressed suspiciously tightly and was refused."), code="zip_ratio"
        )


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "cp1258", "cp1252"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def sniff(stream: IO[bytes]) -> str | None:
    """The kind of the file from its content, or None when it is none we know."""
    stream.seek(0)
    head = stream.read(4096)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(_OLE2):
        return XLS
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(stream) as archive:
                check_zip_limits(archive)
                return _zip_kind(archive)
        except zipfile.BadZipFile:
            return None
        finally:
            stream.seek(0)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return TEXT  # UTF-16 with its byte-order mark (Excel's "Unicode text")
    if head and _looks_like_text(head):
        return TEXT
    return None


def validate_upload(upload, allowed: Iterable[str]) -> str:
    """Check an uploaded file; return its kind. CSV counts as text and text as CSV when either is
    allowed, since their content cannot be told apart."""
    allowed = set(allowed)
    limit = settings.SINERGI_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    kind = sniff(upload)
    if kind == TEXT and CSV in allowed:
        kind = CSV
    if kind not in allowed:
        raise ValidationError(
            _("This kind of file is not accepted here. Accepted: %(kinds)s.")
            % {"kinds": ", ".join(sorted(k.upper() for k in allowed))},
            code="kind",
        )
    return kind

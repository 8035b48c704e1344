"""Spreadsheets built in the tests, shaped like the ones offices keep."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.core.files.base import ContentFile
from openpyxl import Workbook

HEADER = [
    "STT",
    "Tên doanh nghiệp",
    "Mã số thuế",
    "Khu công nghiệp",
    "Loại hình doanh nghiệp",
    "Tổng số lao động",
    "Trong đó: nữ",
    "Số đảng viên",
    "Tổ chức đảng",
    "Công đoàn cơ sở",
    "Số đoàn viên công đoàn",
]


def row(
    n: int,
    tax_id: str,
    name: str = "",
    zone: str = "KCN Đông Phố Mới",
    ownership="Tư nhân",
    workers=120,
    women=40,
    party=4,
    party_org="Chi bộ",
    union="Có",
    union_members=60,
):
    return [
        n,
        name or f"Công ty TNHH Thử {n}",
        tax_id,
        zone,
        ownership,
        workers,
        women,
        party,
        party_org,
        union,
        union_members,
    ]


def xlsx(
    rows: Sequence[Sequence],
    *,
    title: str = "(Số liệu tính đến ngày 31/12/2023)",
    header: Sequence[str] = HEADER,
    footer: bool = True,
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["ĐẢNG ỦY KHỐI CƠ QUAN - DOANH NGHIỆP TỈNH"])
    if title:
        sheet.append([title])
    sheet.append([])
    sheet.append(list(header))
    sheet.append([f"({i})" for i in range(1, len(header) + 1)])
    for values in rows:
        sheet.append(list(values))
    if footer:
        sheet.append([None, "Tổng cộng", None, None, None, 999])
        sheet.append([])
        sheet.append([None] * 8 + ["Người lập biểu"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(data: bytes, name: str = "danh_sach.xlsx") -> ContentFile:
    return ContentFile(data, name=name)

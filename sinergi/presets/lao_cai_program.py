"""The Lào Cai Work Coordination Program 2023–2025 between the Bloc party committee and the
Economic Zone Board: its parties, the committees it advises, its zones, its coordination areas
and the indicators its aims translate into.

Source: the report of the program's first-year review conference (Báo Lào Cai, 16 May 2024).
It names the parties, the period, the two committees the program advises (the Provincial Party
Committee and the steering committee of Project 24, Đề án 24-ĐA/TU) and what the parties
coordinate; the areas below follow its wording. It gives neither the number nor the date of the
document that adopted the program, nor targets: a deployment enters them (the demo data invents
plausible targets). The start month is inferred from the review of "one year" of the program
held in May 2024.
"""

import datetime

PROGRAM = {
    "code": "ctph-2023-2025",
    "title": "Chương trình phối hợp công tác giai đoạn 2023 - 2025 giữa Đảng ủy Khối Cơ quan - "
    "Doanh nghiệp tỉnh và Ban Quản lý Khu kinh tế tỉnh",
    "basis_number": "",
    "basis_date": None,
    "starts_on": datetime.date(2023, 5, 1),
    "ends_on": datetime.date(2025, 12, 31),
    "status": "active",
    "report_every": "quarter",
    "description": "Căn cứ để Đảng ủy Khối và Ban Quản lý Khu kinh tế tỉnh tham mưu cho Tỉnh ủy "
    "và Ban Chỉ đạo Đề án 24-ĐA/TU về phát triển đảng viên, tổ chức cơ sở đảng và các tổ chức "
    "đoàn thể trong doanh nghiệp tại các khu công nghiệp, khu chức năng thuộc Khu kinh tế tỉnh.",
}
# Units by code (see lao_cai.py): the parties are the two bodies; the program reports to the
# two committees.
PARTIES = ["bloc-party-committee", "economic-zone-board"]
OVERSEERS = ["provincial-party-committee", "project-24-steering-committee"]
ZONES = ["lao-cai-border-ez"]

AREAS = [
    {
        "number": 1,
        "title": "Tuyên truyền, vận động cán bộ, đảng viên, công nhân lao động và chủ doanh nghiệp",
        "description": "Vận động chấp hành chủ trương, đường lối của Đảng, chính sách, pháp luật "
        "của Nhà nước và nội quy, quy chế của doanh nghiệp.",
    },
    {
        "number": 2,
        "title": "Tuyên truyền chủ trương về xây dựng tổ chức cơ sở đảng, đảng viên và các tổ "
        "chức đoàn thể trong các đơn vị kinh tế tư nhân",
        "description": "",
    },
    {
        "number": 3,
        "title": "Rà soát, thống kê, nắm tình hình doanh nghiệp trong các khu công nghiệp, khu "
        "chức năng",
        "description": "Để định hướng việc thành lập tổ chức đảng, tổ chức chính trị - xã hội và "
        "phát triển đảng viên, đoàn viên công đoàn trong doanh nghiệp.",
    },
    {
        "number": 4,
        "title": "Phát triển tổ chức đảng và đảng viên trong doanh nghiệp",
        "description": "",
    },
    {
        "number": 5,
        "title": "Phát triển tổ chức công đoàn, đoàn thanh niên trong doanh nghiệp",
        "description": "",
    },
    {
        "number": 6,
        "title": "Tham mưu cho Tỉnh ủy và Ban Chỉ đạo Đề án 24-ĐA/TU",
        "description": "Đề xuất giải pháp nâng cao hiệu quả công tác phối hợp; sơ kết, tổng kết "
        "Chương trình.",
    },
]

# `area` is an area number; `organisation_type` an organisation type code (lao_cai.py). Rules
# are described in sinergi/programs/indicator_rules.py.
INDICATORS = [
    {
        "code": "dn-co-to-chuc-dang",
        "name": "Doanh nghiệp trong các KCN, khu chức năng có tổ chức đảng",
        "unit_of_measure": "doanh nghiệp",
        "area": 4,
        "rule": "enterprises_with_organisation",
        "organisation_type": "party",
        "period_kind": "quarter",
        "direction": "up",
    },
    {
        "code": "to-chuc-dang-moi",
        "name": "Tổ chức đảng thành lập mới trong doanh nghiệp",
        "unit_of_measure": "tổ chức",
        "area": 4,
        "rule": "organisations_founded",
        "organisation_type": "party",
        "period_kind": "half",
        "direction": "up",
    },
    {
        "code": "dang-vien-moi",
        "name": "Đảng viên kết nạp mới là người lao động trong doanh nghiệp",
        "unit_of_measure": "đảng viên",
        "area": 4,
        "rule": "new_party_members",
        "organisation_type": None,
        "period_kind": "half",
        "direction": "up",
    },
    {
        "code": "ty-le-cong-doan",
        "name": "Tỷ lệ doanh nghiệp đủ điều kiện đã có công đoàn cơ sở",
        "unit_of_measure": "%",
        "area": 5,
        "rule": "eligible_share_with_organisation",
        "organisation_type": "trade-union",
        "period_kind": "half",
        "direction": "up",
    },
    {
        "code": "luot-nguoi-tuyen-truyen",
        "name": "Lượt người được tuyên truyền, vận động",
        "unit_of_measure": "lượt người",
        "area": 1,
        "rule": "people_reached",
        "organisation_type": None,
        "period_kind": "quarter",
        "direction": "up",
    },
    {
        "code": "dn-duoc-ra-soat",
        "name": "Doanh nghiệp được rà soát, khảo sát",
        "unit_of_measure": "doanh nghiệp",
        "area": 3,
        "rule": "",
        "organisation_type": None,
        "period_kind": "quarter",
        "direction": "up",
        "measure": "flow",
    },
]

# How the program's report and minutes are headed and signed (Hướng dẫn 36-HD/VPTW, a report
# issued jointly by a Party committee and a state agency): the leading body first, each with
# the body above it, its symbol in the document's number, and who signs for it. The names of
# the signatories are left for the office to fill in (sinergi/reviews/services.py,
# document_setup_save); the recipients default to the committees the program reports to.
DOCUMENT_SETUP = {
    "place": "Lào Cai",
    "bodies": [
        {
            "unit": "bloc-party-committee",
            "party": True,
            "symbol": "ĐUK",
            "superior": {
                "vi": "Đảng bộ tỉnh Lào Cai",
                "en": "Lào Cai Provincial Party Organisation",
                "id": "Organisasi Partai Provinsi Lào Cai",
            },
            "name": {
                "vi": "Đảng ủy Khối Cơ quan - Doanh nghiệp",
                "en": "Party Committee of the Agencies and Enterprises Bloc",
                "id": "Komite Partai Blok Instansi dan Perusahaan",
            },
            "capacity": {
                "vi": "T/M Ban Thường vụ",
                "en": "For the Standing Committee",
                "id": "Atas nama Komite Tetap",
            },
            "title": {"vi": "Bí thư", "en": "Secretary", "id": "Sekretaris"},
            "signer": "",
        },
        {
            "unit": "economic-zone-board",
            "party": False,
            "symbol": "BQL",
            "name": {
                "vi": "Ban Quản lý Khu kinh tế",
                "en": "Economic Zone Management Board",
                "id": "Badan Pengelola Kawasan Ekonomi",
            },
            "capacity": {
                "vi": "KT. Trưởng ban",
                "en": "For the Head of the Board",
                "id": "u.b. Kepala Badan",
            },
            "title": {"vi": "Phó Trưởng ban", "en": "Deputy Head", "id": "Wakil Kepala"},
            "signer": "",
        },
    ],
    "recipients": [],
}

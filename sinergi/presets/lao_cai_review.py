"""The first-year review conference of the Lào Cai Work Coordination Program 2023–2025.

Source: Báo Lào Cai's report of the conference of 16 May 2024 (the afternoon of 16 May), held by
the Bloc party committee and the Economic Zone Board to review one year of the program. It says
that the two bodies set their coordination content by area, mobilised cadres, party members,
workers and business owners, disseminated the policy on founding party and mass organisations in
private economic units, reviewed and counted the enterprises of the parks and functional zones;
that delegates of both units stated their opinions, clarified the results, pointed out
limitations and difficulties and proposed solutions; and that both units agreed to keep carrying
out the coordination well. It names no delegate and no figure: attendees are listed by their
office, and the limitations, causes and follow-ups below are the ones the program's own progress
reports record (demo_program.py), worded as a secretary would.
"""

import datetime

PROGRAM_CODE = "ctph-2023-2025"

REVIEW = {
    "kind": "interim",
    "title": "Hội nghị sơ kết 1 năm thực hiện Chương trình phối hợp công tác giai đoạn "
    "2023 - 2025 giữa Đảng ủy Khối Cơ quan - Doanh nghiệp tỉnh và Ban Quản lý Khu kinh tế tỉnh",
    "number": "",
    "period_start": datetime.date(2023, 5, 1),
    "period_end": datetime.date(2024, 4, 30),
    "held_on": datetime.date(2024, 5, 16),
    "place": "Lào Cai",
    "venue": "Hội trường Ban Quản lý Khu kinh tế tỉnh (buổi chiều)",
    "chair": "Lãnh đạo Đảng ủy Khối Cơ quan - Doanh nghiệp tỉnh và lãnh đạo Ban Quản lý Khu "
    "kinh tế tỉnh",
    "secretary": "Đại diện Văn phòng Đảng ủy Khối",
    "agenda": "Báo cáo kết quả 1 năm thực hiện Chương trình phối hợp\n"
    "Đại biểu hai đơn vị phát biểu ý kiến, làm rõ kết quả, chỉ ra hạn chế, khó khăn và đề xuất "
    "giải pháp\n"
    "Kết luận của lãnh đạo hai đơn vị",
}

# (key, name, unit code, position, present)
ATTENDEES = [
    ("bloc-leader", "Lãnh đạo Đảng ủy Khối", "bloc-party-committee", "Bí thư Đảng ủy Khối", True),
    ("ezb-leader", "Lãnh đạo Ban Quản lý KKT", "economic-zone-board", "Trưởng ban", True),
    ("bloc-org", "Đại diện Ban Tổ chức", "bloc-organisation-dept", "Trưởng Ban Tổ chức", True),
    (
        "bloc-prop",
        "Đại diện Ban Tuyên giáo - Dân vận",
        "bloc-propaganda-dept",
        "Trưởng Ban Tuyên giáo - Dân vận",
        True,
    ),
    ("bloc-office", "Đại diện Văn phòng Đảng ủy Khối", "bloc-office", "Chánh Văn phòng", True),
    (
        "ezb-ent",
        "Đại diện Phòng Quản lý doanh nghiệp và lao động",
        "ezb-enterprise-dept",
        "Trưởng phòng",
        True,
    ),
    ("ezb-office", "Đại diện Văn phòng Ban", "ezb-office", "Chánh Văn phòng", True),
    ("ezb-plan", "Đại diện Phòng Quy hoạch", "ezb-planning-dept", "Phó Trưởng phòng", False),
]

# (speaker key, kind, area number or None, text)
CONTRIBUTIONS = [
    (
        "bloc-office",
        "result",
        None,
        "Căn cứ chức năng, nhiệm vụ, quyền hạn, hai bên đã xác định nội dung công tác phối hợp "
        "trong từng lĩnh vực phù hợp với tình hình thực tế; các nội dung phối hợp được triển "
        "khai với tinh thần trách nhiệm của cán bộ, đảng viên, cơ quan tham mưu, phòng chuyên "
        "môn của hai đơn vị.",
    ),
    (
        "bloc-prop",
        "result",
        1,
        "Hai bên đã chủ động phối hợp tuyên truyền, vận động cán bộ, đảng viên, công nhân lao "
        "động và chủ doanh nghiệp chấp hành chủ trương, đường lối của Đảng, chính sách, pháp "
        "luật của Nhà nước và nội quy, quy chế của doanh nghiệp.",
    ),
    (
        "bloc-prop",
        "result",
        2,
        "Đã tuyên truyền chủ trương về phát triển tổ chức cơ sở đảng, đảng viên và các tổ chức "
        "đoàn thể trong các đơn vị kinh tế tư nhân.",
    ),
    (
        "ezb-ent",
        "result",
        3,
        "Đã rà soát, thống kê, nắm tình hình số lượng doanh nghiệp trong các khu công nghiệp, "
        "khu chức năng của tỉnh để định hướng việc thành lập tổ chức đảng, tổ chức chính trị - "
        "xã hội, phát triển đảng viên và đoàn viên công đoàn trong doanh nghiệp.",
    ),
    (
        "bloc-org",
        "limitation",
        4,
        "Việc phát triển tổ chức đảng và đảng viên trong doanh nghiệp ngoài khu vực nhà nước tại "
        "các khu công nghiệp còn chậm; số doanh nghiệp có tổ chức đảng còn ít.",
    ),
    (
        "ezb-ent",
        "difficulty",
        5,
        "Chủ doanh nghiệp tư nhân chưa quan tâm; một số doanh nghiệp FDI chưa bố trí thời gian "
        "cho người lao động tham gia; người lao động biến động nhiều.",
    ),
    (
        "bloc-org",
        "cause",
        4,
        "Số đảng viên làm việc trong doanh nghiệp ít, nhiều doanh nghiệp chưa đủ 3 đảng viên "
        "chính thức để thành lập chi bộ (Điều lệ Đảng, Điều 21); nhận thức của một số chủ doanh "
        "nghiệp về vai trò của tổ chức đảng, đoàn thể còn hạn chế.",
    ),
    (
        "ezb-leader",
        "lesson",
        None,
        "Phối hợp chặt chẽ, thường xuyên giữa hai đơn vị; nắm chắc tình hình doanh nghiệp là cơ "
        "sở để định hướng thành lập tổ chức đảng, đoàn thể.",
    ),
    (
        "ezb-ent",
        "proposal",
        3,
        "Định kỳ cập nhật danh sách doanh nghiệp đủ điều kiện thành lập tổ chức đảng, công đoàn "
        "cơ sở để hai bên cùng vận động.",
    ),
    (
        "bloc-org",
        "proposal",
        6,
        "Tham mưu Tỉnh ủy và Ban Chỉ đạo Đề án 24-ĐA/TU giải pháp nâng cao hiệu quả công tác "
        "phối hợp, phát triển đảng viên, tổ chức cơ sở đảng trong doanh nghiệp tại các khu "
        "công nghiệp trong thời gian tới.",
    ),
]

# (text, owner unit code or None, due date or None, area number or None, task code or None):
# a follow-up names the program's task that already covers it (demo_program.py), when there is
# one, rather than adding a copy.
CONCLUSIONS = [
    (
        "Hai đơn vị thống nhất trong thời gian tới tiếp tục quan tâm thực hiện tốt các nội dung "
        "phối hợp, giúp Đảng ủy Khối và Ban Quản lý Khu kinh tế tỉnh thực hiện tốt chức năng, "
        "nhiệm vụ, góp phần xây dựng tổ chức cơ sở đảng trong các đơn vị kinh tế tư nhân, xây "
        "dựng Đảng, nâng cao vai trò lãnh đạo và hiệu quả lãnh đạo của Đảng trong giai đoạn "
        "hiện nay.",
        None,
        None,
        None,
        None,
    ),
    (
        "Cập nhật danh sách doanh nghiệp đủ điều kiện thành lập tổ chức đảng, công đoàn cơ sở "
        "trong các KCN, khu chức năng và gửi Đảng ủy Khối.",
        "ezb-enterprise-dept",
        datetime.date(2024, 9, 30),
        3,
        "3.2",
    ),
    (
        "Tham mưu Ban Chỉ đạo Đề án 24-ĐA/TU giải pháp phát triển đảng viên trong doanh nghiệp "
        "FDI tại các khu công nghiệp.",
        "bloc-organisation-dept",
        datetime.date(2024, 12, 31),
        6,
        "6.2",
    ),
]

# The draft presented at the conference was made a week before it.
DRAFT_MADE_AT = datetime.datetime(2024, 5, 9, 9, 0)

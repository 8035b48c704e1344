"""The Lào Cai preset: the province's units, zones and organisation types with their rules.

Zone locations are approximate centres (WGS 84, to about a kilometre) for the dashboard's map,
not surveyed boundaries; replace them with the parks' outlines when the zone board has them.

Figures are public ones (areas of the parks and of the border economic zone). Rules cite the
charters they come from; a deployment may change them in the organisation-type settings.
"""

UNITS = [
    {
        "code": "bloc-party-committee",
        "name": "Đảng ủy Khối Cơ quan - Doanh nghiệp tỉnh Lào Cai",
        "short_name": "Đảng ủy Khối",
        "kind": "body",
        "children": [
            {
                "code": "bloc-organisation-dept",
                "name": "Ban Tổ chức Đảng ủy Khối",
                "short_name": "Ban Tổ chức",
                "kind": "department",
            },
            {
                "code": "bloc-propaganda-dept",
                "name": "Ban Tuyên giáo - Dân vận Đảng ủy Khối",
                "short_name": "Ban Tuyên giáo - Dân vận",
                "kind": "department",
            },
            {
                "code": "bloc-office",
                "name": "Văn phòng Đảng ủy Khối",
                "short_name": "Văn phòng Đảng ủy Khối",
                "kind": "department",
            },
        ],
    },
    {
        "code": "economic-zone-board",
        "name": "Ban Quản lý Khu kinh tế tỉnh Lào Cai",
        "short_name": "Ban Quản lý KKT",
        "kind": "body",
        "children": [
            {
                "code": "ezb-enterprise-dept",
                "name": "Phòng Quản lý doanh nghiệp và lao động",
                "short_name": "Phòng Quản lý DN",
                "kind": "department",
            },
            {
                "code": "ezb-planning-dept",
                "name": "Phòng Quản lý quy hoạch và xây dựng",
                "short_name": "Phòng Quy hoạch",
                "kind": "department",
            },
            {
                "code": "ezb-office",
                "name": "Văn phòng Ban Quản lý Khu kinh tế",
                "short_name": "Văn phòng Ban",
                "kind": "department",
            },
        ],
    },
    {
        "code": "provincial-party-committee",
        "name": "Tỉnh ủy Lào Cai",
        "short_name": "Tỉnh ủy",
        "kind": "committee",
        "children": [],
    },
    {
        "code": "project-24-steering-committee",
        "name": "Ban Chỉ đạo Đề án 24-ĐA/TU tỉnh Lào Cai",
        "short_name": "Ban Chỉ đạo Đề án 24",
        "kind": "steering_committee",
        "children": [],
    },
]

# The unit whose editors keep the registry of the province's zones.
REGISTRY_UNIT = "ezb-enterprise-dept"

ZONES = [
    {
        "code": "lao-cai",
        "name": "Tỉnh Lào Cai",
        "short_name": "Lào Cai",
        "kind": "province",
        "latitude": "22.33800",
        "longitude": "104.14900",
        "aliases": [],
        "area_ha": None,
        "children": [
            {
                "code": "lao-cai-border-ez",
                "name": "Khu kinh tế cửa khẩu Lào Cai",
                "short_name": "KKT cửa khẩu Lào Cai",
                "kind": "economic_zone",
                "latitude": "22.49000",
                "longitude": "103.96500",
                "area_ha": "15929.80",
                "aliases": ["KKTCK Lào Cai", "Khu KTCK Lào Cai"],
                "children": [
                    {
                        "code": "kcn-bac-duyen-hai",
                        "name": "Khu công nghiệp Bắc Duyên Hải",
                        "short_name": "KCN Bắc Duyên Hải",
                        "kind": "industrial_park",
                        "latitude": "22.51300",
                        "longitude": "103.95300",
                        "area_ha": "85.00",
                        "aliases": ["Bắc Duyên Hải", "KCN BDH"],
                    },
                    {
                        "code": "kcn-dong-pho-moi",
                        "name": "Khu công nghiệp Đông Phố Mới",
                        "short_name": "KCN Đông Phố Mới",
                        "kind": "industrial_park",
                        "latitude": "22.47300",
                        "longitude": "103.97800",
                        "area_ha": "100.00",
                        "aliases": ["Đông Phố Mới", "KCN ĐPM"],
                    },
                    {
                        "code": "ktmcn-kim-thanh",
                        "name": "Khu thương mại - công nghiệp Kim Thành",
                        "short_name": "Khu TM-CN Kim Thành",
                        "kind": "functional_zone",
                        "latitude": "22.53500",
                        "longitude": "103.94400",
                        "area_ha": "184.00",
                        "aliases": [
                            "Kim Thành",
                            "KTM-CN Kim Thành",
                            "Khu thương mại công nghiệp Kim Thành",
                        ],
                    },
                    {
                        "code": "kcn-tang-loong",
                        "name": "Khu công nghiệp Tằng Loỏng",
                        "short_name": "KCN Tằng Loỏng",
                        "kind": "industrial_park",
                        "latitude": "22.30500",
                        "longitude": "104.07000",
                        "area_ha": "1100.00",
                        "aliases": ["Tằng Loỏng", "KCN TL"],
                    },
                ],
            },
        ],
    },
]

ORGANISATION_TYPES = [
    {
        "code": "party",
        "names": {"en": "Party organisation", "id": "Organisasi partai", "vi": "Tổ chức đảng"},
        # Probationary members do not count; with them, a cell may be founded soon.
        "founding_rule": {
            "any": [{"field": "official_party_members", "min": 3}],
            "potential": [{"field": "party_members", "min": 3}],
        },
        "rule_citation": "Điều lệ Đảng Cộng sản Việt Nam, Điều 21: tổ chức cơ sở đảng (chi bộ "
        "cơ sở) được lập ở đơn vị có từ 3 đảng viên chính thức trở lên.",
        "member_field": "party_members",
        "sort_order": 10,
    },
    {
        "code": "trade-union",
        "names": {"en": "Trade union", "id": "Serikat pekerja", "vi": "Công đoàn cơ sở"},
        # "5 workers applying" is not "5 workers": 5 workers without a union are only a
        # potential group (the registry does not count applications).
        "founding_rule": {
            "any": [{"field": "union_members", "min": 5}],
            "potential": [{"field": "workers", "min": 5}],
        },
        "rule_citation": "Điều lệ Công đoàn Việt Nam 2020, Điều 13: công đoàn cơ sở được thành lập "
        "khi có ít nhất 5 đoàn viên hoặc 5 người lao động có đơn tự nguyện gia nhập.",
        "member_field": "union_members",
        "sort_order": 20,
    },
    {
        "code": "youth-union",
        "names": {"en": "Youth union", "id": "Persatuan pemuda", "vi": "Đoàn thanh niên"},
        "founding_rule": {"any": [{"field": "youth_members", "min": 3}]},
        "rule_citation": "Điều lệ Đoàn TNCS Hồ Chí Minh: chi đoàn có ít nhất 3 đoàn viên "
        "(mức mặc định của cấu hình mẫu; cần đối chiếu với điều lệ hiện hành).",
        "member_field": "youth_members",
        "sort_order": 30,
    },
    {
        "code": "women-union",
        "names": {"en": "Women's union", "id": "Persatuan perempuan", "vi": "Hội Liên hiệp Phụ nữ"},
        "founding_rule": {"any": [{"field": "women_workers", "min": 3}]},
        "rule_citation": "Điều lệ Hội LHPN Việt Nam: chi hội có từ 3 hội viên trở lên "
        "(mức mặc định của cấu hình mẫu; cần đối chiếu với điều lệ hiện hành).",
        "member_field": "",
        "sort_order": 40,
    },
]

"""Demo data of the coordination program: its first year, May 2023 to the review of May 2024,
and the months after the review up to the day the demo is loaded.

Tasks in each area with their lead and supporting units, targets and baselines for the
indicators, quarterly and half-yearly progress reports that the partner body acknowledged (one
returned with a comment, one still waiting for sign-off), evidence, and the activities the two
bodies held. After the review: the reports of the periods ended since (the returned one
corrected, the latest period's partly still missing or waiting for sign-off), more activities,
and new one-off tasks, some due in the coming weeks. Everything goes through the services, as
the people who would have done it: a unit's editor where it has one, else its body's
coordinator. Invented, like the demo enterprises.

The dates below are the story's as written; the demo's calendar (demo_calendar.py) moves them
by whole years so that the story ends shortly before today.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction

from sinergi.accounts.models import Unit, User
from sinergi.core.services import SYSTEM
from sinergi.presets.demo_calendar import FIRST_YEAR_END, PROGRAM_CODE, DemoCalendar, demo_calendar
from sinergi.programs import indicator_rules, services
from sinergi.programs.models import Program, ReportingPeriod, Task
from sinergi.registry.models import Enterprise

__all__ = ["FIRST_YEAR_END", "PROGRAM_CODE", "build_demo_program"]

# (area, title, lead unit, supporting units, recurrence, due date, responsible, indicators)
TASKS = [
    (
        1,
        "Tuyên truyền, vận động công nhân lao động và chủ doanh nghiệp chấp hành chủ trương của "
        "Đảng, chính sách, pháp luật của Nhà nước",
        "bloc-propaganda-dept",
        ["ezb-enterprise-dept"],
        "quarterly",
        None,
        None,
        ["luot-nguoi-tuyen-truyen"],
    ),
    (
        1,
        "Hội nghị gặp mặt, đối thoại với chủ doanh nghiệp trong các khu công nghiệp",
        "ezb-office",
        ["bloc-propaganda-dept"],
        "yearly",
        None,
        None,
        [],
    ),
    (
        2,
        "Phổ biến Đề án 24-ĐA/TU và hướng dẫn thành lập tổ chức đảng, đoàn thể tới doanh "
        "nghiệp tư nhân",
        "bloc-propaganda-dept",
        ["ezb-enterprise-dept"],
        "half_yearly",
        None,
        None,
        [],
    ),
    (
        2,
        "Biên soạn tài liệu tuyên truyền song ngữ Việt - Trung cho doanh nghiệp FDI",
        "bloc-propaganda-dept",
        ["ezb-office"],
        "",
        datetime.date(2023, 12, 31),
        None,
        [],
    ),
    (
        3,
        "Rà soát, thống kê doanh nghiệp, lao động, đảng viên trong các KCN, khu chức năng",
        "ezb-enterprise-dept",
        ["bloc-organisation-dept"],
        "quarterly",
        None,
        "demo.editor",
        ["dn-duoc-ra-soat"],
    ),
    (
        3,
        "Cập nhật danh sách doanh nghiệp đủ điều kiện thành lập tổ chức đảng, công đoàn cơ sở",
        "ezb-enterprise-dept",
        ["bloc-organisation-dept"],
        "half_yearly",
        None,
        "demo.editor",
        [],
    ),
    (
        4,
        "Phát triển tổ chức đảng trong doanh nghiệp ngoài khu vực nhà nước",
        "bloc-organisation-dept",
        ["ezb-enterprise-dept"],
        "quarterly",
        None,
        "demo.editor.bloc",
        ["dn-co-to-chuc-dang", "to-chuc-dang-moi"],
    ),
    (
        4,
        "Bồi dưỡng nhận thức về Đảng, kết nạp đảng viên là công nhân lao động",
        "bloc-organisation-dept",
        ["ezb-enterprise-dept"],
        "half_yearly",
        None,
        "demo.editor.bloc",
        ["dang-vien-moi"],
    ),
    (
        5,
        "Vận động thành lập công đoàn cơ sở tại doanh nghiệp đủ điều kiện",
        "ezb-enterprise-dept",
        ["bloc-organisation-dept"],
        "quarterly",
        None,
        "demo.editor",
        ["ty-le-cong-doan"],
    ),
    (
        5,
        "Thành lập chi đoàn thanh niên trong doanh nghiệp có từ 3 đoàn viên",
        "bloc-propaganda-dept",
        ["ezb-enterprise-dept"],
        "yearly",
        None,
        None,
        [],
    ),
    (
        6,
        "Sơ kết 1 năm thực hiện Chương trình phối hợp",
        "bloc-office",
        ["ezb-office"],
        "",
        FIRST_YEAR_END,
        None,
        [],
    ),
    (
        6,
        "Tham mưu Ban Chỉ đạo Đề án 24 giải pháp phát triển tổ chức đảng trong các KCN",
        "bloc-organisation-dept",
        ["ezb-enterprise-dept"],
        "half_yearly",
        None,
        None,
        [],
    ),
]

# Yearly targets and the target of the whole period. For the levels measured from the registry
# (enterprises with a party organisation, the share with a union) they are steps above the
# baseline the registry shows just before the program.
TARGETS = {
    "dn-co-to-chuc-dang": ({"2023": 2, "2024": 5, "2025": 8}, 8),
    "to-chuc-dang-moi": ({"2023": 2, "2024": 3, "2025": 3}, 8),
    "dang-vien-moi": ({"2023": 6, "2024": 12, "2025": 12}, 30),
    "ty-le-cong-doan": ({"2023": 3, "2024": 6, "2025": 10}, 10),
    "luot-nguoi-tuyen-truyen": ({"2023": 1200, "2024": 1800, "2025": 1800}, 4800),
    "dn-duoc-ra-soat": ({"2023": 110, "2024": 190, "2025": 190}, 490),
}
ABOVE_BASELINE = ("enterprises_with_organisation", "eligible_share_with_organisation")

NARRATIVES = {
    "in_progress": [
        "Đã triển khai theo kế hoạch; phối hợp tốt giữa hai đơn vị. Một số doanh nghiệp FDI "
        "chưa bố trí thời gian cho người lao động tham dự.",
        "Hoàn thành các nội dung của kỳ. Khó khăn: chủ doanh nghiệp tư nhân chưa quan tâm, "
        "người lao động biến động nhiều.",
        "Đã làm việc trực tiếp với doanh nghiệp; đề xuất tiếp tục vận động trong kỳ tới.",
    ],
    "stalled": [
        "Chưa thực hiện được do doanh nghiệp tạm dừng sản xuất; đề nghị điều chỉnh thời gian.",
    ],
    "done": ["Đã hoàn thành nhiệm vụ theo kế hoạch."],
}

# Activities: (kind, title, day, place, organiser codes, task numbers, participant ranges)
ACTIVITIES = [
    (
        "dissemination",
        "Hội nghị tuyên truyền Đề án 24-ĐA/TU cho doanh nghiệp KCN Bắc Duyên Hải",
        datetime.date(2023, 6, 14),
        "Hội trường Ban Quản lý KKT",
        ["bloc-propaganda-dept", "ezb-enterprise-dept"],
        ["1.1", "2.1"],
        "kcn-bac-duyen-hai",
    ),
    (
        "survey",
        "Khảo sát tình hình tổ chức đảng, đoàn thể tại KCN Đông Phố Mới",
        datetime.date(2023, 7, 20),
        "KCN Đông Phố Mới",
        ["ezb-enterprise-dept", "bloc-organisation-dept"],
        ["3.1"],
        "kcn-dong-pho-moi",
    ),
    (
        "mobilisation",
        "Vận động thành lập công đoàn cơ sở tại doanh nghiệp KCN Tằng Loỏng",
        datetime.date(2023, 8, 24),
        "KCN Tằng Loỏng",
        ["ezb-enterprise-dept"],
        ["5.1"],
        "kcn-tang-loong",
    ),
    (
        "training",
        "Lớp bồi dưỡng nhận thức về Đảng cho công nhân lao động",
        datetime.date(2023, 9, 12),
        "Trung tâm Chính trị thành phố Lào Cai",
        ["bloc-organisation-dept"],
        ["4.2"],
        "kcn-tang-loong",
    ),
    (
        "dissemination",
        "Tuyên truyền pháp luật lao động cho người lao động KCN Đông Phố Mới",
        datetime.date(2023, 10, 18),
        "KCN Đông Phố Mới",
        ["bloc-propaganda-dept", "ezb-enterprise-dept"],
        ["1.1"],
        "kcn-dong-pho-moi",
    ),
    (
        "meeting",
        "Hội nghị gặp mặt, đối thoại với chủ doanh nghiệp năm 2023",
        datetime.date(2023, 11, 22),
        "Hội trường Ban Quản lý KKT",
        ["ezb-office", "bloc-propaganda-dept"],
        ["1.2"],
        "ktmcn-kim-thanh",
    ),
    (
        "survey",
        "Rà soát doanh nghiệp đủ điều kiện thành lập chi bộ tại Khu TM-CN Kim Thành",
        datetime.date(2023, 12, 6),
        "Khu TM-CN Kim Thành",
        ["ezb-enterprise-dept", "bloc-organisation-dept"],
        ["3.1", "3.2"],
        "ktmcn-kim-thanh",
    ),
    (
        "dissemination",
        "Tuyên truyền, vận động chủ doanh nghiệp FDI về thành lập tổ chức đảng",
        datetime.date(2024, 1, 10),
        "KCN Bắc Duyên Hải",
        ["bloc-propaganda-dept"],
        ["2.1", "4.1"],
        "kcn-bac-duyen-hai",
    ),
    (
        "training",
        "Tập huấn nghiệp vụ công tác đảng cho cấp ủy chi bộ doanh nghiệp",
        datetime.date(2024, 3, 14),
        "Đảng ủy Khối Cơ quan - Doanh nghiệp tỉnh",
        ["bloc-organisation-dept"],
        ["4.1"],
        "kcn-tang-loong",
    ),
    (
        "mobilisation",
        "Vận động thành lập chi đoàn thanh niên tại doanh nghiệp KCN Tằng Loỏng",
        datetime.date(2024, 3, 26),
        "KCN Tằng Loỏng",
        ["bloc-propaganda-dept", "ezb-enterprise-dept"],
        ["5.2"],
        "kcn-tang-loong",
    ),
    (
        "survey",
        "Khảo sát số lượng đảng viên, đoàn viên tại KCN Bắc Duyên Hải quý I/2024",
        datetime.date(2024, 4, 11),
        "KCN Bắc Duyên Hải",
        ["ezb-enterprise-dept"],
        ["3.1"],
        "kcn-bac-duyen-hai",
    ),
    (
        "dissemination",
        "Tuyên truyền kỷ niệm Ngày Quốc tế Lao động cho công nhân các KCN",
        datetime.date(2024, 4, 26),
        "KCN Đông Phố Mới",
        ["bloc-propaganda-dept", "ezb-enterprise-dept"],
        ["1.1"],
        "kcn-dong-pho-moi",
    ),
    (
        "meeting",
        "Hội nghị sơ kết 1 năm thực hiện Chương trình phối hợp công tác giai đoạn 2023 - 2025",
        FIRST_YEAR_END,
        "Hội trường Ban Quản lý KKT",
        ["bloc-office", "ezb-office"],
        ["6.1"],
        "",
    ),
]
PARTICIPANTS = {
    "dissemination": {
        "cadres": (4, 12),
        "party_members": (5, 20),
        "workers": (80, 220),
        "business_owners": (5, 18),
        "others": (0, 10),
    },
    "mobilisation": {
        "cadres": (3, 8),
        "party_members": (2, 8),
        "workers": (30, 90),
        "business_owners": (2, 8),
        "others": (0, 5),
    },
    "training": {
        "cadres": (5, 15),
        "party_members": (10, 30),
        "workers": (20, 50),
        "business_owners": (0, 3),
        "others": (0, 3),
    },
    "survey": {
        "cadres": (4, 10),
        "party_members": (0, 5),
        "workers": (0, 20),
        "business_owners": (6, 20),
        "others": (0, 4),
    },
    "meeting": {
        "cadres": (20, 45),
        "party_members": (10, 25),
        "workers": (0, 10),
        "business_owners": (15, 40),
        "others": (2, 8),
    },
}


def _actor(unit: Unit, editors: dict[int, User], coordinators: dict[int, User]) -> User:
    """Who writes for a unit: its editor, else its body's coordinator."""
    return editors.get(unit.pk) or coordinators[unit.body_id]


def _minutes(task: Task, period: ReportingPeriod, unit: Unit) -> ContentFile:
    text = (
        f"BIÊN BẢN LÀM VIỆC\n\nNhiệm vụ {task.code}: {task.title}\nKỳ báo cáo: {period.label}\n"
        f"Đơn vị: {unit.name}\n\nNội dung: các bên đã trao đổi kết quả thực hiện trong kỳ, "
        "thống nhất các việc cần làm trong kỳ tới.\n(Dữ liệu minh họa)\n"
    )
    return ContentFile(text.encode("utf-8"), name=f"bien-ban-{task.code}-{period.year}.txt")


def build_demo_program(seed: int = 2023, calendar: DemoCalendar | None = None) -> dict[str, int]:
    """Fill the preset's program with its first year and the months since, once; a second run
    adds nothing. The program's dates and title move to the demo's calendar first."""
    program = Program.objects.filter(code=PROGRAM_CODE).first()
    if program is None or Task.objects.filter(area__program=program).exists():
        return {"tasks": 0, "reports": 0, "activities": 0}
    calendar = calendar or demo_calendar()
    rng = random.Random(seed)
    units = {u.code: u for u in Unit.objects.all()}
    users = {u.username: u for u in User.objects.filter(is_demo=True)}
    editors = {u.unit_id: u for u in users.values() if u.role == "editor"}
    coordinators = {u.unit.body_id: u for u in users.values() if u.role == "coordinator"}
    counts = {"tasks": 0, "reports": 0, "activities": 0}
    first_year_end = calendar.first_year_end
    with transaction.atomic():
        _shift_program(program, calendar)
        _targets(program, calendar)
        tasks = _tasks(program, units, users, counts, calendar)
        _activities(rng, program, units, tasks, editors, coordinators, counts, calendar)
        _reports(rng, program, tasks, editors, coordinators, counts, calendar)
        for task in tasks.values():
            # One-off work of the first year (the review conference itself) was done.
            task.refresh_from_db()
            if not task.recurrence and task.due_on <= first_year_end and task.status != "done":
                services.task_update(
                    actor=coordinators[task.lead_unit.body_id], task=task, data={"status": "done"}
                )
        _after_the_review(seed, program, units, users, tasks, counts, calendar)
    return counts


def _shift_program(program: Program, calendar: DemoCalendar) -> None:
    """The program as the demo's calendar has it (when the preset made it unshifted, as
    `sinergi init --preset lao-cai` does, before the demo fills it)."""
    from sinergi.presets import lao_cai_program as preset

    wanted = calendar.shifted(
        {k: preset.PROGRAM[k] for k in ("title", "starts_on", "ends_on", "description")}
    )
    if any(getattr(program, key) != value for key, value in wanted.items()):
        services.program_update(actor=SYSTEM, program=program, data=wanted)


def _targets(program: Program, calendar: DemoCalendar) -> None:
    """Plausible targets, and baselines read from the registry just before the program."""
    eve = program.starts_on - datetime.timedelta(days=1)
    for indicator in program.indicators.all():
        yearly, total = TARGETS.get(indicator.code, ({}, None))
        yearly = {str(calendar.year(int(year))): v for year, v in yearly.items()}
        data = {"yearly_targets": {k: str(v) for k, v in yearly.items()}, "target": total}
        if indicator.rule in ABOVE_BASELINE:
            baseline = indicator_rules.compute(indicator, eve.replace(month=1, day=1), eve).value
            baseline = (baseline or Decimal(0)).quantize(Decimal(1))
            cap = Decimal(100) if indicator.unit_of_measure == "%" else None
            data = {
                "baseline": baseline,
                "baseline_year": eve.year,
                "yearly_targets": {
                    k: str(min(baseline + v, cap) if cap else baseline + v)
                    for k, v in yearly.items()
                },
                "target": min(baseline + total, cap) if cap else baseline + total,
            }
        services.indicator_update(actor=_system(), indicator=indicator, data=data)


def _system():
    return SYSTEM


def _tasks(program, units, users, counts, calendar: DemoCalendar) -> dict[str, Task]:
    areas = {a.number: a for a in program.areas.all()}
    indicators = {i.code: i for i in program.indicators.all()}
    tasks = {}
    for area, title, lead, supports, recurrence, due, responsible, linked in TASKS:
        task = services.task_create(
            actor=users["demo.coordinator"],
            program=program,
            data={
                "area": areas[area],
                "title": calendar.text(title),
                "lead_unit": units[lead],
                "supporting_units": [units[code] for code in supports],
                "responsible": users.get(responsible) if responsible else None,
                "starts_on": program.starts_on,
                "due_on": calendar.date(due) if due else None,
                "recurrence": recurrence,
                "priority": "high" if area in (3, 4) else "normal",
                "indicators": [indicators[code] for code in linked],
                "zones": list(program.zones.all()),
            },
        )
        tasks[task.code] = task
        counts["tasks"] += 1
    return tasks


def _activities(
    rng, program, units, tasks, editors, coordinators, counts, calendar, activities=ACTIVITIES
) -> None:
    enterprises = {}
    for enterprise in Enterprise.objects.filter(status="operating").select_related("zone"):
        if enterprise.zone:
            enterprises.setdefault(enterprise.zone.code, []).append(enterprise)
    for kind, title, day, place, organisers, task_codes, zone_code in activities:
        title, day = calendar.text(title), calendar.date(day)
        if day >= calendar.today:
            continue  # not held yet
        organising = [units[code] for code in organisers]
        reached = enterprises.get(zone_code, [])
        numbers = {
            field: rng.randint(low, high) for field, (low, high) in PARTICIPANTS[kind].items()
        }
        activity = services.activity_create(
            actor=_actor(organising[0], editors, coordinators),
            program=program,
            data={
                "kind": kind,
                "title": title,
                "held_on": day,
                "place": place,
                "topic": title,
                "organisers": organising,
                "tasks": [tasks[code] for code in task_codes],
                "zones": [z for z in program.zones.all()] if not zone_code else [],
                "enterprises": rng.sample(reached, min(len(reached), rng.randint(3, 8))),
                **numbers,
            },
        )
        if kind in ("meeting", "training"):
            services.attachment_add(
                actor=_actor(organising[0], editors, coordinators),
                parent=activity,
                data={
                    "title": "Chương trình hội nghị",
                    "file": ContentFile(
                        f"{title}\n{place}, {day:%d/%m/%Y}\n(Dữ liệu minh họa)\n".encode(),
                        name=f"chuong-trinh-{day:%Y%m%d}.txt",
                    ),
                },
            )
        counts["activities"] += 1


def _reports(rng, program, tasks, editors, coordinators, counts, calendar) -> None:
    """Each task's reports for the periods that ended in the first year, signed off a week or
    two later; Q1/2024 of task 3.1 waits for sign-off and Q1/2024 of task 5.1 was returned."""
    surveyed = program.indicators.filter(code="dn-duoc-ra-soat").first()
    waiting, returned = ("3.1", calendar.year(2024), 1), ("5.1", calendar.year(2024), 1)
    progress: dict[str, int] = {}
    for code, task in tasks.items():
        periods = program.periods.filter(
            kind=task.report_period_kind, ends_on__lte=calendar.first_year_end
        ).order_by("starts_on")
        for period in periods:
            if not task.runs_in(period):
                continue
            key = (code, period.year, period.number)
            share = min(100, progress.get(code, 0) + rng.randint(10, 30))
            if not task.recurrence and period.ends_on >= (task.due_on or period.ends_on):
                share = 100
            progress[code] = share
            status = "done" if share == 100 else rng.choice(["in_progress"] * 6 + ["stalled"])
            lead_actor = _actor(task.lead_unit, editors, coordinators)
            values = {}
            if surveyed and surveyed in task.indicators.all():
                values[surveyed] = Decimal(rng.randint(20, 45))
            report = services.progress_report_save(
                actor=lead_actor,
                task=task,
                unit=task.lead_unit,
                period=period,
                data={
                    "task_status": status,
                    "percent_done": share,
                    "narrative": rng.choice(NARRATIVES[status]),
                },
                values=values,
            )
            counts["reports"] += 1
            for unit in task.supporting_units.all():
                if rng.random() < 0.6:
                    services.progress_report_save(
                        actor=_actor(unit, editors, coordinators),
                        task=task,
                        unit=unit,
                        period=period,
                        data={
                            "task_status": status,
                            "percent_done": share,
                            "narrative": "Đơn vị phối hợp đã cử cán bộ tham gia, cung cấp số "
                            "liệu theo đề nghị của đơn vị chủ trì.",
                        },
                    )
                    counts["reports"] += 1
            if rng.random() < 0.5:
                services.attachment_add(
                    actor=lead_actor,
                    parent=report,
                    data={"file": _minutes(task, period, task.lead_unit), "title": ""},
                )
            submitted = period.ends_on + datetime.timedelta(days=rng.randint(3, 12))
            services.progress_report_submit(
                actor=lead_actor, report=report, at=calendar.moment(submitted)
            )
            if key == waiting:
                continue
            partner = next(
                coordinators[body] for body in program.party_ids if body != task.lead_unit.body_id
            )
            reviewed = calendar.moment(submitted + datetime.timedelta(days=rng.randint(4, 10)), 15)
            if key == returned:
                services.progress_report_return(
                    actor=partner,
                    report=report,
                    comment="Đề nghị bổ sung danh sách doanh nghiệp đã vận động và số đoàn "
                    "viên kết nạp mới.",
                    at=reviewed,
                )
                continue
            services.progress_report_acknowledge(actor=partner, report=report, at=reviewed)


# --- After the first-year review --------------------------------------------------------------

# Activities after the review, held when the story reaches their day.
ACTIVITIES_AFTER = [
    (
        "dissemination",
        "Tuyên truyền chủ trương phát triển đảng viên trong doanh nghiệp cho công nhân KCN "
        "Tằng Loỏng",
        datetime.date(2024, 6, 20),
        "KCN Tằng Loỏng",
        ["bloc-propaganda-dept", "ezb-enterprise-dept"],
        ["1.1", "2.1"],
        "kcn-tang-loong",
    ),
    (
        "survey",
        "Khảo sát tình hình tổ chức công đoàn cơ sở tại KCN Bắc Duyên Hải",
        datetime.date(2024, 8, 15),
        "KCN Bắc Duyên Hải",
        ["ezb-enterprise-dept", "bloc-organisation-dept"],
        ["3.1", "5.1"],
        "kcn-bac-duyen-hai",
    ),
    (
        "training",
        "Lớp bồi dưỡng nhận thức về Đảng cho công nhân lao động năm 2024",
        datetime.date(2024, 9, 24),
        "Trung tâm Chính trị thành phố Lào Cai",
        ["bloc-organisation-dept"],
        ["4.2"],
        "kcn-dong-pho-moi",
    ),
    (
        "meeting",
        "Hội nghị gặp mặt, đối thoại với chủ doanh nghiệp năm 2024",
        datetime.date(2024, 11, 14),
        "Hội trường Ban Quản lý KKT",
        ["ezb-office", "bloc-propaganda-dept"],
        ["1.2"],
        "kcn-bac-duyen-hai",
    ),
    (
        "mobilisation",
        "Vận động thành lập chi đoàn thanh niên tại doanh nghiệp Khu TM-CN Kim Thành",
        datetime.date(2025, 1, 9),
        "Khu TM-CN Kim Thành",
        ["bloc-propaganda-dept", "ezb-enterprise-dept"],
        ["5.2"],
        "ktmcn-kim-thanh",
    ),
    (
        "dissemination",
        "Tuyên truyền pháp luật lao động cho người lao động KCN Đông Phố Mới quý I/2025",
        datetime.date(2025, 3, 20),
        "KCN Đông Phố Mới",
        ["bloc-propaganda-dept", "ezb-enterprise-dept"],
        ["1.1"],
        "kcn-dong-pho-moi",
    ),
]

# One-off tasks set after the review: (area, title, lead, supporting units, due, percent done).
# `due` is a date of the story, or a number of days from today: work due in the coming weeks.
TASKS_AFTER: list[tuple[int, str, str, list[str], datetime.date | int, int]] = [
    (
        2,
        "Biên soạn sổ tay hỏi - đáp về thành lập tổ chức đảng, công đoàn trong doanh nghiệp",
        "bloc-propaganda-dept",
        ["ezb-enterprise-dept"],
        datetime.date(2024, 9, 30),
        100,
    ),
    (
        4,
        "Hoàn thiện hồ sơ đề nghị thành lập chi bộ tại hai doanh nghiệp đủ điều kiện trong KCN "
        "Tằng Loỏng",
        "bloc-organisation-dept",
        ["ezb-enterprise-dept"],
        10,
        60,
    ),
    (
        6,
        "Xây dựng báo cáo định kỳ kết quả thực hiện Chương trình phối hợp gửi Tỉnh ủy",
        "bloc-office",
        ["ezb-office"],
        45,
        30,
    ),
]

# The latest ended period of their kind: these tasks' lead units have not reported yet (late),
# and this one's report waits for the partner's sign-off.
LATE_IN_LATEST = ("4.1", "6.2")
WAITING_IN_LATEST = "3.1"


def _after_the_review(seed, program, units, users, tasks, counts, calendar) -> None:
    """The story after the review, up to today: only when a period has ended since."""
    today, first_year_end = calendar.today, calendar.first_year_end
    kinds = {task.report_period_kind for task in tasks.values()}
    ended = program.periods.filter(kind__in=kinds, ends_on__gt=first_year_end, ends_on__lt=today)
    if not ended.exists():
        return
    # Their own random stream: the first year stays as the seed made it.
    rng = random.Random(f"{seed}-after-the-review")
    editors = {u.unit_id: u for u in users.values() if u.role == "editor"}
    coordinators = {u.unit.body_id: u for u in users.values() if u.role == "coordinator"}
    _corrections(program, tasks, editors, coordinators, calendar)
    _activities(
        rng,
        program,
        units,
        tasks,
        editors,
        coordinators,
        counts,
        calendar,
        activities=ACTIVITIES_AFTER,
    )
    _reports_after(rng, program, tasks, editors, coordinators, counts, calendar)
    _tasks_after(program, units, users, editors, coordinators, counts, calendar)


def _partner(program, task, coordinators) -> User:
    return next(coordinators[body] for body in program.party_ids if body != task.lead_unit.body_id)


def _corrections(program, tasks, editors, coordinators, calendar) -> None:
    """The first year's loose ends, tied up in the weeks after the review: the returned report
    corrected, sent again and signed off; the waiting one signed off."""
    from sinergi.programs.models import ProgressReport

    start = calendar.first_year_end
    for code, days in (("3.1", 6), ("5.1", 12)):
        task = tasks[code]
        report = ProgressReport.objects.filter(
            task=task, unit=task.lead_unit, status__in=("returned", "submitted")
        ).first()
        if report is None:
            continue
        lead_actor = _actor(task.lead_unit, editors, coordinators)
        if report.status == "returned":
            services.progress_report_save(
                actor=lead_actor,
                task=task,
                unit=task.lead_unit,
                period=report.period,
                data={
                    "narrative": report.narrative + " Đã bổ sung danh sách doanh nghiệp đã vận "
                    "động và số đoàn viên kết nạp mới theo đề nghị."
                },
            )
            services.progress_report_submit(
                actor=lead_actor,
                report=report,
                at=calendar.moment(start + datetime.timedelta(days=days - 4)),
            )
        services.progress_report_acknowledge(
            actor=_partner(program, task, coordinators),
            report=report,
            at=calendar.moment(start + datetime.timedelta(days=days), 15),
        )


def _reports_after(rng, program, tasks, editors, coordinators, counts, calendar) -> None:
    """Reports of the periods ended since the review, sent a few days after each period and
    signed off a week later; in the latest period of each kind a few are still missing or wait
    for sign-off."""
    today, first_year_end = calendar.today, calendar.first_year_end
    surveyed = program.indicators.filter(code="dn-duoc-ra-soat").first()
    for code, task in tasks.items():
        task.refresh_from_db()
        if not task.recurrence:
            continue
        periods = list(
            program.periods.filter(
                kind=task.report_period_kind, ends_on__gt=first_year_end, ends_on__lt=today
            ).order_by("starts_on")
        )
        share = task.percent_done
        for period in periods:
            latest = period == periods[-1]
            if latest and code in LATE_IN_LATEST:
                continue
            # Recurring work goes on to the program's end: never quite done before it. The
            # survey was stepped up after the review, as its proposals asked.
            share = min(95, share + rng.randint(2, 6))
            status = rng.choice(["in_progress"] * 8 + ["stalled"])
            lead_actor = _actor(task.lead_unit, editors, coordinators)
            values = {}
            if surveyed and surveyed in task.indicators.all():
                values[surveyed] = Decimal(rng.randint(40, 60))
            report = services.progress_report_save(
                actor=lead_actor,
                task=task,
                unit=task.lead_unit,
                period=period,
                data={
                    "task_status": status,
                    "percent_done": share,
                    "narrative": rng.choice(NARRATIVES[status]),
                },
                values=values,
            )
            counts["reports"] += 1
            for unit in task.supporting_units.all():
                if rng.random() < 0.6:
                    services.progress_report_save(
                        actor=_actor(unit, editors, coordinators),
                        task=task,
                        unit=unit,
                        period=period,
                        data={
                            "task_status": status,
                            "percent_done": share,
                            "narrative": "Đơn vị phối hợp đã cung cấp số liệu, cử cán bộ tham "
                            "gia các hoạt động trong kỳ.",
                        },
                    )
                    counts["reports"] += 1
            if rng.random() < 0.5:
                services.attachment_add(
                    actor=lead_actor,
                    parent=report,
                    data={"file": _minutes(task, period, task.lead_unit), "title": ""},
                )
            last_day = today - datetime.timedelta(days=1)
            submitted = min(period.ends_on + datetime.timedelta(days=rng.randint(3, 12)), last_day)
            services.progress_report_submit(
                actor=lead_actor, report=report, at=calendar.moment(submitted)
            )
            reviewed = submitted + datetime.timedelta(days=rng.randint(4, 10))
            if reviewed >= today or (latest and code == WAITING_IN_LATEST):
                continue
            services.progress_report_acknowledge(
                actor=_partner(program, task, coordinators),
                report=report,
                at=calendar.moment(reviewed, 15),
            )


def _tasks_after(program, units, users, editors, coordinators, counts, calendar) -> None:
    """One-off tasks set after the review: done when their day has passed, else under way."""
    areas = {a.number: a for a in program.areas.all()}
    coordinator = users["demo.coordinator"]
    starts = calendar.first_year_end + datetime.timedelta(days=1)
    for area, title, lead, supports, due, share in TASKS_AFTER:
        due_on = (
            calendar.date(due)
            if isinstance(due, datetime.date)
            else calendar.today + datetime.timedelta(days=due)
        )
        due_on = min(due_on, program.ends_on)
        passed = due_on < calendar.today
        task = services.task_create(
            actor=coordinator,
            program=program,
            data={
                "area": areas[area],
                "title": calendar.text(title),
                "lead_unit": units[lead],
                "supporting_units": [units[code] for code in supports],
                "starts_on": starts,
                "due_on": due_on,
                "recurrence": "",
                "priority": "normal",
                "status": "done" if passed else "in_progress",
                "zones": list(program.zones.all()),
            },
        )
        counts["tasks"] += 1
        # Work under way: its share done as the latest ended period's report, signed off.
        period = (
            program.periods.filter(
                kind=task.report_period_kind, ends_on__gte=starts, ends_on__lt=calendar.today
            )
            .order_by("ends_on")
            .last()
        )
        if passed or period is None:
            continue
        lead_actor = _actor(task.lead_unit, editors, coordinators)
        report = services.progress_report_save(
            actor=lead_actor,
            task=task,
            unit=task.lead_unit,
            period=period,
            data={
                "task_status": "in_progress",
                "percent_done": share,
                "narrative": NARRATIVES["in_progress"][2],
            },
        )
        submitted = min(period.ends_on + datetime.timedelta(days=5), calendar.today)
        services.progress_report_submit(
            actor=lead_actor, report=report, at=calendar.moment(submitted, 8)
        )
        services.progress_report_acknowledge(
            actor=_partner(program, task, coordinators),
            report=report,
            at=calendar.moment(submitted, 16),
        )
        counts["reports"] += 1

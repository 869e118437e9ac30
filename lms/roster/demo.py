"""Demo roster for `seed_demo`: a district, 3 street offices, 8 squads, about 200 people.

Every squad has a leader; 南湖街道第二中队 deliberately has no legal officer so the admin warning shows.
Idempotent: units and people are keyed by code and ID number; accounts use initial codes (no slow hashes).
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model

from .idcard import make_id_number
from .models import Category, OrgUnit, Person, PersonStatus, Position, RosterSnapshot
from .services.accounts import create_accounts
from .services.snapshots import take_snapshot

DISTRICT = ("QJ01", "示范区城市管理局")
STREETS = [
    ("JD01", "东华街道办事处", ["东华第一中队", "东华第二中队", "东华第三中队"]),
    ("JD02", "西城街道办事处", ["西城第一中队", "西城第二中队", "西城第三中队"]),
    ("JD03", "南湖街道办事处", ["南湖第一中队", "南湖第二中队"]),
]
SQUAD_WITHOUT_LEGAL_OFFICER = "JD03-ZD02"
# 张伟, 执法队员 of 东华第一中队, linked to the demo_officer login.
DEMO_OFFICER_ID = make_id_number(region="110105", born=datetime.date(1990, 3, 15), sequence=41)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏辉建国文斌志宏海波宁峰健林丹亮飞浩凯俊"
REGIONS = ["110105", "110101", "110106", "130102", "370102", "410105"]


def _squad_people(squad_code: str, squad_index: int, rng: random.Random) -> list[dict]:
    plan = [(Position.SQUAD_LEADER, Category.STAFF), (Position.DEPUTY_SQUAD_LEADER, Category.STAFF)]
    if squad_index % 2 == 0:
        plan.append((Position.INSTRUCTOR, Category.STAFF))
    if squad_code != SQUAD_WITHOUT_LEGAL_OFFICER:
        plan.append((Position.LEGAL_OFFICER, Category.STAFF))
    plan.append((Position.CLERK, Category.AUXILIARY))
    plan += [(Position.ENFORCEMENT_OFFICER, Category.STAFF)] * (8 + squad_index % 3)
    plan += [(Position.AUXILIARY, Category.AUXILIARY)] * (25 - len(plan))
    people = []
    for n, (position, category) in enumerate(plan):
        male = rng.random() < 0.75
        born = datetime.date(1968, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 32))
        seq = rng.randrange(0, 499) * 2 + (1 if male else 0)
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        people.append(
            {
                "name": name,
                "gender": "M" if male else "F",
                "id_number": make_id_number(region=rng.choice(REGIONS), born=born, sequence=seq),
                "phone": f"13{squad_index}{rng.randrange(10**8):08d}",
                "position": position,
                "category": category,
                "cert_number": f"ZF{squad_code[2:4]}{squad_index}{n:04d}" if category == Category.STAFF else "",
                "hire_date": datetime.date(2005 + rng.randrange(0, 19), rng.randrange(1, 13), 1),
            }
        )
    if squad_index == 0:  # the demo officer's own record
        first_officer = next(p for p in people if p["position"] == Position.ENFORCEMENT_OFFICER)
        first_officer.update(name="张伟", gender="M", id_number=DEMO_OFFICER_ID)
    return people


def seed_demo(stdout) -> None:
    rng = random.Random(20260101)  # the same demo roster every time
    district, _ = OrgUnit.objects.get_or_create(
        code=DISTRICT[0], defaults={"name": DISTRICT[1], "kind": OrgUnit.Kind.DISTRICT}
    )
    existing_ids = set(Person.objects.values_list("id_number", flat=True))
    seen_ids = set(existing_ids)
    to_create = []
    squad_index = 0
    for street_code, street_name, squad_names in STREETS:
        street, _ = OrgUnit.objects.get_or_create(
            code=street_code, defaults={"name": street_name, "kind": OrgUnit.Kind.STREET, "parent": district}
        )
        for number, squad_name in enumerate(squad_names, start=1):
            code = f"{street_code}-ZD{number:02d}"
            squad, _ = OrgUnit.objects.get_or_create(
                code=code, defaults={"name": squad_name, "kind": OrgUnit.Kind.SQUAD, "parent": street}
            )
            for values in _squad_people(code, squad_index, rng):
                if values["id_number"] in seen_ids:
                    continue  # already seeded (or a rare random clash with an earlier demo person)
                seen_ids.add(values["id_number"])
                to_create.append(Person(squad=squad, status=PersonStatus.ON_DUTY, **values))
            squad_index += 1
    Person.objects.bulk_create(to_create)
    demo_person = Person.objects.filter(id_number=DEMO_OFFICER_ID).first()
    demo_user = get_user_model().objects.filter(username="demo_officer").first()
    if demo_person and demo_user and demo_person.user_id is None and not hasattr(demo_user, "person"):
        demo_person.user = demo_user
        demo_person.save(update_fields=["user"])
    if to_create:
        create_accounts(people=list(Person.objects.filter(user=None, squad__parent__parent=district).select_related("squad")))
    if to_create or not RosterSnapshot.objects.exists():
        take_snapshot(note="演示数据初始花名册")
    stdout.write(f"Roster: {Person.objects.filter(squad__parent__parent=district).count()} people in 8 squads")

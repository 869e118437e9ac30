"""Roster import benchmark: our import against django-import-export's default path and a bare read.

    .venv/bin/python bench/roster_import.py --rows 100000 [--baseline-rows 5000]

Builds an N-row roster workbook (about 500 people a squad, 11 columns, one sheet), then measures, each
phase in a fresh subprocess so its peak memory (ru_maxrss) is its own:
  floor     a bare read of every cell with python-calamine, and with openpyxl read-only (the reader choice)
  ours      lms.roster.services.imports.import_roster on an empty roster (accounts, snapshot included),
            then the same file again (nothing changes: the re-import)
  baseline  django-import-export's default ModelResource for Person (tablib/openpyxl read, row by row);
            run on --baseline-rows rows and extrapolated linearly to N when smaller (said in the JSON)
Prints exactly one JSON line. Uses DATABASE_URL (the roster tables of that database are emptied!).
"""

from __future__ import annotations

import argparse
import datetime
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import load_average, print_figures, setup_django  # noqa: E402

PEOPLE_PER_SQUAD = 500
SQUADS_PER_STREET = 10


def peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# --- building the workbook -----------------------------------------------------------------------------


def person_values(n: int) -> dict:
    from lms.roster.idcard import make_id_number

    squad_no, index = divmod(n, PEOPLE_PER_SQUAD)
    street_no = squad_no // SQUADS_PER_STREET
    born = datetime.date(1960, 1, 1) + datetime.timedelta(days=n % 14000)
    region = f"{110101 + n // 14000 % 900:06d}"
    position, category = (
        ("中队长", "在编") if index == 0
        else ("法制员", "在编") if index == 1
        else ("执法队员", "在编") if index < 200
        else ("协管员", "协管")
    )
    return {
        "name": f"测试{n}",
        "gender": "男" if (n // 1000) % 2 else "女",
        "id_number": make_id_number(region=region, born=born, sequence=(n // 14000 // 900) % 1000),
        "phone": f"1{30 + n // 10**8 % 70:02d}{n % 10**8:08d}",
        "street": f"第{street_no + 1}街道",
        "squad": f"第{street_no + 1}街道第{squad_no % SQUADS_PER_STREET + 1}中队",
        "position": position,
        "category": category,
        "cert": f"ZF{n:08d}" if category == "在编" else "",
        "status": "在岗",
    }


def fix_gender(values: dict) -> dict:
    values["gender"] = "男" if int(values["id_number"][16]) % 2 else "女"
    return values


def build_workbook(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.append(["序号", "姓名", "性别", "身份证号", "手机号", "所属街道", "所属中队", "职务", "人员类别", "执法证号", "在岗状态"])
    for n in range(rows):
        v = fix_gender(person_values(n))
        sheet.append([n + 1, v["name"], v["gender"], v["id_number"], v["phone"], v["street"], v["squad"],
                      v["position"], v["category"], v["cert"], v["status"]])
    workbook.save(path)


# --- phases (each in its own process) --------------------------------------------------------------------


def reset_roster() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in (
            "roster_rostersnapshotentry", "roster_rostersnapshot", "roster_initialcredential", "roster_person",
            "core_user_groups", "core_auditentry", "core_user", "roster_orgunit",
        ):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names


def phase_floor(path: Path) -> dict:
    import python_calamine
    from openpyxl import load_workbook

    started = time.perf_counter()
    with path.open("rb") as handle:
        workbook = python_calamine.CalamineWorkbook.from_filelike(handle)
        cells = sum(len(row) for row in workbook.get_sheet_by_index(0).iter_rows())
    calamine_s = time.perf_counter() - started
    started = time.perf_counter()
    workbook = load_workbook(path, read_only=True)
    cells_openpyxl = sum(len(row) for row in workbook.worksheets[0].iter_rows(values_only=True))
    openpyxl_s = time.perf_counter() - started
    return {"calamine_s": round(calamine_s, 3), "openpyxl_readonly_s": round(openpyxl_s, 3), "cells": cells,
            "cells_openpyxl": cells_openpyxl}


def phase_ours(path: Path) -> dict:
    setup_django()
    from lms.roster.services.imports import import_roster

    reset_roster()
    started, cpu_started = time.perf_counter(), time.process_time()
    with path.open("rb") as handle:
        first = import_roster(file=handle, filename=path.name, dry_run=False, actor=None)
    first_s = time.perf_counter() - started
    first_cpu_s = time.process_time() - cpu_started
    assert first.ok, [str(e) for e in first.errors[:5]]
    first_peak = peak_mb()
    started = time.perf_counter()
    with path.open("rb") as handle:
        again = import_roster(file=handle, filename=path.name, dry_run=False, actor=None)
    again_s = time.perf_counter() - started
    assert again.ok and again.counts["unchanged"] == first.counts["created"], again.counts
    return {"first_s": round(first_s, 3), "first_cpu_s": round(first_cpu_s, 3), "reimport_s": round(again_s, 3), "counts": first.counts,
            "reimport_counts": again.counts, "peak_rss_mb_first": first_peak, "peak_rss_mb": peak_mb()}


def phase_baseline(path: Path, rows: int) -> dict:
    """django-import-export's default: ModelResource, tablib dataset read by openpyxl, row-by-row import."""
    setup_django(migrate=False)  # the phase before migrated
    import tablib
    from import_export.resources import modelresource_factory
    from openpyxl import Workbook

    from lms.roster.models import OrgUnit, Person
    from lms.roster.positions import parse_category, parse_position

    reset_roster()
    district = OrgUnit.objects.create(code="QJ", name="区局", kind="district")
    units: dict[str, OrgUnit] = {}
    # The library has no notion of header variants or squad names: give it model columns and squad ids,
    # for the same people as the first `rows` rows of the roster.
    baseline_file = path.with_name("baseline.xlsx")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("people")
    sheet.append(["name", "gender", "id_number", "phone", "squad", "position", "category", "cert_number", "status"])
    for n in range(rows):
        v = fix_gender(person_values(n))
        if v["squad"] not in units:
            street = units.get(v["street"]) or OrgUnit.objects.create(
                code=f"S{len(units)}", name=v["street"], kind="street", parent=district)
            units[v["street"]] = street
            units[v["squad"]] = OrgUnit.objects.create(code=f"Q{len(units)}", name=v["squad"], kind="squad", parent=street)
        sheet.append([v["name"], "M" if v["gender"] == "男" else "F", v["id_number"], v["phone"], units[v["squad"]].pk,
                      parse_position(v["position"]), parse_category(v["category"]), v["cert"], "on_duty"])
    workbook.save(baseline_file)
    PersonResource = modelresource_factory(Person, meta_options={
        "import_id_fields": ["id_number"],
        "fields": ["name", "gender", "id_number", "phone", "squad", "position", "category", "cert_number", "status"],
    })
    started = time.perf_counter()
    with baseline_file.open("rb") as handle:
        dataset = tablib.Dataset().load(handle.read(), format="xlsx")
    result = PersonResource().import_data(dataset, dry_run=False, raise_errors=True)
    elapsed = time.perf_counter() - started
    assert not result.has_errors() and Person.objects.count() == rows
    return {"rows": rows, "s": round(elapsed, 3), "peak_rss_mb": peak_mb()}


def run_phase(name: str, path: Path, extra: list[str] | None = None) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--phase", name, "--file", str(path), *(extra or [])],
        check=True, capture_output=True, text=True, cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--baseline-rows", type=int, default=5000, help="rows for the library baseline")
    parser.add_argument("--phase", choices=["floor", "ours", "baseline"], help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        path = Path(args.file)
        result = {"floor": lambda: phase_floor(path), "ours": lambda: phase_ours(path),
                  "baseline": lambda: phase_baseline(path, min(args.baseline_rows, args.rows))}[args.phase]()
        print(json.dumps(result))
        return

    load_at_start = load_average(digits=1)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "roster.xlsx"
        started = time.perf_counter()
        build_workbook(path, args.rows)
        build_s = time.perf_counter() - started
        file_mb = round(path.stat().st_size / 1048576, 1)
        floor = run_phase("floor", path)
        ours = run_phase("ours", path)
        baseline = run_phase("baseline", path, ["--rows", str(args.rows), "--baseline-rows", str(args.baseline_rows)])
    setup_django(migrate=False)
    from django.db import connection

    rows = args.rows
    baseline_rows_per_s = baseline["rows"] / baseline["s"]
    ours_rows_per_s = rows / ours["first_s"]
    print_figures({
        "bench": "roster_import",
        "rows": rows,
        "database": connection.vendor,
        "load_average_at_start": load_at_start,
        "file_mb": file_mb,
        "build_s": round(build_s, 2),
        "ours": {
            "first_import_s": ours["first_s"],
            "first_import_python_cpu_s": ours["first_cpu_s"],
            "rows_per_s": round(ours_rows_per_s),
            "peak_rss_mb": ours["peak_rss_mb_first"],
            "reimport_s": ours["reimport_s"],
            "reimport_speedup": round(ours["first_s"] / ours["reimport_s"], 2),
            "counts": ours["counts"],
        },
        "baseline_import_export_modelresource": {
            "rows_measured": baseline["rows"],
            "s": baseline["s"],
            "rows_per_s": round(baseline_rows_per_s),
            "extrapolated_s_for_all_rows": round(rows / baseline_rows_per_s, 1),
            "extrapolated": baseline["rows"] < rows,
            "peak_rss_mb": baseline["peak_rss_mb"],
        },
        "floor_bare_read": {"calamine_s": floor["calamine_s"], "openpyxl_readonly_s": floor["openpyxl_readonly_s"],
                            "cells": floor["cells"]},
        "speedup_vs_baseline": round(ours_rows_per_s / baseline_rows_per_s, 1),
        "target_10x_baseline": ours_rows_per_s >= 10 * baseline_rows_per_s,
        "target_reimport_2x": ours["first_s"] / ours["reimport_s"] >= 2,
        "target_400mb": ours["peak_rss_mb_first"] < 400,
        "target_15s": ours["first_s"] <= 15,
        "note": "see load_average_at_start for how busy the machine was; the baseline creates "
        "people only (no accounts, no snapshot) from model-shaped columns; ours also creates accounts, "
        "initial codes, group memberships and a snapshot",
    })


if __name__ == "__main__":
    main()

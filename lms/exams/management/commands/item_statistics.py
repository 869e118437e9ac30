"""item_statistics (SESSION | --marks-csv FILE) [--json]: test and item statistics as Moodle computes them.

With a session: the session's graded first attempts, computed afresh (and stored, so the report shows the
same). With --marks-csv: a Moodle-style marks file (`quizattempt,slots.1.mark,…,slots.N.mark,summarks`),
without touching the database, so our numbers can be compared with Moodle's.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lms.exams import psychometrics as st
from lms.exams.reports.text import FIGURE_LABELS, csv_problem_line, reason_text
from lms.exams.services.sessions import ExamError, get_session

JSON_ITEM_FIELDS = ("slot", "max_mark", "attempts", "facility", "sd", "random_guess_score", "intended_weight",
                    "effective_weight", "discrimination_index", "discriminative_efficiency", "missing")


class Command(BaseCommand):
    help = "Test and item statistics (facility, discrimination, CIC …) of a graded session or a Moodle marks CSV."

    def add_arguments(self, parser):
        parser.add_argument("session", nargs="?", help="exam session code (or number)")
        parser.add_argument("--marks-csv", metavar="FILE", help="a Moodle-style marks CSV instead of a session")
        parser.add_argument("--max-marks", metavar="M1,M2,…",
                            help="each slot's maximum mark for --marks-csv (default: 1 for every slot)")
        parser.add_argument("--json", action="store_true", help="print one JSON document instead of tables")

    def handle(self, *args, session=None, marks_csv=None, max_marks=None, **options):
        if bool(session) == bool(marks_csv):
            raise CommandError(_("Give either a session or --marks-csv FILE, not both or neither."))
        data = self._from_csv(Path(marks_csv), max_marks) if marks_csv else self._from_session(session)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
        else:
            self._print(data)

    def _from_csv(self, path: Path, max_marks: str | None) -> dict:
        if not path.is_file():
            raise CommandError(_("File “%(name)s” not found.") % {"name": path})
        maxima = None
        if max_marks:
            try:
                maxima = [float(m) for m in max_marks.split(",")]
            except ValueError as exc:
                raise CommandError(_("--max-marks must be numbers separated by commas.")) from exc
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CommandError(_("File “%(name)s” is not UTF-8 text.") % {"name": path.name}) from exc
        try:
            table = st.read_marks_csv(text, max_marks=maxima)
        except st.MarksFileError as exc:
            raise CommandError(_("The marks file was refused:") + "\n" + "\n".join(
                csv_problem_line(row, column, code, value, filename=path.name)
                for row, column, code, value in exc.problems)) from exc
        analysis = st.analyse(table)
        data = analysis.as_dict()
        data["items"] = [{k: item[k] for k in JSON_ITEM_FIELDS} for item in data["items"]]
        return data

    def _from_session(self, code: str) -> dict:
        from lms.exams.services.item_analysis import refresh_session_statistics

        try:
            session = get_session(code)
        except ExamError as exc:
            raise CommandError(str(exc)) from exc
        stats = refresh_session_statistics(session_id=session.pk)
        report = stats.data
        data = {**report["test"], "session": report["session"]["code"], "counts": report["counts"]}
        data["items"] = [{k: item.get(k) for k in JSON_ITEM_FIELDS} for item in report["slots"]]
        data["questions"] = [
            {"code": q["code"], "version": q["version"], "positions": q["positions"],
             **{k: q.get(k) for k in JSON_ITEM_FIELDS if k != "slot"},
             **({"distractors": q["distractors"]} if "distractors" in q else {})}
            for q in report["questions"]
        ]
        return data

    def _print(self, data: dict) -> None:
        write = self.stdout.write
        for name in st.TEST_FIGURES:
            value = data.get(name)
            shown = _fmt(value) if value is not None else "—  " + reason_text(data["missing"].get(name, ""))
            write(f"{FIGURE_LABELS[name]}: {shown}")
        if data.get("counts", {}).get("awaiting_marking"):
            write(_("%(n)d submitted attempts still await marking and are not counted.")
                  % {"n": data["counts"]["awaiting_marking"]})
        write("")
        header = ["slot", "facility", "sd", "random guess", "intended %", "effective %", "discrimination %",
                  "efficiency %"]
        write("\t".join(header))
        for item in data["items"]:
            write("\t".join(_fmt(item.get(k)) for k in (
                "slot", "facility", "sd", "random_guess_score", "intended_weight", "effective_weight",
                "discrimination_index", "discriminative_efficiency")))
        missing = {code for item in data["items"] for code in item.get("missing", {}).values()}
        for code in sorted(missing):
            write("— " + reason_text(code))


def _fmt(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)

"""Turn a session's stored statistics into what the screen, the PDF and the workbook show: labelled
figures, table rows and the SVG charts. One place, so the three always agree."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from question_bank.models import HealthFlag, QuestionType

from . import charts
from .text import FIGURE_LABELS, reason_text

POSITION_LABELS = {
    "leaders": lambda: _("Squad leaders"),
    "legal_officers": lambda: _("Legal officers"),
    "enforcement_officers": lambda: _("Enforcement officers"),
    "auxiliaries": lambda: _("Auxiliary staff"),
    "others": lambda: _("Others"),
}
TEST_ROWS = ("attempts", "mean", "median", "sd", "skewness", "kurtosis", "cic", "error_ratio", "standard_error")


def number(value, digits: int = 2) -> str:
    if value is None:
        return "—"
    if isinstance(value, int):
        return str(value)
    return f"{value:.{digits}f}"


def percent(value, digits: int = 1) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


@dataclass
class Report:
    data: dict
    test_rows: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unit_rows: list[dict] = field(default_factory=list)
    position_rows: list[dict] = field(default_factory=list)
    question_rows: list[dict] = field(default_factory=list)
    charts: dict[str, str] = field(default_factory=dict)

    @property
    def session(self) -> dict:
        return self.data["session"]

    @property
    def counts(self) -> dict:
        return self.data["counts"]


def _group_row(group: dict, *, name: str | None = None, level: str = "") -> dict:
    return {"name": name or group["name"], "street": group.get("street", ""), "level": level,
            "participants": group["participants"], "absent": group["absent"], "mean": number(group["mean"], 1),
            "pass_rate": percent(group["pass_rate"]), "mean_value": group["mean"],
            "pass_rate_value": group["pass_rate"]}


def _options_text(question: dict) -> str:
    d = question.get("distractors")
    if not d:
        return ""
    labels = {"true": _("True"), "false": _("False")}
    parts = []
    for o in d["options"]:
        key = labels.get(o["key"], o["key"])
        mark = "✓" if o["is_key"] else ""
        parts.append(f"{key}{mark} {o['chosen']} ({o['top']}/{o['bottom']})")
    return "；".join(parts)


def question_flags(question: dict) -> list[str]:
    """Flags of this session's figures alone, by the bank's rules (the bank pools them over exams)."""
    from question_bank.services.item_health import health_flags

    codes = health_flags(attempts=question["attempts"], facility=question["facility"],
                         discrimination_index=question["discrimination_index"],
                         distractors=question.get("distractors") or {})
    return [str(HealthFlag(code).label) for code in codes]


def build_report(data: dict, *, with_charts: bool = True) -> Report:
    report = Report(data=data)
    test = data["test"]
    for name in TEST_ROWS:
        value = test.get(name)
        digits = 0 if name == "attempts" else (3 if name in ("skewness", "kurtosis") else 2)
        report.test_rows.append({"name": name, "label": str(FIGURE_LABELS[name]), "value": number(value, digits),
                                 "why": "" if value is not None else reason_text(test["missing"].get(name, ""))})
    counts = data["counts"]
    if counts["graded"] < 2:
        report.notes.append(_("Fewer than two graded attempts: the spread, reliability and discrimination "
                              "figures need at least two, so they are left blank with the reason."))
    if counts.get("awaiting_marking"):
        report.notes.append(_("%(n)d submitted attempts still await marking and are not counted yet.")
                            % {"n": counts["awaiting_marking"]})
    if data["session"]["paper_mode"] != "shared":
        report.notes.append(_("Candidates had different papers: each question's figures are computed over the "
                              "candidates whose paper contained it."))
    streets = {s["name"]: s for s in data["streets"]}
    for street_name in sorted(streets):
        report.unit_rows.append(_group_row(streets[street_name], level="street"))
        for squad in data["squads"]:
            if squad["street"] == street_name:
                report.unit_rows.append(_group_row(squad, level="squad"))
    report.position_rows = [_group_row(p, name=POSITION_LABELS.get(p["name"], lambda n=p["name"]: n)())
                            for p in data["positions"]]
    type_labels = dict(QuestionType.choices)
    for q in data["questions"]:
        report.question_rows.append({
            "code": q["code"], "version": q["version"], "version_id": q["version_id"],
            "question_id": q["question_id"], "type": str(type_labels.get(q["type"], q["type"])), "stem": q["stem"],
            "knowledge_point": q["knowledge_point"], "attempts": q["attempts"],
            "facility": number(q["facility"], 3), "sd": number(q["sd"], 3),
            "random_guess": percent(q["random_guess_score"]), "intended_weight": number(q["intended_weight"]),
            "effective_weight": number(q["effective_weight"]),
            "discrimination_index": number(q["discrimination_index"], 1),
            "discriminative_efficiency": number(q["discriminative_efficiency"], 1),
            "why": "；".join(sorted({reason_text(c) for c in q["missing"].values()})),
            "options": _options_text(q), "flags": question_flags(q),
        })
    if with_charts:
        report.charts = render_charts(data)
    return report


def render_charts(data: dict) -> dict[str, str]:
    session = data["session"]
    max_mark, pass_mark = session["max_mark"], session["pass_mark"]
    result = {
        "histogram": charts.histogram(data["histogram"], pass_mark=pass_mark, max_mark=max_mark,
                                      title=_("Score distribution"), pass_label=_("Pass mark"),
                                      x_label=_("Score"), y_label=_("Candidates")),
    }
    if data["squads"]:
        result["squads"] = charts.box_plots(data["squads"], max_mark=max_mark, pass_mark=pass_mark,
                                            title=_("Scores per squad"), pass_label=_("Pass mark"))
    if data["streets"]:
        result["streets"] = charts.box_plots(data["streets"], max_mark=max_mark, pass_mark=pass_mark,
                                             title=_("Scores per street"), pass_label=_("Pass mark"))
    if data["positions"]:
        groups = [{**p, "name": POSITION_LABELS.get(p["name"], lambda n=p["name"]: n)()} for p in data["positions"]]
        result["positions"] = charts.box_plots(groups, max_mark=max_mark, pass_mark=pass_mark,
                                               title=_("Scores per position"), pass_label=_("Pass mark"))
    mastery = data["mastery"]
    if mastery["rows"] and mastery["knowledge_points"]:
        result["mastery"] = charts.heat_map(rows=[r["squad"] for r in mastery["rows"]],
                                            columns=mastery["knowledge_points"],
                                            values=[r["values"] for r in mastery["rows"]],
                                            title=_("Knowledge-point mastery per squad (share of points earned)"))
    return result

"""What the statistics' codes mean, in words for people (the pure module only carries codes)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.exams import psychometrics as st

FIGURE_LABELS = {
    "attempts": gettext_lazy("Attempts"),
    "mean": gettext_lazy("Mean"),
    "median": gettext_lazy("Median"),
    "sd": gettext_lazy("Standard deviation"),
    "skewness": gettext_lazy("Skewness"),
    "kurtosis": gettext_lazy("Kurtosis"),
    "cic": gettext_lazy("Coefficient of internal consistency (CIC, %)"),
    "error_ratio": gettext_lazy("Error ratio (%)"),
    "standard_error": gettext_lazy("Standard error"),
    "facility": gettext_lazy("Facility index"),
    "discrimination_index": gettext_lazy("Discrimination index (%)"),
    "discriminative_efficiency": gettext_lazy("Discriminative efficiency (%)"),
    "effective_weight": gettext_lazy("Effective weight (%)"),
}


def reason_text(code: str) -> str:
    return {
        st.NEEDS_1_ATTEMPT: _("no graded attempt yet"),
        st.NEEDS_2_ATTEMPTS: _("needs at least two graded attempts"),
        st.NEEDS_3_ATTEMPTS: _("needs at least three graded attempts"),
        st.NEEDS_4_ATTEMPTS: _("needs at least four graded attempts"),
        st.NEEDS_2_ITEMS: _("needs at least two questions"),
        st.NO_SPREAD: _("every attempt has the same total, so there is no spread to measure"),
        st.ITEM_NO_SPREAD: _("everyone scored the same on this question (or on the rest of the paper)"),
        st.NEGATIVE_COVARIANCE: _("the question's marks go against the total (negative covariance)"),
        st.NO_MAX_MARK: _("the question is worth no points"),
    }.get(code, code)


def csv_problem_text(code: str, value: str) -> str:
    return {
        st.CSV_EMPTY: _("the file is empty"),
        st.CSV_NO_ATTEMPT_COLUMN: _("the column “quizattempt” is missing"),
        st.CSV_NO_SLOT_COLUMNS: _("there is no mark column (slots.1.mark, slots.2.mark, …)"),
        st.CSV_SLOT_GAP: _("this mark column is missing (the slots must be numbered 1, 2, 3 … without gaps)"),
        st.CSV_UNKNOWN_COLUMN: _("unknown column"),
        st.CSV_DUPLICATE_COLUMN: _("the column appears twice"),
        st.CSV_NOT_A_NUMBER: _("the mark is not a number"),
        st.CSV_MISSING_VALUE: _("the mark is empty"),
        st.CSV_NEGATIVE: _("the mark is negative"),
        st.CSV_ABOVE_MAX: _("the mark is above the question's maximum"),
        st.CSV_SUM_MISMATCH: _("summarks is not the sum of the row's marks"),
        st.CSV_WRONG_WIDTH: _("the row has %(n)s cells, not as many as the header") % {"n": value},
        st.CSV_MAX_MARKS_COUNT: _("%(n)s maximum marks given, but the file has a different number of mark columns")
        % {"n": value},
    }.get(code, code)


def csv_problem_line(row, column: str, code: str, value: str, *, filename: str) -> str:
    where = [_("file “%(name)s”") % {"name": filename}]
    if row is not None:
        where.append(_("row %(row)d") % {"row": row})
    if column:
        where.append(_("column “%(column)s”") % {"column": column})
    line = _(", ").join(where) + "：" + csv_problem_text(code, value)
    if value and code not in (st.CSV_WRONG_WIDTH, st.CSV_MAX_MARKS_COUNT, st.CSV_UNKNOWN_COLUMN):
        line += " " + _("(value: %(value)s)") % {"value": value}
    return line

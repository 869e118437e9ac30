"""A bad marks CSV is refused with the row and column named, and nothing is computed from it."""

from django.core.management import CommandError, call_command

import pytest

from lms.exams import psychometrics as st

HEADER = "quizattempt,slots.1.mark,slots.2.mark,summarks\n"


def problems(text, **kwargs):
    with pytest.raises(st.MarksFileError) as caught:
        st.read_marks_csv(text, **kwargs)
    return caught.value.problems


def test_missing_mark_column_is_named():
    assert problems("quizattempt,slots.1.mark,slots.3.mark,summarks\n1,1,1,2\n") == [
        (1, "slots.2.mark", st.CSV_SLOT_GAP, "")]


def test_missing_attempt_column_is_named():
    assert (1, "quizattempt", st.CSV_NO_ATTEMPT_COLUMN, "") in problems("slots.1.mark,summarks\n1,1\n")


def test_non_numeric_mark_names_row_and_column():
    assert problems(HEADER + "1,1,0,1\n2,x,1,1\n") == [(3, "slots.1.mark", st.CSV_NOT_A_NUMBER, "x")]


def test_mark_above_the_maximum_names_row_and_column():
    assert problems(HEADER + "1,1,1.5,2.5\n") == [(2, "slots.2.mark", st.CSV_ABOVE_MAX, "1.5")]
    # With the right maxima the same row is accepted.
    assert st.read_marks_csv(HEADER + "1,1,1.5,2.5\n", max_marks=[1, 2]).rows == [[1.0, 1.5]]


def test_every_problem_is_reported_at_once():
    found = problems(HEADER + "1,,1,1\n2,1,-1,0\n3,1,1,5\n")
    assert [(row, column, code) for row, column, code, _v in found] == [
        (2, "slots.1.mark", st.CSV_MISSING_VALUE), (3, "slots.2.mark", st.CSV_NEGATIVE),
        (4, "summarks", st.CSV_SUM_MISMATCH)]


def test_command_refuses_in_words_with_file_row_and_column(tmp_path):
    path = tmp_path / "marks.csv"
    path.write_text(HEADER + "1,1,0,1\n2,abc,1,1\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("item_statistics", "--marks-csv", str(path))
    message = str(caught.value)
    assert "marks.csv" in message and "3" in message and "slots.1.mark" in message and "abc" in message


def test_command_needs_a_session_or_a_file():
    with pytest.raises(CommandError):
        call_command("item_statistics")


def test_one_attempt_gives_the_mean_and_says_why_the_rest_is_missing():
    analysis = st.analyse(st.read_marks_csv(HEADER + "1,1,0,1\n"))
    assert analysis.test.mean == 1 and analysis.test.sd is None
    assert analysis.test.missing["sd"] == st.NEEDS_2_ATTEMPTS
    assert analysis.items[0].missing["discrimination_index"] == st.NEEDS_2_ATTEMPTS


def test_attractive_distractor_is_found():
    # Option C is wrong, yet both of the top group chose it and nobody in the bottom group did.
    result = st.distractor_analysis(option_keys="ABCD", answer_keys=["A"],
                                    choices={1: ["C"], 2: ["C"], 3: ["A"], 4: ["B"], 5: ["A"], 6: ["B"]},
                                    top={1, 2}, bottom={5, 6})
    assert result.attractive_distractors == ["C"]
    assert result.unused_distractors == ["D"]


def test_extreme_groups_take_27_percent_with_ties_broken_by_id():
    top, bottom = st.extreme_groups({i: float(i % 4) for i in range(1, 12)})
    assert len(top) == len(bottom) == 3
    assert top == {3, 7, 11} and bottom == {4, 8, 1}

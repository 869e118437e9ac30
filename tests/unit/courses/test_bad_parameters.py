"""No 500 for bad parameters (issue 15 item 10): malformed ids, NUL bytes and over-long fill-in answers get a
400 (or 404) and nothing is written. Run on PostgreSQL too, where a NUL byte used to reach the database."""

from django.urls import reverse

import pytest

from courses.models import LessonProgress, PracticeAnswer, WrongAnswer

from . import factories

pytestmark = [pytest.mark.django_db, pytest.mark.dual_db]


@pytest.fixture
def signed_in(client, officer):
    client.force_login(officer)
    return client


@pytest.mark.parametrize("params", [
    {"kp": "abc"}, {"course": "abc"}, {"kp": "1.5"}, {"course": "-1"}, {"kp": "９"},
    {"kp": "99999999999999999999999"}, {"course": "1e3"},
])
def test_malformed_practice_scopes_are_a_bad_request(signed_in, params):
    response = signed_in.get(reverse("courses:practice"), params)
    assert response.status_code == 400
    assert "参数" in response.content.decode()


def test_an_answer_with_a_malformed_scope_is_refused_before_it_is_saved(signed_in):
    question = factories.make_question()
    response = signed_in.post(
        reverse("courses:practice_answer", args=[question.pk]), {"answer": ["A"], "course": "abc"}
    )
    assert response.status_code == 400
    assert not PracticeAnswer.objects.exists() and not WrongAnswer.objects.exists()


@pytest.mark.parametrize("field,value", [("answer", "A\x00"), ("blank", "二十\x00四"), ("back", "/learn/\x00")])
def test_a_nul_byte_in_an_answer_is_a_bad_request(signed_in, field, value):
    question = factories.make_question(type="fill_blank" if field == "blank" else "single")
    response = signed_in.post(reverse("courses:practice_answer", args=[question.pk]), {field: [value]})
    assert response.status_code == 400
    assert not PracticeAnswer.objects.exists()


@pytest.mark.parametrize("url", ["/learn/search/?q=%E6%B3%95%00", "/learn/practice/?kp=1%00", "/?next=%00"])
def test_a_nul_byte_in_a_query_parameter_is_a_bad_request(signed_in, url):
    assert signed_in.get(url).status_code == 400


def test_a_nul_byte_in_a_page_path_is_not_a_server_error(signed_in):
    assert signed_in.get("/learn/%00/").status_code in (400, 404)


def test_an_over_long_fill_in_answer_is_refused(signed_in):
    question = factories.make_question(type="fill_blank")
    response = signed_in.post(reverse("courses:practice_answer", args=[question.pk]), {"blank": ["二" * 5000]})
    assert response.status_code == 400
    assert "太长" in response.content.decode()
    assert not PracticeAnswer.objects.exists()


def test_too_many_answer_values_are_refused(signed_in):
    question = factories.make_question(type="multiple")
    response = signed_in.post(reverse("courses:practice_answer", args=[question.pk]), {"answer": ["A"] * 500})
    assert response.status_code == 400
    assert not PracticeAnswer.objects.exists()


def test_ids_beyond_the_database_range_are_not_found(signed_in):
    huge = 10**25
    assert signed_in.post(f"/learn/practice/{huge}/answer/", {"answer": ["A"]}).status_code == 404
    assert signed_in.post(f"/learn/lessons/{huge}/heartbeat/").status_code == 404
    assert not LessonProgress.objects.exists()


JUNK = ["abc", "-1", "1.5", "99999999999999999999999", "%E6%B3%95" * 300, "%FF%FE", "'\"<>", "1,2"]


@pytest.mark.parametrize("junk", JUNK)
def test_no_officer_page_answers_junk_parameters_with_a_server_error(signed_in, junk):
    course = factories.make_course()
    lesson = factories.make_lesson(course)
    for path in ("/", "/learn/", "/learn/practice/", "/learn/wrong-answers/", "/learn/search/", "/exams/mine/",
                 "/me/results/", course.url, lesson.url, "/accounts/login/"):
        for name in ("kp", "course", "book", "page", "q", "next", "p", "lang"):
            response = signed_in.get(f"{path}?{name}={junk}")
            assert response.status_code < 500, (path, name, junk)
    response = signed_in.post(reverse("courses:heartbeat", args=[lesson.pk]), {"reached_end": junk})
    assert response.status_code == 200

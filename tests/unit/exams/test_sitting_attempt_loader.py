"""selectors.sitting_attempt: the sitting's attempt from one statement built once, giving exactly the objects
the ORM's select_related query gives (every field of the attempt, its session, candidate and paper), and
nothing for another officer's attempt."""

import pytest

from lms.core import roles
from lms.exams.models import Attempt, Delivery
from lms.exams.selectors import sitting_attempt
from lms.exams.services import sitting
from tests.conftest import make_user

from .sitting_factories import full_blueprint, open_session

pytestmark = [pytest.mark.django_db, pytest.mark.dual_db]


def _fields(obj) -> dict:
    return {field.attname: getattr(obj, field.attname) for field in type(obj)._meta.concrete_fields}


def _orm(attempt: Attempt) -> Attempt:
    return Attempt.objects.select_related("session", "candidate", "paper").get(pk=attempt.pk, user_id=attempt.user_id)


def _assert_same(loaded: Attempt, expected: Attempt) -> None:
    assert _fields(loaded) == _fields(expected)
    for relation in ("session", "candidate", "paper"):
        assert Attempt._meta.get_field(relation).is_cached(loaded), relation  # no query when the view reads it
        related, wanted = getattr(loaded, relation), getattr(expected, relation)
        assert (related is None) == (wanted is None), relation
        if wanted is not None:
            assert type(related) is type(wanted) and _fields(related) == _fields(wanted), relation
            assert not related.get_deferred_fields()
    assert not loaded.get_deferred_fields() and not loaded._state.adding and loaded._state.db == "default"


@pytest.mark.parametrize("delivery", [Delivery.ONSITE, Delivery.ONLINE])
def test_an_exam_attempt_loads_as_the_orm_loads_it_before_and_after_its_start(delivery, django_assert_num_queries):
    _session, (attempt, other) = open_session(delivery=delivery, code="LD" + delivery[:2].upper())
    with django_assert_num_queries(1):
        loaded = sitting_attempt(attempt.pk, attempt.user_id)
        # Reading the relations, the decimals, the dates and the JSON of the session costs nothing more.
        assert loaded.session.starts_at and loaded.paper.total_points and loaded.candidate.venue_id is not None
        assert isinstance(loaded.session.mandatory_positions, list)
    _assert_same(loaded, _orm(attempt))
    started, _token = sitting.start_attempt(attempt=loaded,
                                            access_code=attempt.candidate.venue.access_code if attempt.candidate
                                            .venue_id else None)
    _assert_same(sitting_attempt(attempt.pk, attempt.user_id), _orm(attempt))
    # Another officer's attempt, or one that does not exist, is nothing (the view answers 404).
    assert sitting_attempt(attempt.pk, other.user_id) is None
    assert sitting_attempt(10**9, attempt.user_id) is None
    # Any number of digits reaches it from the URL: beyond a bigint it is nothing, not a database error.
    for huge in (2**63, 10**20):
        assert sitting_attempt(huge, attempt.user_id) is None


def test_a_mock_attempt_has_no_session_and_no_candidate():
    blueprint = full_blueprint("载入方案")
    open_session(code="LDM")  # builds the bank the blueprint draws from
    blueprint.open_for_practice = True
    blueprint.save()
    user = make_user("loader_officer", roles.OFFICER)
    mock = sitting.start_mock_exam(user=user, blueprint=blueprint)
    loaded = sitting_attempt(mock.pk, user.pk)
    assert loaded.session is None and loaded.candidate is None and loaded.paper.pk == mock.paper_id
    _assert_same(loaded, _orm(mock))

"""The candidate draw: mandatory positions always sit, each squad's sample has exactly the rule's size, the
same seed and snapshot give the same draw, and verify_draw notices tampering (DESIGN §5)."""

import hashlib
from decimal import Decimal

from django.core.management import call_command
from django.core.management.base import CommandError

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.core.models import AuditEntry
from lms.exams.models import CandidateDraw, CandidateReason, SessionStatus
from lms.exams.services.draw import (
    Entry,
    Rule,
    add_candidate,
    compute_draw,
    draw_candidates,
    excuse_candidate,
    sample_size,
    verify_draw,
)
from lms.exams.services.sessions import ExamError, active_candidates
from lms.roster.models import Person, Position, RosterSnapshotEntry

from .factories import build_bank, build_blueprint, build_district, build_session, snapshot

POSITIONS = [p.value for p in Position]


def test_sample_size_uses_exact_decimal_arithmetic():
    # In floating point 0.3 * 10 is 3.0000000000000004 and its ceiling 4; the rule means 3.
    assert sample_size(eligible=10, rate=Decimal("0.3"), minimum=1) == 3
    assert sample_size(eligible=11, rate=Decimal("0.3"), minimum=1) == 4
    assert sample_size(eligible=2, rate=Decimal("0.3"), minimum=1) == 1
    assert sample_size(eligible=0, rate=Decimal("0.3"), minimum=1) == 0
    assert sample_size(eligible=3, rate=Decimal("0.1"), minimum=5) == 3


entry_lists = st.lists(
    st.tuples(st.integers(0, 4), st.sampled_from(POSITIONS), st.sampled_from(["on_duty", "left"])),
    max_size=60,
)
rules = st.tuples(
    st.decimals(min_value=Decimal("0"), max_value=Decimal("1"), places=2),
    st.integers(0, 3),
    st.sets(st.sampled_from(POSITIONS), max_size=3),
)


def _entries(raw) -> list[Entry]:
    return [Entry(i, f"3101{i:014d}", f"人{i}", squad, f"SQ{squad}", position, status)
            for i, (squad, position, status) in enumerate(raw)]


@given(raw=entry_lists, rule_parts=rules, seed=st.text(min_size=1, max_size=20).filter(lambda s: "|" not in s),
       by_position=st.booleans())
@settings(max_examples=200, deadline=None)
def test_pure_draw_properties(raw, rule_parts, seed, by_position):
    import math

    rate, minimum, mandatory = rule_parts
    sampled = [p for p in POSITIONS if p not in mandatory][:3]
    rule = Rule(tuple(sorted(mandatory)), tuple(sampled), rate, minimum, tuple(f"SQ{i}" for i in range(5)),
                by_position)
    entries = _entries(raw)
    results = compute_draw(entries=entries, rule=rule, seed=seed)
    for code, result in results.items():
        on_duty = [e for e in entries if e.squad_code == code and e.status == "on_duty"]
        # every mandatory person on duty is drawn
        assert {e.id_number for e in result.mandatory} == {e.id_number for e in on_duty if e.position in mandatory}
        eligible = [e for e in on_duty if e.position in sampled]
        strata = [[e for e in eligible if e.position == p] for p in sampled] if by_position else [eligible]
        for stratum in strata:
            # exact size per squad (and per position when stratified)
            expected_n = min(len(stratum), max(minimum, math.ceil(Decimal(rate) * len(stratum))))
            ids = {e.id_number for e in stratum}
            assert len([e for _h, e in result.sampled if e.id_number in ids]) == expected_n
        assert {e.id_number for _h, e in result.sampled} <= {e.id_number for e in eligible}
    # same seed and snapshot → same draw, whatever order the rows come in
    again = compute_draw(entries=list(reversed(entries)), rule=rule, seed=seed)
    assert {c: [e.id_number for _h, e in r.sampled] for c, r in again.items()} == {
        c: [e.id_number for _h, e in r.sampled] for c, r in results.items()
    }


def _hashlib_only_recompute(seed, rows, rate_percent, minimum, sampled_positions, by_position=False):
    """What docs/draw.md tells a reader to do, with nothing but hashlib and integer arithmetic.
    Returns {squad: ids in ranking order} or, stratified, {(squad, position): ids in ranking order}."""
    chosen = {}
    strata = {(row["squad_code"], row["position"] if by_position else None) for row in rows}
    for squad, position in strata:
        eligible = [r for r in rows if r["squad_code"] == squad and r["status"] == "on_duty"
                    and r["position"] in sampled_positions and (position is None or r["position"] == position)]
        if not eligible:
            continue
        keyed = sorted(
            (hashlib.sha256(f"{seed}|{squad}|{r['id_number']}".encode()).hexdigest(), r["id_number"])
            for r in eligible
        )
        n = min(len(eligible), max(minimum, -(-rate_percent * len(eligible) // 100)))
        chosen[(squad, position) if by_position else squad] = [idn for _h, idn in keyed[:n]]
    return chosen


@pytest.mark.django_db
@pytest.mark.parametrize(("by_position", "sizes"), [(False, [4, 1]), (True, [2, 3, 1])])
def test_recorded_draw_matches_an_independent_hashlib_recomputation(by_position, sizes):
    _d, squads = build_district([
        {Position.SQUAD_LEADER: 1, Position.LEGAL_OFFICER: 1, Position.ENFORCEMENT_OFFICER: 7, Position.AUXILIARY: 4},
        {Position.SQUAD_LEADER: 1, Position.ENFORCEMENT_OFFICER: 3, "left": 2},
    ])
    build_bank({("single", "K1", 3): 5})
    session = build_session(blueprint=build_blueprint(), stratify_by_position=by_position)
    draw = draw_candidates(session=session, seed="2026-public-draw")
    rows = list(RosterSnapshotEntry.objects.filter(snapshot=draw.snapshot).values(
        "squad_code", "id_number", "position", "status"))
    expected = _hashlib_only_recompute("2026-public-draw", rows, 30, 1, {"enforcement_officer", "auxiliary"},
                                       by_position=by_position)
    stored = {}
    for squad, position, idn in (draw.candidates.filter(reason=CandidateReason.SAMPLED)
                                 .order_by("squad_code", "position", "rank")
                                 .values_list("squad_code", "position", "id_number")):
        stored.setdefault((squad, position) if by_position else squad, []).append(idn)
    assert stored == expected
    # unstratified: ceil(0.3 × 11) = 4 and ceil(0.9) = 1; stratified: 4 auxiliaries → 2, 7 officers → 3, 3 → 1
    assert [len(v) for _k, v in sorted(stored.items())] == sizes


@pytest.fixture
def drawn(db):
    build_district([
        {Position.SQUAD_LEADER: 1, Position.DEPUTY_SQUAD_LEADER: 1, Position.LEGAL_OFFICER: 1,
         Position.ENFORCEMENT_OFFICER: 6, Position.AUXILIARY: 3},
        {Position.SQUAD_LEADER: 1, Position.ENFORCEMENT_OFFICER: 4},
    ])
    build_bank({("single", "K1", 3): 5})
    session = build_session(blueprint=build_blueprint())
    draw = draw_candidates(session=session, seed="witness-seed-1", witness="公证员 张某")
    return session, draw


def test_draw_moves_the_session_and_is_audited(drawn):
    session, draw = drawn
    session.refresh_from_db()
    assert session.status == SessionStatus.CANDIDATES_DRAWN
    assert draw.seed_source == "witness"
    assert AuditEntry.objects.filter(action="exams.draw", data__seed="witness-seed-1").exists()
    assert all(c.ticket_number and c.seat for c in active_candidates(session))


def test_a_draw_cannot_be_edited(drawn):
    _session, draw = drawn
    draw.seed = "other"
    with pytest.raises(Exception, match="cannot be changed"):
        draw.save()


def test_redraw_needs_a_reason_and_keeps_the_old_draw(drawn):
    session, first = drawn
    with pytest.raises(ExamError):
        draw_candidates(session=session, seed="x2")
    second = draw_candidates(session=session, seed="x2", reason="见证人未到场")
    first.refresh_from_db()
    assert first.superseded_at is not None and first.superseded_reason == "见证人未到场"
    assert first.candidates.exists()
    assert session.current_draw == second
    assert set(active_candidates(session).values_list("draw_id", flat=True)) == {second.pk}
    assert verify_draw(draw=first).ok and verify_draw(draw=second).ok
    assert AuditEntry.objects.filter(action="exams.redraw").exists()


def test_excused_sampled_candidate_is_replaced_by_the_next_in_the_ranking(drawn):
    session, draw = drawn
    sampled = draw.candidates.filter(reason=CandidateReason.SAMPLED, squad_code="D1-Q000",
                                     position=Position.ENFORCEMENT_OFFICER).order_by("rank")
    n = sampled.count()
    with pytest.raises(ExamError):
        excuse_candidate(candidate=sampled[0], reason="", approved_by="")
    replacement = excuse_candidate(candidate=sampled[0], reason="公务外出", approved_by="李科长")
    # stratified (the default): the next enforcement officer of the squad's enforcement-officer ranking
    assert replacement.rank == n + 1 and replacement.reason == CandidateReason.REPLACEMENT
    assert replacement.position == Position.ENFORCEMENT_OFFICER
    assert replacement.replaces.attendance == "excused"
    assert verify_draw(draw=draw).ok
    assert AuditEntry.objects.filter(action="exams.excuse", data__replacement_id=replacement.pk).exists()


def test_excused_mandatory_candidate_is_not_replaced(drawn):
    session, draw = drawn
    leader = draw.candidates.filter(reason=CandidateReason.MANDATORY).first()
    assert excuse_candidate(candidate=leader, reason="病假", approved_by="王局长") is None


def test_manual_addition_needs_a_reason_and_is_audited(drawn):
    session, draw = drawn
    outsider = Person.objects.exclude(id__in=draw.candidates.values("person_id")).first()
    with pytest.raises(ExamError):
        add_candidate(session=session, person=outsider, reason=" ")
    added = add_candidate(session=session, person=outsider, reason="本人申请参考")
    assert added.reason == CandidateReason.ADDED and added.note == "本人申请参考"
    assert verify_draw(draw=draw).ok
    assert AuditEntry.objects.filter(action="exams.add_candidate").exists()


def test_verify_draw_command_prints_ok_and_fails_on_tampering(drawn, capsys):
    session, draw = drawn
    call_command("verify_draw", session.code)
    assert capsys.readouterr().out.strip() == "OK"
    victim = draw.candidates.filter(reason=CandidateReason.SAMPLED).first()
    other = RosterSnapshotEntry.objects.filter(snapshot=draw.snapshot, squad_code=victim.squad_code,
                                               position=victim.position).exclude(
        id_number__in=draw.candidates.values("id_number")).first()
    victim.id_number, victim.person_id = other.id_number, other.person_id
    victim.save()
    with pytest.raises(CommandError, match="does not verify"):
        call_command("verify_draw", session.code)


def test_commands_report_errors_readably(db):
    with pytest.raises(CommandError, match="NOPE"):
        call_command("draw_candidates", "NOPE")


def test_draw_command_prints_seed_and_counts(db, capsys):
    build_district([{Position.SQUAD_LEADER: 1, Position.ENFORCEMENT_OFFICER: 5}])
    build_bank({("single", "K1", 3): 5})
    session = build_session(blueprint=build_blueprint())
    call_command("draw_candidates", session.code, "--seed", "abc123")
    out = capsys.readouterr().out
    assert "seed: abc123" in out and "D1-Q000\tmandatory 1\tsampled 2" in out
    assert "rule: sampled within each position of each squad" in out and "(enforcement_officer 2)" in out


# --- property tests against the database --------------------------------------------------------

squad_rosters = st.lists(
    st.fixed_dictionaries({
        Position.SQUAD_LEADER: st.integers(0, 1),
        Position.LEGAL_OFFICER: st.integers(0, 2),
        Position.ENFORCEMENT_OFFICER: st.integers(0, 9),
        Position.AUXILIARY: st.integers(0, 6),
        "left": st.integers(0, 2),
    }),
    min_size=1, max_size=4,
)


@pytest.mark.django_db
@given(rosters=squad_rosters, rate=st.sampled_from(["0.30", "0.5", "0.01", "1"]), minimum=st.integers(0, 2),
       seed=st.from_regex(r"[0-9a-f]{1,16}", fullmatch=True), tamper=st.sampled_from(["candidate", "snapshot"]),
       by_position=st.booleans())
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
def test_stored_draw_properties_and_tamper_detection(rosters, rate, minimum, seed, tamper, by_position):
    from django.db import transaction

    try:
        with transaction.atomic():
            build_district(rosters, code="H")
            build_bank({("single", "K1", 3): 3})
            session = build_session(blueprint=build_blueprint(), sample_rate=Decimal(rate), sample_minimum=minimum,
                                    code="HS", stratify_by_position=by_position)
            snap = snapshot()
            draw = draw_candidates(session=session, seed=seed, snapshot=snap)
            entries = list(RosterSnapshotEntry.objects.filter(snapshot=snap))
            stored = list(draw.candidates.all())
            for squad in {e.squad_code for e in entries}:
                on_duty = [e for e in entries if e.squad_code == squad and e.status == "on_duty"]
                mandatory = {e.id_number for e in on_duty if e.position in ("squad_leader", "deputy_squad_leader",
                                                                             "legal_officer")}
                assert mandatory == {c.id_number for c in stored if c.squad_code == squad and c.reason == "mandatory"}
                eligible = [e for e in on_duty if e.position in ("enforcement_officer", "auxiliary")]
                strata = ([("enforcement_officer",), ("auxiliary",)] if by_position
                          else [("enforcement_officer", "auxiliary")])
                for positions in strata:
                    size = len([e for e in eligible if e.position in positions])
                    n = sample_size(eligible=size, rate=Decimal(rate), minimum=minimum)
                    assert len([c for c in stored if c.squad_code == squad and c.reason == "sampled"
                                and c.position in positions]) == n
            # same seed and snapshot → same draw
            twin = compute_draw(entries=[Entry(e.person_id, e.id_number, e.name, e.squad_id, e.squad_code,
                                               e.position, e.status) for e in entries],
                                rule=Rule.from_json(draw.rule), seed=seed)
            assert {(c.squad_code, c.id_number) for c in stored if c.reason == "sampled"} == {
                (code, e.id_number) for code, r in twin.items() for _h, e in r.sampled}
            assert verify_draw(draw=draw).ok
            if tamper == "candidate" and stored:
                stored[0].delete()
                assert not verify_draw(draw=draw).ok
            elif tamper == "snapshot" and entries:
                RosterSnapshotEntry.objects.filter(pk=entries[0].pk).update(status="left" if entries[0].status ==
                                                                             "on_duty" else "on_duty")
                assert not verify_draw(draw=CandidateDraw.objects.get(pk=draw.pk)).ok
            raise _Rollback
    except _Rollback:
        pass


class _Rollback(Exception):
    pass


def test_the_worked_example_in_docs_draw_md_is_correct():
    import re
    from pathlib import Path

    from django.conf import settings

    text = (Path(settings.BASE_DIR) / "docs" / "draw.md").read_text().split("## Stratified by position")[0]
    seed = "20261201-witness-4711"
    rows = re.findall(r"\| (\d) +\| `([0-9a-f]{64})` \| `(\d{17}[\dX])` \|", text)
    assert len(rows) == 9
    squads = ["JD01-ZD01"] * 7 + ["JD01-ZD02"] * 2
    for (rank, digest, idn), squad in zip(rows, squads, strict=True):
        assert hashlib.sha256(f"{seed}|{squad}|{idn}".encode()).hexdigest() == digest, (rank, idn)
    assert [r[1] for r in rows[:7]] == sorted(r[1] for r in rows[:7])
    assert sample_size(eligible=7, rate=Decimal("0.30"), minimum=1) == 3


def test_the_stratified_worked_example_in_docs_draw_md_is_correct():
    """Recomputed with hashlib and integer arithmetic only, as a reader of docs/draw.md would."""
    import re
    from pathlib import Path

    from django.conf import settings

    text = (Path(settings.BASE_DIR) / "docs" / "draw.md").read_text().split("## Stratified by position")[1]
    seed, squad = "20261201-witness-4711", "JD02-ZD02"
    rows = re.findall(r"\| (执法队员|协管员) +\| `([0-9a-f]{64})` \| `(\d{17}[\dX])` \|", text)
    assert len(rows) == 8
    for _position, digest, idn in rows:
        assert hashlib.sha256(f"{seed}|{squad}|{idn}".encode()).hexdigest() == digest, idn
    assert [d for _p, d, _i in rows] == sorted(d for _p, d, _i in rows)

    def first(position=None):
        ranked = [idn for p, _d, idn in rows if position is None or p == position]
        n = min(len(ranked), max(1, -(-30 * len(ranked) // 100)))
        return ranked[:n]

    unstratified = first()
    assert all(p == "协管员" for p, _d, idn in rows if idn in unstratified) and len(unstratified) == 3
    assert first("执法队员") == ["110105198703030015"]
    assert first("协管员") == ["110105199502020021", "110105199503030038"]
    for idn in ("110105198703030015", "110105199502020021", "110105199503030038", "110105199006060023"):
        assert f"`{idn}`" in text.split("### Worked example")[1].split("In a spreadsheet")[0]
    # the library draws the same
    entries = [Entry(i, idn, f"人{i}", 1, squad, "enforcement_officer" if p == "执法队员" else "auxiliary", "on_duty")
               for i, (p, _d, idn) in enumerate(rows)]
    rule = Rule((), ("enforcement_officer", "auxiliary"), Decimal("0.30"), 1, (squad,), True)
    drawn = compute_draw(entries=entries, rule=rule, seed=seed)[squad]
    assert [e.id_number for _h, e in drawn.sampled] == ["110105199502020021", "110105199503030038",
                                                       "110105198703030015"]


def test_stratified_rule_examines_every_position_of_a_lopsided_squad():
    # 8 enforcement officers and 15 auxiliaries, 10 %: unstratified, some seeds examine no enforcement officer
    entries = [Entry(i, f"3101{i:014d}", f"人{i}", 1, "SQ", "enforcement_officer" if i < 8 else "auxiliary",
                     "on_duty") for i in range(23)]
    flat = Rule((), ("enforcement_officer", "auxiliary"), Decimal("0.10"), 1, ("SQ",))
    stratified = Rule((), ("enforcement_officer", "auxiliary"), Decimal("0.10"), 1, ("SQ",), True)
    seeds = [f"s{i}" for i in range(40)]
    assert any(all(e.position == "auxiliary" for _h, e in compute_draw(entries=entries, rule=flat, seed=s)["SQ"].sampled)
               for s in seeds)
    for s in seeds:
        positions = [e.position for _h, e in compute_draw(entries=entries, rule=stratified, seed=s)["SQ"].sampled]
        assert positions.count("enforcement_officer") == 1 and positions.count("auxiliary") == 2


def test_a_rule_recorded_before_stratification_recomputes_unstratified():
    data = Rule(("squad_leader",), ("auxiliary",), Decimal("0.3"), 1, ("SQ",), True).as_json()
    del data["by_position"]
    assert Rule.from_json(data).by_position is False


@pytest.mark.django_db
def test_new_sessions_stratify_by_default():
    session = build_session(blueprint=build_blueprint())
    assert session.stratify_by_position is True


@pytest.mark.django_db
def test_target_units_limit_the_draw_to_their_squads():
    _d, squads = build_district([{Position.SQUAD_LEADER: 1, Position.ENFORCEMENT_OFFICER: 3}] * 2)
    _d2, other = build_district([{Position.SQUAD_LEADER: 1, Position.ENFORCEMENT_OFFICER: 3}], code="D2", start=100)
    build_bank({("single", "K1", 3): 5})
    session = build_session(blueprint=build_blueprint())
    session.target_units.set([_d2])
    session.save()
    draw = draw_candidates(session=session, seed="t")
    assert set(draw.candidates.values_list("squad_code", flat=True)) == {other[0].code}
    assert draw.rule["squad_codes"] == [other[0].code]


@pytest.mark.django_db
@pytest.mark.parametrize("by_position", [False, True])
def test_verify_draw_command_checks_both_rules(by_position, capsys):
    build_district([{Position.SQUAD_LEADER: 1, Position.ENFORCEMENT_OFFICER: 5, Position.AUXILIARY: 6}])
    build_bank({("single", "K1", 3): 5})
    session = build_session(blueprint=build_blueprint(), stratify_by_position=by_position)
    draw = draw_candidates(session=session, seed="both-rules")
    assert draw.rule["by_position"] is by_position
    call_command("verify_draw", session.code)
    assert capsys.readouterr().out.strip() == "OK"
    victim = draw.candidates.filter(reason=CandidateReason.SAMPLED).order_by("rank").first()
    victim.rank = 99
    victim.save()
    with pytest.raises(CommandError, match="does not verify"):
        call_command("verify_draw", session.code)

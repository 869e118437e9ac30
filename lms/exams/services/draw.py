"""The verifiable candidate draw (DESIGN §5; docs/draw.md explains it for readers without our code).

For every squad in scope, the eligible people (on duty, in a sampled position) are ranked by the
SHA-256 hex digest of the UTF-8 bytes of ``f"{seed}|{squad_code}|{id_number}"``, compared as lower-case
hex strings, lowest first; the lowest n are drawn, n = max(minimum, ceil(rate × eligible)) capped at
eligible, computed in exact decimal arithmetic. Everyone on duty in a mandatory position is drawn. The
same ranking gives the replacement order when a sampled candidate is excused. ID numbers are unique, so
two people never share a digest and ties cannot occur.

A stratified rule (the default for new sessions) does the same separately for each sampled position
within each squad: same digests, one ranking and one n per (squad, position), so a squad of 8
enforcement officers and 15 auxiliaries always has enforcement officers among its candidates.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.core.audit import record
from lms.roster.models import OrgUnit, Person, PersonStatus, RosterSnapshot, RosterSnapshotEntry
from lms.roster.services.snapshots import take_snapshot

from ..models import (
    Attendance,
    Candidate,
    CandidateDraw,
    CandidateReason,
    ExamSession,
    SessionStatus,
)
from .bulk import insert_dicts
from .seating import seat_new_rows
from .sessions import ExamError, require_status


def rank_hash(seed: str, squad_code: str, id_number: str) -> str:
    return hashlib.sha256(f"{seed}|{squad_code}|{id_number}".encode()).hexdigest()


def sample_size(*, eligible: int, rate: Decimal, minimum: int) -> int:
    """n = max(minimum, ceil(rate × eligible)), capped at eligible. Decimal, so 0.3 × 10 is exactly 3."""
    wanted = int((Decimal(rate) * eligible).to_integral_value(rounding=ROUND_CEILING))
    return min(eligible, max(minimum, wanted))


def new_seed() -> str:
    return secrets.token_hex(16)


def clean_seed(seed: str) -> str:
    seed = (seed or "").strip()
    if not seed or len(seed) > 64 or "|" in seed or not seed.isprintable():
        raise ExamError(_("A seed is 1 to 64 printable characters without “|”."))
    return seed


@dataclass(frozen=True)
class Rule:
    mandatory_positions: tuple[str, ...]
    sampled_positions: tuple[str, ...]
    rate: Decimal
    minimum: int
    squad_codes: tuple[str, ...]
    by_position: bool = False  # stratified: sample each sampled position of each squad separately

    def as_json(self) -> dict:
        return {
            "mandatory_positions": list(self.mandatory_positions),
            "sampled_positions": list(self.sampled_positions),
            "rate": str(self.rate),
            "minimum": self.minimum,
            "squad_codes": list(self.squad_codes),
            "by_position": self.by_position,
        }

    @classmethod
    def from_json(cls, data: dict) -> Rule:
        # Draws recorded before stratification existed have no "by_position": they were unstratified.
        return cls(tuple(data["mandatory_positions"]), tuple(data["sampled_positions"]), Decimal(data["rate"]),
                   int(data["minimum"]), tuple(data["squad_codes"]), bool(data.get("by_position", False)))


@dataclass(frozen=True)
class Entry:
    """The part of a snapshot entry the draw reads."""

    person_id: int
    id_number: str
    name: str
    squad_id: int
    squad_code: str
    position: str
    status: str


@dataclass
class Stratum:
    """One sampled position of one squad, under a stratified rule."""

    position: str
    eligible: int = 0
    n: int = 0
    ranking: list[tuple[str, Entry]] = field(default_factory=list)


@dataclass
class SquadResult:
    squad_code: str
    mandatory: list[Entry] = field(default_factory=list)
    eligible: int = 0
    n: int = 0
    # every eligible person in ranking order, with the digest; the first n are drawn (unstratified rule)
    ranking: list[tuple[str, Entry]] = field(default_factory=list)
    # the stratified rule's rankings per position (None for an unstratified rule)
    strata: dict[str, Stratum] | None = None

    def rankings(self) -> list[tuple[str | None, int, list[tuple[str, Entry]]]]:
        """(position, n, ranking) per stratum: one stratum (position None) for an unstratified rule."""
        if self.strata is None:
            return [(None, self.n, self.ranking)]
        return [(position, s.n, s.ranking) for position, s in sorted(self.strata.items())]

    def ranking_for(self, position: str) -> tuple[int, list[tuple[str, Entry]]]:
        """The n and ranking a candidate of `position` belongs to (its replacements come from there)."""
        if self.strata is None:
            return self.n, self.ranking
        stratum = self.strata.get(position)
        return (stratum.n, stratum.ranking) if stratum else (0, [])

    def ranked_sample(self) -> list[tuple[str | None, int, str, Entry]]:
        """(stratum position, rank within the stratum, digest, entry) of everyone drawn."""
        return [(position, rank, digest, entry) for position, n, ranking in self.rankings()
                for rank, (digest, entry) in enumerate(ranking[:n], start=1)]

    @property
    def sampled(self) -> list[tuple[str, Entry]]:
        return [(digest, entry) for _p, _r, digest, entry in self.ranked_sample()]


def compute_draw(*, entries: list[Entry], rule: Rule, seed: str) -> dict[str, SquadResult]:
    """The pure draw: no database, so tests and verify_draw recompute exactly what draw_candidates did."""
    in_scope = set(rule.squad_codes)
    results: dict[str, SquadResult] = {code: SquadResult(code) for code in sorted(in_scope)}
    mandatory, sampled = set(rule.mandatory_positions), set(rule.sampled_positions)
    for entry in entries:
        if entry.squad_code not in in_scope or entry.status != PersonStatus.ON_DUTY:
            continue
        result = results[entry.squad_code]
        if entry.position in mandatory:
            result.mandatory.append(entry)
        elif entry.position in sampled:
            result.ranking.append((rank_hash(seed, entry.squad_code, entry.id_number), entry))
    for result in results.values():
        result.mandatory.sort(key=lambda e: e.id_number)
        result.ranking.sort(key=lambda pair: pair[0])
        result.eligible = len(result.ranking)
        if rule.by_position:
            result.strata = {}
            for digest, entry in result.ranking:  # already in digest order, so each stratum is too
                stratum = result.strata.setdefault(entry.position, Stratum(entry.position))
                stratum.ranking.append((digest, entry))
            for stratum in result.strata.values():
                stratum.eligible = len(stratum.ranking)
                stratum.n = sample_size(eligible=stratum.eligible, rate=rule.rate, minimum=rule.minimum)
            result.n = sum(s.n for s in result.strata.values())
        else:
            result.n = sample_size(eligible=result.eligible, rate=rule.rate, minimum=rule.minimum)
    return results


def snapshot_entries(snapshot: RosterSnapshot) -> list[Entry]:
    return [
        Entry(*row)
        for row in RosterSnapshotEntry.objects.filter(snapshot=snapshot)
        .order_by("squad_code", "id_number")
        .values_list("person_id", "id_number", "name", "squad_id", "squad_code", "position", "status")
    ]


def snapshot_digest(entries: list[Entry]) -> str:
    """SHA-256 over the lines the draw depends on, so an altered snapshot no longer verifies."""
    digest = hashlib.sha256()
    for e in sorted(entries, key=lambda e: (e.squad_code, e.id_number)):
        digest.update(f"{e.squad_code}|{e.id_number}|{e.position}|{e.status}|{e.person_id}\n".encode())
    return digest.hexdigest()


def result_digest(results: dict[str, SquadResult]) -> str:
    digest = hashlib.sha256()
    for code, result in sorted(results.items()):
        for e in result.mandatory:
            digest.update(f"{code}|mandatory|{e.id_number}\n".encode())
        for position, rank, _h, e in result.ranked_sample():
            stratum = "" if position is None else f"{position}|"
            digest.update(f"{code}|sampled|{stratum}{rank}|{e.id_number}\n".encode())
    return digest.hexdigest()


def squads_in_scope(session: ExamSession) -> list[OrgUnit]:
    """Squads under the session's target units (all squads when none are chosen)."""
    squads = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.SQUAD, is_active=True))
    targets = set(session.target_units.values_list("id", flat=True))
    if not targets:
        return squads
    parents = dict(OrgUnit.objects.values_list("id", "parent_id"))

    def under_target(unit_id):
        while unit_id is not None:
            if unit_id in targets:
                return True
            unit_id = parents.get(unit_id)
        return False

    return [s for s in squads if under_target(s.id)]


def session_rule(session: ExamSession) -> Rule:
    return Rule(
        mandatory_positions=tuple(session.mandatory_positions),
        sampled_positions=tuple(session.sampled_positions),
        rate=Decimal(session.sample_rate),
        minimum=session.sample_minimum,
        squad_codes=tuple(sorted(s.code for s in squads_in_scope(session))),
        by_position=session.stratify_by_position,
    )


def current_snapshot(*, actor=None) -> RosterSnapshot:
    """A snapshot of the roster as it stands now (the roster app's service; audited there)."""
    return take_snapshot(actor=actor, note=_("for a candidate draw"))


def _ticket(session: ExamSession, number: int) -> str:
    return f"{session.code}-{number:05d}"


def _candidate_rows(draw: CandidateDraw, session: ExamSession, results: dict[str, SquadResult]) -> list[dict]:
    """Plain rows (not model instances): thousands of them go to the database by COPY."""
    rows = []
    common = {"draw_id": draw.pk, "session_id": session.pk}
    for code, result in sorted(results.items()):
        for e in result.mandatory:
            rows.append({**common, "person_id": e.person_id, "name": e.name, "id_number": e.id_number,
                         "squad_id": e.squad_id, "squad_code": code, "position": e.position,
                         "reason": CandidateReason.MANDATORY.value})
        for _position, rank, digest, e in result.ranked_sample():
            rows.append({**common, "person_id": e.person_id, "name": e.name, "id_number": e.id_number,
                         "squad_id": e.squad_id, "squad_code": code, "position": e.position,
                         "reason": CandidateReason.SAMPLED.value, "rank": rank, "rank_hash": digest})
    for number, row in enumerate(rows, start=1):
        row["ticket_number"] = _ticket(session, number)
    return rows


@transaction.atomic
def draw_candidates(
    *,
    session: ExamSession,
    actor=None,
    seed: str | None = None,
    witness: str = "",
    snapshot: RosterSnapshot | None = None,
    reason: str = "",
) -> CandidateDraw:
    """Draw the candidates of a session. A second draw (a redraw) needs a reason and supersedes the first."""
    session = ExamSession.objects.select_for_update().get(pk=session.pk)
    previous = session.current_draw
    if previous is not None:
        require_status(session, SessionStatus.CANDIDATES_DRAWN,
                       message=_("Candidates can be drawn again only before papers are issued."))
        if not reason.strip():
            raise ExamError(_("A redraw needs a reason."))
    else:
        require_status(session, SessionStatus.DRAFT)
    seed_source = "witness" if seed else "random"
    seed = clean_seed(seed) if seed else new_seed()
    snapshot = snapshot or current_snapshot(actor=actor)
    rule = session_rule(session)
    if not rule.squad_codes:
        raise ExamError(_("No squad is in scope for this session."))
    entries = snapshot_entries(snapshot)
    results = compute_draw(entries=entries, rule=rule, seed=seed)
    now = timezone.now()
    if previous is not None:
        # The old draw and its candidates stay as they were, for the record; only the current draw counts.
        CandidateDraw.objects.filter(pk=previous.pk).update(superseded_at=now, superseded_reason=reason.strip())
    draw = CandidateDraw.objects.create(
        session=session, snapshot=snapshot, seed=seed, seed_source=seed_source, witness=witness.strip(),
        rule=rule.as_json(), snapshot_digest=snapshot_digest(entries), result_digest=result_digest(results),
        drawn_by=actor if getattr(actor, "is_authenticated", False) else None, reason=reason.strip(),
    )
    rows = _candidate_rows(draw, session, results)
    seat_new_rows(session=session, seed=seed, rows=rows)
    insert_dicts(Candidate, rows)
    session.status = SessionStatus.CANDIDATES_DRAWN
    session.save(update_fields=["status", "updated_at"])
    counts = {code: {"mandatory": len(r.mandatory), "eligible": r.eligible, "sampled": r.n}
              for code, r in results.items()}
    record(actor=actor, action="exams.redraw" if previous else "exams.draw", obj=session,
           summary=f"{session.code}: {sum(len(r.mandatory) + r.n for r in results.values())} candidates",
           draw_id=draw.pk, seed=seed, seed_source=seed_source, witness=draw.witness, snapshot_id=snapshot.pk,
           previous_draw_id=previous.pk if previous else None, reason=draw.reason, squads=len(counts))
    return draw


# --- verification ---------------------------------------------------------------------------------


@dataclass
class Verification:
    ok: bool
    problems: list[str]


def _draw_ranking(draw: CandidateDraw) -> tuple[list[Entry], dict[str, SquadResult]]:
    entries = snapshot_entries(draw.snapshot)
    return entries, compute_draw(entries=entries, rule=Rule.from_json(draw.rule), seed=draw.seed)


def verify_draw(*, draw: CandidateDraw) -> Verification:
    """Recompute a recorded draw from its snapshot, rule and seed, and compare it with what is stored."""
    problems = []
    entries, results = _draw_ranking(draw)
    if snapshot_digest(entries) != draw.snapshot_digest:
        problems.append(_("The roster snapshot no longer matches the one the draw used."))
    if result_digest(results) != draw.result_digest:
        problems.append(_("Recomputing the draw gives a different result from the one recorded."))
    stored = list(draw.candidates.values_list("squad_code", "reason", "id_number", "rank", "position"))
    expected = set()
    for code, r in results.items():
        expected |= {(code, CandidateReason.MANDATORY.value, e.id_number, None) for e in r.mandatory}
        expected |= {(code, CandidateReason.SAMPLED.value, e.id_number, rank)
                     for _p, rank, _h, e in r.ranked_sample()}
    drawn = {(c, reason, idn, rank) for c, reason, idn, rank, _pos in stored
             if reason in (CandidateReason.MANDATORY, CandidateReason.SAMPLED)}
    for code, reason, idn, _rank in sorted(expected - drawn):
        problems.append(_("Missing from the stored candidates: %(id)s (%(squad)s, %(reason)s).")
                        % {"id": idn, "squad": code, "reason": reason})
    for code, reason, idn, _rank in sorted(drawn - expected):
        problems.append(_("Stored but not drawn: %(id)s (%(squad)s, %(reason)s).")
                        % {"id": idn, "squad": code, "reason": reason})
    # Replacements must follow the ranking: the k-th replacement in a squad (in a squad's position, when
    # stratified) is ranked n + k there.
    for code, result in results.items():
        for stratum, n, ranking in result.rankings():
            replacements = sorted((rank, idn) for c, reason, idn, rank, pos in stored
                                  if c == code and reason == CandidateReason.REPLACEMENT
                                  and (stratum is None or pos == stratum))
            for k, (rank, idn) in enumerate(replacements, start=1):
                position = n + k
                if rank != position or position > len(ranking) or ranking[position - 1][1].id_number != idn:
                    problems.append(_("Replacement %(id)s in %(squad)s is not the next person in the ranking.")
                                    % {"id": idn, "squad": code})
    return Verification(ok=not problems, problems=problems)


# --- excusals and additions ---------------------------------------------------------------------


@transaction.atomic
def excuse_candidate(*, candidate: Candidate, reason: str, approved_by: str, actor=None) -> Candidate | None:
    """Excuse a candidate; a sampled (or replacement) candidate is replaced by the next in the squad's ranking.

    Returns the replacement, or None (mandatory or added candidates are not replaced; a squad whose
    ranking is exhausted has nobody left)."""
    candidate = Candidate.objects.select_for_update().select_related("draw", "session").get(pk=candidate.pk)
    session = candidate.session
    require_status(session, SessionStatus.CANDIDATES_DRAWN, SessionStatus.PAPERS_ISSUED,
                   message=_("Candidates can be excused only before the exam opens."))
    if candidate.draw.superseded_at is not None:
        raise ExamError(_("This candidate belongs to a superseded draw."))
    if candidate.attendance == Attendance.EXCUSED:
        raise ExamError(_("%(name)s is already excused.") % {"name": candidate.name})
    if not reason.strip() or not approved_by.strip():
        raise ExamError(_("An excusal needs a reason and the name of whoever approved it."))
    candidate.attendance = Attendance.EXCUSED
    candidate.excused_reason = reason.strip()
    candidate.excused_approved_by = approved_by.strip()
    candidate.excused_at = timezone.now()
    candidate.save(update_fields=["attendance", "excused_reason", "excused_approved_by", "excused_at"])
    replacement = None
    if candidate.reason in (CandidateReason.SAMPLED, CandidateReason.REPLACEMENT):
        replacement = _next_in_ranking(candidate)
    record(actor=actor, action="exams.excuse", obj=candidate,
           summary=f"{session.code}: {candidate.name} excused", session_id=session.pk, reason=candidate.excused_reason,
           approved_by=candidate.excused_approved_by,
           replacement_id=replacement.pk if replacement else None,
           replacement_name=replacement.name if replacement else "")
    return replacement


def _next_in_ranking(excused: Candidate) -> Candidate | None:
    draw = excused.draw
    _entries, results = _draw_ranking(draw)
    result = results.get(excused.squad_code)
    if result is None:
        return None
    taken = set(draw.candidates.filter(squad_code=excused.squad_code).values_list("id_number", flat=True))
    n, ranking = result.ranking_for(excused.position)
    replacements = draw.candidates.filter(squad_code=excused.squad_code, reason=CandidateReason.REPLACEMENT)
    if result.strata is not None:  # stratified: the next person of the same position
        replacements = replacements.filter(position=excused.position)
    position = n + replacements.count() + 1
    if position > len(ranking):
        return None
    digest, entry = ranking[position - 1]
    if entry.id_number in taken:  # added by hand earlier: he is already sitting; the ranking moves on
        return None
    replacement = Candidate.objects.create(
        draw=draw, session=excused.session, person_id=entry.person_id, name=entry.name, id_number=entry.id_number,
        squad_id=entry.squad_id, squad_code=entry.squad_code, position=entry.position,
        reason=CandidateReason.REPLACEMENT, rank=position, rank_hash=digest, replaces=excused,
        ticket_number=_ticket(excused.session, draw.candidates.count() + 1),
    )
    _after_new_candidate(replacement)
    return replacement


def _after_new_candidate(candidate: Candidate) -> None:
    from .papers import issue_paper_for
    from .seating import assign_seats

    assign_seats(session=candidate.session, draw=candidate.draw)
    if candidate.session.status == SessionStatus.PAPERS_ISSUED:
        issue_paper_for(candidate=Candidate.objects.get(pk=candidate.pk))


@transaction.atomic
def add_candidate(*, session: ExamSession, person: Person, reason: str, actor=None) -> Candidate:
    session = ExamSession.objects.select_for_update().get(pk=session.pk)
    require_status(session, SessionStatus.CANDIDATES_DRAWN, SessionStatus.PAPERS_ISSUED,
                   message=_("Candidates can be added only before the exam opens."))
    if not reason.strip():
        raise ExamError(_("Adding a candidate by hand needs a reason."))
    draw = session.current_draw
    if draw.candidates.filter(person=person).exists():
        raise ExamError(_("%(name)s is already a candidate.") % {"name": person.name})
    candidate = Candidate.objects.create(
        draw=draw, session=session, person=person, name=person.name, id_number=person.id_number,
        squad=person.squad, squad_code=person.squad.code, position=person.position,
        reason=CandidateReason.ADDED, note=reason.strip(), added_by=actor if getattr(actor, "is_authenticated", False) else None,
        ticket_number=_ticket(session, draw.candidates.count() + 1),
    )
    _after_new_candidate(candidate)
    record(actor=actor, action="exams.add_candidate", obj=candidate, summary=f"{session.code}: {person.name} added",
           session_id=session.pk, reason=candidate.note)
    return candidate

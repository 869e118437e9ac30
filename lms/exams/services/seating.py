"""Seats: candidates are spread over the venues in a shuffled order, so colleagues from one squad do
not sit side by side; seats already given are never moved (tickets may have been printed)."""

import hashlib

from django.db import transaction

from ..models import Candidate, CandidateDraw, ExamSession, Venue


def _seat_order(seed: str, id_number: str) -> str:
    return hashlib.sha256(f"{seed}|seat|{id_number}".encode()).hexdigest()


def seat_new_rows(*, session: ExamSession, seed: str, rows: list[dict]) -> None:
    """Seat the rows of a fresh draw in memory, before they are inserted (no update pass afterwards)."""
    venues = Venue.objects.filter(session=session).order_by("sort_order", "id").values_list("id", "seats")
    free = [(venue_id, seat) for venue_id, seats in venues for seat in range(1, seats + 1)]
    for row, (venue_id, seat) in zip(sorted(rows, key=lambda r: _seat_order(seed, r["id_number"])), free,
                                     strict=False):
        row["venue_id"], row["seat"] = venue_id, seat


@transaction.atomic
def assign_seats(*, session: ExamSession, draw: CandidateDraw) -> int:
    """Give every seatless, not excused candidate of the draw the next free seat; returns how many got one."""
    venues = list(Venue.objects.filter(session=session).order_by("sort_order", "id"))
    if not venues:
        return 0
    taken = {(v, s) for v, s in draw.candidates.filter(venue__isnull=False).values_list("venue_id", "seat")}
    free = [(v, seat) for v in venues for seat in range(1, v.seats + 1) if (v.pk, seat) not in taken]
    waiting = list(draw.candidates.filter(venue__isnull=True).exclude(attendance="excused"))
    waiting.sort(key=lambda c: _seat_order(draw.seed, c.id_number))
    seated = []
    for candidate, (venue, seat) in zip(waiting, free, strict=False):
        candidate.venue, candidate.seat = venue, seat
        seated.append(candidate)
    Candidate.objects.bulk_update(seated, ["venue", "seat"], batch_size=2000)
    return len(seated)

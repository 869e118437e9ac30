"""draw_candidates SESSION [--seed SEED] [--witness NAME] [--reason WHY]: draw and print seed and counts."""

from collections import Counter

from lms.exams.services.draw import draw_candidates
from lms.exams.services.sessions import active_candidates

from ._base import SessionCommand


class Command(SessionCommand):
    help = "Draw the candidates of an exam session from a fresh roster snapshot; prints the seed and counts per squad."

    def add_arguments(self, parser):
        parser.add_argument("session", help="exam session code (or number)")
        parser.add_argument("--seed", default=None, help="seed typed in by a witness (default: secure random)")
        parser.add_argument("--witness", default="", help="who supplied or witnessed the seed")
        parser.add_argument("--reason", default="", help="reason, required for a redraw")

    def run(self, session, *, seed=None, witness="", reason="", **options):
        draw = draw_candidates(session=session, seed=seed, witness=witness, reason=reason)
        self.stdout.write(f"seed: {draw.seed}")
        self.stdout.write(f"snapshot: {draw.snapshot_id}  draw: {draw.pk}")
        counts = Counter()
        for squad, reason_ in active_candidates(session).values_list("squad_code", "reason"):
            counts[(squad, reason_)] += 1
        for squad in sorted({s for s, _r in counts}):
            self.stdout.write(f"{squad}\tmandatory {counts[(squad, 'mandatory')]}\tsampled {counts[(squad, 'sampled')]}")
        self.stdout.write(self.style.SUCCESS(f"{sum(counts.values())} candidates drawn"))

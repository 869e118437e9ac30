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
        stratified = bool(draw.rule.get("by_position"))
        self.stdout.write("rule: " + ("sampled within each position of each squad" if stratified
                                      else "one sample over the sampled positions of each squad"))
        counts, by_position = Counter(), Counter()
        for squad, reason_, position in active_candidates(session).values_list("squad_code", "reason", "position"):
            counts[(squad, reason_)] += 1
            if reason_ == "sampled":
                by_position[(squad, position)] += 1
        for squad in sorted({s for s, _r in counts}):
            line = f"{squad}\tmandatory {counts[(squad, 'mandatory')]}\tsampled {counts[(squad, 'sampled')]}"
            if stratified:
                line += "\t(" + ", ".join(f"{p} {n}" for (s, p), n in sorted(by_position.items()) if s == squad) + ")"
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"{sum(counts.values())} candidates drawn"))

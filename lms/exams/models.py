"""Exam sessions, their candidate draws, candidates, venues and papers.

The lifecycle of a session is a small state machine (services.sessions holds the transitions); a draw is
immutable once written, and a redraw supersedes it without deleting it, so every past draw can still be
verified against the roster snapshot it named.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel

from lms.roster.models import OrgUnit, Person, Position, RosterSnapshot
from question_bank.models import Blueprint, Question, QuestionVersion

DEFAULT_MANDATORY_POSITIONS = [Position.SQUAD_LEADER, Position.DEPUTY_SQUAD_LEADER, Position.LEGAL_OFFICER]
DEFAULT_SAMPLED_POSITIONS = [Position.ENFORCEMENT_OFFICER, Position.AUXILIARY]


def default_mandatory_positions():
    return [str(p) for p in DEFAULT_MANDATORY_POSITIONS]


def default_sampled_positions():
    return [str(p) for p in DEFAULT_SAMPLED_POSITIONS]


class SessionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CANDIDATES_DRAWN = "candidates_drawn", _("Candidates drawn")
    PAPERS_ISSUED = "papers_issued", _("Papers issued")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    GRADED = "graded", _("Graded")
    RELEASED = "released", _("Results released")


class PaperMode(models.TextChoices):
    SHARED = "shared", _("One shared paper")
    AB = "ab", _("A/B variants")
    PER_CANDIDATE = "per_candidate", _("One paper per candidate")


class MultiSelectRule(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("All or nothing")
    PARTIAL = "partial", _("Half marks when no wrong option is chosen")


class Delivery(models.TextChoices):
    ONSITE = "onsite", _("On site")
    ONLINE = "online", _("Online")


class ExamSession(ClusterableModel):
    code = models.CharField(
        _("session code"), max_length=40, unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9][A-Za-z0-9_-]*$", _("Letters, digits, “-” and “_” only."))],
        help_text=_("Used on tickets and on the command line, e.g. 2026-ONSITE."),
    )
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    delivery = models.CharField(_("delivery"), max_length=16, choices=Delivery.choices, default=Delivery.ONSITE)
    blueprint = models.ForeignKey(Blueprint, verbose_name=_("blueprint"), on_delete=models.PROTECT, related_name="+")
    paper_mode = models.CharField(
        _("paper mode"), max_length=16, choices=PaperMode.choices, default=PaperMode.PER_CANDIDATE
    )
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    multi_select_rule = models.CharField(
        _("multiple-choice scoring"), max_length=20, choices=MultiSelectRule.choices,
        default=MultiSelectRule.ALL_OR_NOTHING,
    )
    pass_mark = models.DecimalField(_("pass mark"), max_digits=5, decimal_places=1, default=Decimal("60"))
    starts_at = models.DateTimeField(_("window opens"))
    ends_at = models.DateTimeField(_("window closes"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=90, validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    target_units = ParentalManyToManyField(
        OrgUnit, verbose_name=_("target units"), blank=True, related_name="+",
        help_text=_("The whole district, or chosen streets or squads; empty means every squad."),
    )
    mandatory_positions = models.JSONField(_("positions that must sit"), default=default_mandatory_positions)
    sampled_positions = models.JSONField(_("positions sampled"), default=default_sampled_positions)
    sample_rate = models.DecimalField(
        _("sample rate"), max_digits=4, decimal_places=3, default=Decimal("0.30"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("Share of each squad's eligible people drawn, e.g. 0.30."),
    )
    sample_minimum = models.PositiveSmallIntegerField(_("minimum sampled per squad"), default=1)
    stratify_by_position = models.BooleanField(
        _("sample each position separately"), default=True,
        help_text=_("Draw the rate and minimum within each sampled position of each squad, so every position "
                    "is examined; untick for one sample over all sampled positions of a squad."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SessionStatus.choices, default=SessionStatus.DRAFT, editable=False
    )
    # Secret, unlike the published draw seed: knowing it and the bank would reveal every paper in advance.
    paper_seed = models.CharField(max_length=64, blank=True, editable=False)
    # The cells (type × knowledge point × difficulty) every paper of this session fills, fixed at first issue.
    paper_plan = models.JSONField(default=list, blank=True, editable=False)
    # Sitting in the browser (services.sitting).
    save_grace_seconds = models.PositiveSmallIntegerField(
        _("grace after the deadline (seconds)"), default=10, validators=[MaxValueValidator(120)],
        help_text=_("Saves that left the device just before the deadline are still accepted for this long."),
    )
    essay_max_length = models.PositiveIntegerField(
        _("longest essay answer (characters)"), default=5000,
        validators=[MinValueValidator(100), MaxValueValidator(50000)],
    )
    review_after_submit = models.BooleanField(
        _("candidates may re-read their answers after submitting"), default=False,
        help_text=_("Off: after submitting a candidate sees only the receipt until results are released."),
    )
    # Grading and results (services.grading, services.results).
    double_marking = models.BooleanField(
        _("two markers per essay"), default=False,
        help_text=_("Each essay is marked by two markers; if their scores differ by more than the threshold, "
                    "an arbiter's score stands, otherwise their average."),
    )
    arbiter_threshold = models.DecimalField(
        _("arbiter threshold (points)"), max_digits=5, decimal_places=1, default=Decimal("3"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    show_key_after_release = models.BooleanField(
        _("show correct answers after release"), default=True,
        help_text=_("After release, officers see the correct answer and explanation of each question."),
    )
    makeup_of = models.ForeignKey(
        "self", verbose_name=_("make-up of"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="makeups", editable=False,
        help_text=_("For a make-up exam (补考): the session it repeats; the better of the two scores counts."),
    )
    graded_at = models.DateTimeField(_("graded"), null=True, blank=True, editable=False)
    released_at = models.DateTimeField(_("results released"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-year", "-starts_at"]
        verbose_name = _("exam session")
        verbose_name_plural = _("exam sessions")
        permissions = [("proctor_examsession", _("Can proctor exam sessions (监考台)"))]

    def __str__(self):
        return f"{self.title} ({self.code})"

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The window must close after it opens.")})
        valid = set(Position.values)
        for field in ("mandatory_positions", "sampled_positions"):
            value = getattr(self, field)
            if not isinstance(value, list) or any(p not in valid for p in value):
                raise ValidationError({field: _("Choose positions from the list.")})
        if set(self.mandatory_positions) & set(self.sampled_positions):
            raise ValidationError({"sampled_positions": _("A position cannot be both mandatory and sampled.")})

    @property
    def current_draw(self):
        return self.draws.filter(superseded_at__isnull=True).order_by("-drawn_at", "-id").first()


# Access codes avoid letters and digits that are easily confused when read off a screen (0/O, 1/I/L).
ACCESS_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
ACCESS_CODE_LENGTH = 6


def new_access_code() -> str:
    import secrets

    return "".join(secrets.choice(ACCESS_CODE_ALPHABET) for _i in range(ACCESS_CODE_LENGTH))


class Venue(models.Model):
    session = ParentalKey(ExamSession, on_delete=models.CASCADE, related_name="venues")
    sort_order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("venue"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    seats = models.PositiveSmallIntegerField(_("seats"), validators=[MinValueValidator(1)])
    # Read out by the proctor in the room; candidates of an on-site session type it to start.
    access_code = models.CharField(_("access code"), max_length=ACCESS_CODE_LENGTH, default=new_access_code,
                                   editable=False)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")

    def __str__(self):
        return self.name


class CandidateDraw(models.Model):
    """One draw: rule, snapshot, seed, who and when. Immutable; a redraw supersedes it with a reason."""

    session = models.ForeignKey(ExamSession, on_delete=models.PROTECT, related_name="draws")
    snapshot = models.ForeignKey(RosterSnapshot, verbose_name=_("roster snapshot"), on_delete=models.PROTECT,
                                 related_name="+")
    seed = models.CharField(_("seed"), max_length=64)
    seed_source = models.CharField(_("seed source"), max_length=16, choices=[("random", _("Secure random")),
                                                                              ("witness", _("Typed by a witness"))])
    witness = models.CharField(_("witness"), max_length=100, blank=True)
    rule = models.JSONField(_("candidate rule"))
    snapshot_digest = models.CharField(max_length=64)
    result_digest = models.CharField(max_length=64)
    drawn_at = models.DateTimeField(_("drawn at"), auto_now_add=True)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("drawn by"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("reason for redraw"), max_length=300, blank=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    superseded_reason = models.CharField(_("superseded because"), max_length=300, blank=True)

    IMMUTABLE_FIELDS = ("session_id", "snapshot_id", "seed", "seed_source", "witness", "rule", "snapshot_digest",
                        "result_digest", "drawn_by_id", "reason")

    class Meta:
        ordering = ["-drawn_at", "-id"]
        verbose_name = _("candidate draw")
        verbose_name_plural = _("candidate draws")

    def __str__(self):
        return f"{self.session.code} #{self.pk}"

    def save(self, *args, **kwargs):
        if self.pk:
            stored = CandidateDraw.objects.filter(pk=self.pk).values(*self.IMMUTABLE_FIELDS).first()
            if stored and any(stored[f] != getattr(self, f) for f in self.IMMUTABLE_FIELDS):
                raise ValidationError("A candidate draw cannot be changed; draw again with a reason instead.")
        super().save(*args, **kwargs)


class CandidateReason(models.TextChoices):
    MANDATORY = "mandatory", _("Mandatory")
    SAMPLED = "sampled", _("Sampled")
    REPLACEMENT = "replacement", _("Replacement")
    ADDED = "added", _("Added by hand")


class Attendance(models.TextChoices):
    EXPECTED = "expected", _("Expected")
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


class Candidate(models.Model):
    draw = models.ForeignKey(CandidateDraw, on_delete=models.PROTECT, related_name="candidates")
    session = models.ForeignKey(ExamSession, on_delete=models.PROTECT, related_name="candidates")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="exam_candidacies")
    # Copied from the snapshot so lists and printables stay as they were at the draw.
    name = models.CharField(_("name"), max_length=50)
    id_number = models.CharField(_("ID-card number"), max_length=18)
    squad = models.ForeignKey(OrgUnit, verbose_name=_("squad"), on_delete=models.PROTECT, related_name="+")
    squad_code = models.CharField(max_length=32)
    position = models.CharField(_("position"), max_length=32, choices=Position.choices)
    reason = models.CharField(_("why included"), max_length=16, choices=CandidateReason.choices)
    rank = models.PositiveIntegerField(_("rank in squad"), null=True, blank=True)
    rank_hash = models.CharField(max_length=64, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True, help_text=_("Why added by hand."))
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by")
    attendance = models.CharField(_("attendance"), max_length=16, choices=Attendance.choices,
                                  default=Attendance.EXPECTED)
    excused_reason = models.CharField(_("excused because"), max_length=300, blank=True)
    excused_approved_by = models.CharField(_("approved by"), max_length=100, blank=True)
    excused_at = models.DateTimeField(null=True, blank=True)
    ticket_number = models.CharField(_("ticket number"), max_length=60, blank=True)
    venue = models.ForeignKey(Venue, verbose_name=_("venue"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="candidates")
    seat = models.PositiveSmallIntegerField(_("seat"), null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["squad_code", "reason", "rank", "id_number"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [
            models.UniqueConstraint(fields=["draw", "person"], name="exams_candidate_once_per_draw"),
        ]
        indexes = [models.Index(fields=["session", "squad_code"])]

    def __str__(self):
        return f"{self.name} ({self.ticket_number})"

    @property
    def masked_id_number(self) -> str:
        return f"{self.id_number[:6]}********{self.id_number[-4:]}" if len(self.id_number) == 18 else "****"


class Paper(models.Model):
    """What one candidate sees: question versions in order, with points and option order (PaperQuestion)."""

    # Both null only for a mock exam's paper (an officer's practice paper, no session).
    session = models.ForeignKey(ExamSession, null=True, blank=True, on_delete=models.CASCADE, related_name="papers")
    candidate = models.OneToOneField(Candidate, null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="paper")
    variant = models.CharField(_("variant"), max_length=40)
    question_count = models.PositiveSmallIntegerField(default=0)
    total_points = models.DecimalField(max_digits=6, decimal_places=1, default=Decimal("0"))
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        ordering = ["session", "candidate__ticket_number"]
        verbose_name = _("paper")
        verbose_name_plural = _("papers")

    def __str__(self):
        return f"{self.session.code if self.session_id else 'mock'} / {self.candidate_id or self.pk}"


class PaperQuestion(models.Model):
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    section = models.PositiveSmallIntegerField()
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(max_digits=5, decimal_places=1)
    # Displayed option i is the version's option option_order[i]; empty for questions without options.
    option_order = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["paper", "position"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "position"], name="exams_paperquestion_unique_position"),
            models.UniqueConstraint(fields=["paper", "question"], name="exams_paperquestion_no_repeat"),
        ]

    def __str__(self):
        return f"{self.paper_id}#{self.position}"


# --- Sitting and grading (DESIGN §4: Attempt, Response, Mark) -------------------------------------------------
#
# The contract every part of the exam loop relies on:
# - Issuing a paper creates its Attempt (status not started) and one Response row per PaperQuestion
#   (answer null, seq 0; position, version and points copied from the paper question). Starting is then
#   one indexed read and one update; saving an answer is one UPDATE of one Response row guarded by its
#   sequence number (`... WHERE seq < %s`).
# - Response.answer is stored in the *version's* terms (option keys of the question version, not the
#   displayed letters), normalised as question_bank.grading expects, so marking never needs the permutation.
# - Every score given is a Mark row (engine, marker 1/2, arbiter, score import, regrade); marks are only
#   ever added. Response.score is the final score (the latest final mark), Attempt.score their sum: both
#   are derived and can be recomputed from the marks at any time.


class AttemptKind(models.TextChoices):
    EXAM = "exam", _("Exam")
    MOCK = "mock", _("Mock exam")


class AttemptStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    ABSENT = "absent", _("Absent")


class SubmittedBy(models.TextChoices):
    CANDIDATE = "candidate", _("The candidate")
    SERVER = "server", _("The server at the deadline")
    PROCTOR = "proctor", _("A proctor")
    SCORE_IMPORT = "score_import", _("Score entry of a paper exam")


class Attempt(models.Model):
    kind = models.CharField(_("kind"), max_length=8, choices=AttemptKind.choices, default=AttemptKind.EXAM)
    paper = models.OneToOneField(Paper, on_delete=models.CASCADE, related_name="attempt")
    # Null only for mock exams, which have no session or candidate.
    session = models.ForeignKey(ExamSession, null=True, blank=True, on_delete=models.PROTECT, related_name="attempts")
    candidate = models.OneToOneField(Candidate, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="attempt")
    # The account that may sit it (the candidate's person's account at issue time): access checks are
    # one equality on an indexed column.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="exam_attempts")
    blueprint = models.ForeignKey(Blueprint, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                  help_text="The blueprint a mock exam was assembled from.")
    status = models.CharField(_("status"), max_length=16, choices=AttemptStatus.choices,
                              default=AttemptStatus.NOT_STARTED)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    extension_minutes = models.PositiveSmallIntegerField(_("extra time (minutes)"), default=0)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.CharField(_("submitted by"), max_length=16, choices=SubmittedBy.choices, blank=True)
    # The device holding the attempt: a random token given at start / takeover; saves must carry it.
    device_token = models.CharField(max_length=64, blank=True)
    last_saved_at = models.DateTimeField(_("last save"), null=True, blank=True)
    answered_count = models.PositiveSmallIntegerField(_("answered"), default=0)
    # Derived from the final marks (see services); null until graded.
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=1, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    graded_at = models.DateTimeField(_("graded"), null=True, blank=True)
    # How many marks this attempt's responses carry, kept by Mark itself (save and bulk_create), so the
    # statistics' fingerprint sums a session's attempts instead of counting its million marks. Not
    # editable: a form saving a stale count could hide a new mark. The database default covers COPY.
    marks_count = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "candidate__ticket_number", "id"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        indexes = [
            models.Index(fields=["session", "status"]),
            models.Index(fields=["user", "kind"]),
            models.Index(fields=["status", "deadline"]),
        ]

    def __str__(self):
        return f"{self.session.code if self.session_id else 'mock'} / {self.pk}"


class Response(models.Model):
    """The current answer to one question of one attempt; pre-created at issue, updated in place."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    paper_question = models.OneToOneField(PaperQuestion, on_delete=models.CASCADE, related_name="response")
    position = models.PositiveSmallIntegerField()  # copied from the paper question: order without a join
    # Also copied from the paper question when the response is created (a paper question never changes
    # once issued): the statistics read a million responses without joining a million paper questions.
    # Null only in rows written some other way; the statistics then join. No constraint of its own (the
    # paper question's holds): one more foreign-key check per row would slow issuing papers.
    version = models.ForeignKey(QuestionVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                db_index=False, db_constraint=False)
    points = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    answer = models.JSONField(null=True, blank=True)  # null: never answered; [] cleared
    seq = models.PositiveBigIntegerField(default=0)  # the client sequence number that wrote `answer`
    flagged = models.BooleanField(default=False)
    saved_at = models.DateTimeField(null=True, blank=True)
    # The final score of this answer (latest final Mark); null while unmarked.
    score = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="exams_response_unique_position"),
        ]

    def __str__(self):
        return f"{self.attempt_id}#{self.position}"


class MarkSource(models.TextChoices):
    ENGINE = "engine", _("Automatic marking")
    MARKER_1 = "marker_1", _("First marker")
    MARKER_2 = "marker_2", _("Second marker")
    ARBITER = "arbiter", _("Arbiter")
    SCORE_IMPORT = "score_import", _("Score entry")
    REGRADE = "regrade", _("Regrading")
    AVERAGE = "average", _("Average of two markers")


def count_new_marks(marks: "list[Mark]") -> None:
    """Add new marks to their attempts' `marks_count` (one UPDATE per distinct count, usually one)."""
    per_attempt: dict[int, int] = {}
    unknown = []
    for mark in marks:
        if Mark.response.is_cached(mark) and mark.response is not None:
            per_attempt[mark.response.attempt_id] = per_attempt.get(mark.response.attempt_id, 0) + 1
        else:
            unknown.append(mark.response_id)
    if unknown:
        attempt_of = dict(Response.objects.filter(pk__in=set(unknown)).values_list("pk", "attempt_id"))
        for response_id in unknown:
            per_attempt[attempt_of[response_id]] = per_attempt.get(attempt_of[response_id], 0) + 1
    by_count: dict[int, list[int]] = {}
    for attempt_id, n in per_attempt.items():
        by_count.setdefault(n, []).append(attempt_id)
    for n, attempt_ids in by_count.items():
        Attempt.objects.filter(pk__in=attempt_ids).update(marks_count=models.F("marks_count") + n)


class MarkQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            created = super().bulk_create(objs, *args, **kwargs)
            count_new_marks(objs)
        return created


class Mark(models.Model):
    """One score given to one response. Never updated or deleted: regrading adds a mark.

    Creating one (save or bulk_create; every grading path goes through them) also counts it on its
    attempt (Attempt.marks_count): that count is what tells cached statistics they are stale.
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="marks")
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    source = models.CharField(_("given by"), max_length=16, choices=MarkSource.choices)
    marker = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    # Whether this mark decides the response's score (a first of two markers' marks does not, alone).
    is_final = models.BooleanField(default=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MarkQuerySet.as_manager()

    class Meta:
        ordering = ["response", "created_at", "id"]
        indexes = [models.Index(fields=["response", "source"])]

    def __str__(self):
        return f"{self.response_id}: {self.score} ({self.source})"

    def save(self, *args, **kwargs):
        adding = self._state.adding
        with transaction.atomic(using=kwargs.get("using"), savepoint=False):
            super().save(*args, **kwargs)
            if adding:
                count_new_marks([self])


class AttemptEventKind(models.TextChoices):
    STARTED = "started", _("Started")
    TAKEN_OVER = "taken_over", _("Continued on another device")
    TAB_HIDDEN = "tab_hidden", _("Left the page")
    FULLSCREEN_LEFT = "fullscreen_left", _("Left full screen")
    EXTENDED = "extended", _("Time extended")
    REENTRY = "reentry", _("Allowed to re-enter")
    SUBMITTED = "submitted", _("Submitted")
    ACCESS_CODE_FAILED = "access_code_failed", _("Wrong access code")


class AttemptEvent(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=24, choices=AttemptEventKind.choices)
    at = models.DateTimeField(_("time"), auto_now_add=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        ordering = ["attempt", "at", "id"]

    def __str__(self):
        return f"{self.attempt_id} {self.kind}"


# --- Key corrections and extra accepted spellings (services.regrading) --------------------------------------


class KeyCorrection(models.Model):
    """A wrong key of a question version corrected after an exam; the version keeps its id (papers still point
    at it) and this row keeps the key it had, so every earlier mark can be explained."""

    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="key_corrections")
    session = models.ForeignKey(ExamSession, on_delete=models.PROTECT, related_name="key_corrections")
    old_answer = models.JSONField(_("old key"))
    new_answer = models.JSONField(_("new key"))
    reason = models.CharField(_("reason"), max_length=300)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    corrected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-corrected_at", "-id"]
        verbose_name = _("key correction")
        verbose_name_plural = _("key corrections")

    def __str__(self):
        return f"{self.version} {self.old_answer} → {self.new_answer}"


class AcceptedSpelling(models.Model):
    """One more spelling accepted for one blank of a fill-in question, in one session only."""

    session = models.ForeignKey(ExamSession, on_delete=models.CASCADE, related_name="accepted_spellings")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    blank = models.PositiveSmallIntegerField(_("blank"), default=0)  # 0-based
    text = models.CharField(_("accepted spelling"), max_length=200)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "version", "blank", "id"]
        verbose_name = _("accepted spelling")
        verbose_name_plural = _("accepted spellings")
        constraints = [
            models.UniqueConstraint(fields=["session", "version", "blank", "text"], name="exams_spelling_once"),
        ]

    def __str__(self):
        return f"{self.version} #{self.blank + 1}: {self.text}"


class StatisticsStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Computing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class SessionStatistics(models.Model):
    """The item analysis and report figures of one session, computed by a Celery task and kept until the
    marks change (a regrade adds marks, so `fingerprint` — the session's marks — tells a stale copy)."""

    session = models.OneToOneField(ExamSession, on_delete=models.CASCADE, related_name="statistics")
    status = models.CharField(_("status"), max_length=8, choices=StatisticsStatus.choices,
                              default=StatisticsStatus.QUEUED)
    progress_done = models.PositiveSmallIntegerField(default=0)
    progress_total = models.PositiveSmallIntegerField(default=0)
    fingerprint = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)
    requested_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("session statistics")
        verbose_name_plural = _("session statistics")

    def __str__(self):
        return f"{self.session_id}: {self.status}"

"""Org units, people and roster snapshots.

People are deactivated (status 离岗), never deleted: their exam history must stay. A snapshot freezes who
was in which squad in which position, so a candidate draw can be re-verified years later.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgUnit(models.Model):
    class Kind(models.TextChoices):
        DISTRICT = "district", _("District bureau")
        STREET = "street", _("Street office")
        SQUAD = "squad", _("Squad")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="roster_orgunit_unique_name_in_parent"),
        ]

    def __str__(self):
        return self.name


class Position(models.TextChoices):
    """Controlled list of positions (职务). The values are stable codes; labels are what people read."""

    SQUAD_LEADER = "squad_leader", _("Squad leader")
    DEPUTY_SQUAD_LEADER = "deputy_squad_leader", _("Deputy squad leader")
    INSTRUCTOR = "instructor", _("Political instructor")
    LEGAL_OFFICER = "legal_officer", _("Legal officer")
    ENFORCEMENT_OFFICER = "enforcement_officer", _("Enforcement officer")
    AUXILIARY = "auxiliary", _("Auxiliary staff")
    CLERK = "clerk", _("Clerk")


class Category(models.TextChoices):
    STAFF = "staff", _("Established staff")  # 在编
    AUXILIARY = "auxiliary", _("Auxiliary")  # 协管


class PersonStatus(models.TextChoices):
    ON_DUTY = "on_duty", _("On duty")  # 在岗
    LEFT = "left", _("Left")  # 离岗


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Person(models.Model):
    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    id_number = models.CharField(_("ID-card number"), max_length=18, unique=True)
    cert_number = models.CharField(_("enforcement certificate number"), max_length=32, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True, db_index=True)
    squad = models.ForeignKey(
        OrgUnit, verbose_name=_("squad"), on_delete=models.PROTECT, related_name="people",
        limit_choices_to={"kind": OrgUnit.Kind.SQUAD},
    )
    position = models.CharField(_("position"), max_length=32, choices=Position.choices)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    status = models.CharField(_("status"), max_length=16, choices=PersonStatus.choices, default=PersonStatus.ON_DUTY)
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="person",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["squad__code", "name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["squad", "status", "position"])]

    def __str__(self):
        return self.name

    @property
    def masked_id_number(self) -> str:
        return f"{self.id_number[:6]}********{self.id_number[-4:]}" if len(self.id_number) == 18 else "****"


class RosterSnapshot(models.Model):
    """The roster frozen at a moment; `diff` compares it with `previous` (joined, left, moved, changed)."""

    taken_at = models.DateTimeField(_("taken at"), auto_now_add=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("taken by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    previous = models.ForeignKey(
        "self", verbose_name=_("previous snapshot"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    diff = models.JSONField(_("changes since the previous snapshot"), default=dict, blank=True)
    entry_count = models.PositiveIntegerField(_("people"), default=0)

    class Meta:
        ordering = ["-taken_at", "-id"]
        verbose_name = _("roster snapshot")
        verbose_name_plural = _("roster snapshots")

    def __str__(self):
        from lms.core.timefmt import format_datetime

        return f"#{self.pk} {format_datetime(self.taken_at)}"


class RosterSnapshotEntry(models.Model):
    """One person as he stood in a snapshot. Codes and numbers are copied so history cannot drift."""

    snapshot = models.ForeignKey(RosterSnapshot, on_delete=models.CASCADE, related_name="entries")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    id_number = models.CharField(max_length=18)
    name = models.CharField(max_length=50)
    squad = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    squad_code = models.CharField(max_length=32)
    position = models.CharField(max_length=32, choices=Position.choices)
    category = models.CharField(max_length=16, choices=Category.choices)
    status = models.CharField(max_length=16, choices=PersonStatus.choices)

    class Meta:
        ordering = ["squad_code", "id_number"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "person"], name="roster_snapshot_entry_unique_person"),
        ]
        indexes = [models.Index(fields=["snapshot", "squad_code"])]

    def __str__(self):
        return f"{self.name} ({self.squad_code})"


class InitialCredential(models.Model):
    """A one-time initial sign-in code for an account created by an import.

    The code is random and high-entropy, so a fast SHA-256 is enough (a slow hash buys nothing against
    guessing 60 random bits) and imports of thousands of people stay fast. It is accepted only while the
    account still has to change its password; the plain code exists only in the account slips.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.CASCADE, related_name="initial_credential"
    )
    code_hash = models.CharField(max_length=64)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("initial sign-in code")
        verbose_name_plural = _("initial sign-in codes")

    def __str__(self):
        return str(self.user)

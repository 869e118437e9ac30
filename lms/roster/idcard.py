"""Mainland resident ID-card numbers (GB 11643-1999): 17 digits, a check character, an embedded birth date."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


def check_char(first17: str) -> str:
    return CHECK_CHARS[sum(map(int.__mul__, map(int, first17), WEIGHTS)) % 11]


def birth_date(id_number: str) -> datetime.date | None:
    try:
        return datetime.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None


def gender_code(id_number: str) -> str:
    """The 17th digit is odd for men, even for women."""
    return "M" if int(id_number[16]) % 2 else "F"


def _today() -> datetime.date:
    return datetime.date.today()


class InvalidIdNumber(ValueError):
    pass


def validate_id_number(id_number: str, *, today: datetime.date | None = None) -> str:
    """Return the number with its check letter upper-cased, or raise InvalidIdNumber with a Chinese reason."""
    value = id_number.strip().upper()
    if len(value) != 18:
        raise InvalidIdNumber(_("An ID number has 18 characters; this one has %(n)d.") % {"n": len(value)})
    if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        raise InvalidIdNumber(_("An ID number is 17 digits followed by a digit or X."))
    born = birth_date(value)
    today = today or _today()
    if born is None or born.year < 1900 or born > today:
        raise InvalidIdNumber(_("The birth date %(date)s in the ID number is not a valid date.") % {"date": value[6:14]})
    if check_char(value[:17]) != value[17]:
        raise InvalidIdNumber(
            _("The ID number's check character is wrong (it should be %(char)s); check for a typing error.")
            % {"char": check_char(value[:17])}
        )
    return value


def make_id_number(*, region: str, born: datetime.date, sequence: int) -> str:
    """A valid number for demo data and tests: region code (6 digits), birth date, 3-digit sequence."""
    first17 = f"{region}{born:%Y%m%d}{sequence % 1000:03d}"
    return first17 + check_char(first17)

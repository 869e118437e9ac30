"""Constant-time comparison of secrets that a client may send as any text.

`secrets.compare_digest` raises TypeError on non-ASCII *str* (a full-width access code typed on a Chinese
phone keyboard, a tampered cookie), which would be a 500; compared as UTF-8 bytes, such a value is simply
not equal.
"""

import secrets


def same_secret(given: str | None, expected: str | None) -> bool:
    return secrets.compare_digest((given or "").encode("utf-8", "replace"), (expected or "").encode("utf-8", "replace"))

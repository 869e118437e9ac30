"""Serving MEDIA_ROOT in development without ever serving the private folder inside it."""

import posixpath
from pathlib import Path

from django.conf import settings
from django.http import Http404
from django.views.static import serve


def private_prefix() -> str | None:
    """The private folder relative to MEDIA_ROOT ("private"), or None when it lies elsewhere."""
    try:
        return Path(settings.PRIVATE_MEDIA_ROOT).resolve().relative_to(Path(settings.MEDIA_ROOT).resolve()).as_posix()
    except ValueError:
        return None


def serve_public_media(request, path: str):
    prefix = private_prefix()
    normalised = posixpath.normpath(path.lstrip("/"))
    if prefix is not None and (prefix == "." or normalised == prefix or normalised.startswith(prefix + "/")):
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)

"""Reading configuration from the environment, with errors that name the variable.

django-environ does the parsing; this wrapper turns its errors (and our own checks) into
``ImproperlyConfigured`` messages that say which variable is wrong and what it should look like.
"""

from django.core.exceptions import ImproperlyConfigured

import environ

env = environ.Env()


def _parsed(name: str, parse, example: str, **kwargs):
    try:
        return parse(name, **kwargs)
    except ImproperlyConfigured:
        raise
    except Exception as exc:  # environ raises ValueError/TypeError/KeyError for malformed values
        raise ImproperlyConfigured(
            f"Environment variable {name} is malformed ({exc}); expected something like {example}"
        ) from exc


def env_str(name: str, default: str) -> str:
    return _parsed(name, env.str, "a string", default=default)


def env_bool(name: str, default: bool) -> bool:
    raw = env.str(name, default="")
    if raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"Environment variable {name} is malformed ({raw!r}); expected true or false")


def env_int(name: str, default: int) -> int:
    return _parsed(name, env.int, "an integer such as 30", default=default)


def env_list(name: str, default: list[str]) -> list[str]:
    return [item.strip() for item in _parsed(name, env.list, "a comma-separated list", default=default) if item.strip()]


def env_db(name: str, default: str) -> dict:
    if not env.str(name, default=""):
        return environ.Env.db_url_config(default)  # unset or empty: the embedded default
    config = _parsed(name, env.db_url, "postgres://user:password@host:5432/dbname")
    if not config.get("ENGINE"):
        raise ImproperlyConfigured(f"Environment variable {name} names an unsupported database scheme")
    return config


def env_url(name: str, default: str, schemes: tuple[str, ...]) -> str:
    value = env_str(name, default)
    if value.split("://", 1)[0] not in schemes or "://" not in value:
        raise ImproperlyConfigured(
            f"Environment variable {name} is malformed ({value!r}); expected a URL starting with "
            + " or ".join(f"{s}://" for s in schemes)
        )
    return value

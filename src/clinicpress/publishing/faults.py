"""What can go wrong between clinicpress and a WordPress site: one exception hierarchy.

Each exception's ``str()`` is ONE human line that names the site, what was attempted, what went
wrong and, where there is one, what to do; the CLI prints it as is, without a traceback
(DESIGN.md principle 12). The messages are built only from the site URL, the user name, the
request method and URL and WordPress's own error code and message, so the application password
can never end up in one.

    WordPressError
    ├── SiteURLRejected        the configured site URL is unusable or unsafe (plain http, credentials in it)
    ├── Refused                WordPress answered 4xx: retrying cannot help
    │   ├── AuthenticationFailed   401: user name or application password wrong
    │   ├── PermissionDenied       403, or the user lacks a capability clinicpress needs
    │   ├── NotFound               404 / 410
    │   └── BadRequest             400 and other 4xx, with WordPress's code and message
    ├── SlugConflict           another post already has (or just took) the article's slug
    ├── Unavailable            still failing after every retry allowed by the retry policy
    │   ├── ServerError            5xx or 429 answers
    │   └── Unreachable            no answer: connection refused, reset, timed out
    └── UnexpectedResponse     an answer that makes no sense for the request (HTML instead of
                               JSON, a redirect, an id WordPress silently dropped)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class WordPressError(Exception):
    """Anything the WordPress client reports. ``site`` is the site URL (never with credentials)."""

    def __init__(
        self,
        message: str,
        *,
        site: str,
        status: int | None = None,
        code: str | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        # One line, whatever WordPress put in its message.
        super().__init__(" ".join(message.split()))
        self.site = site
        # HTTP status and WordPress error code ("term_exists", "rest_post_invalid_id"), when known.
        self.status = status
        self.code = code
        # WordPress's "data" object of the error answer (e.g. {"status": 400, "term_id": 7}).
        self.details: Mapping[str, Any] = details or {}


class SiteURLRejected(WordPressError, ValueError):
    pass


class Refused(WordPressError):
    pass


class AuthenticationFailed(Refused):
    pass


class PermissionDenied(Refused):
    pass


class NotFound(Refused):
    pass


class BadRequest(Refused):
    pass


class SlugConflict(WordPressError):
    pass


class Unavailable(WordPressError):
    pass


class ServerError(Unavailable):
    pass


class Unreachable(Unavailable):
    pass


class UnexpectedResponse(WordPressError):
    pass

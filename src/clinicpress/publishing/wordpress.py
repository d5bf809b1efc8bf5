"""WordPress REST client (API v2, tested against WordPress 6.1) used to publish clinic articles.

Side effects stay at the edge (DESIGN.md principle 10): the HTTP transport, the monotonic clock,
the sleep function, the jitter source and the wall clock are all passed in, so tests can fake a
flaky network and time without monkeypatching.

Things WordPress does silently, and what this client does about them (details and transcripts:
../shared/recipes/wordpress/NOTES.md):

* ``GET /posts?slug=S`` only finds PUBLISHED posts; every lookup here sends ``status=any`` and
  ``context=edit`` so drafts and scheduled posts are found too (trash is never included).
* A taken slug is silently renamed (``acne`` -> ``acne-2``), drafts included. So the client looks
  for the slug before creating, and checks the slug that came back.
* Unknown category/tag/featured-media ids are silently dropped. ``ensure_terms`` verifies every id
  it returns, and create/update check that the ids they sent are the ids WordPress kept.
* A create whose answer is lost (timeout, dropped connection, 5xx after the insert) may still have
  happened. Before retrying a create the client looks the object up (post by slug, media by
  content key) and adopts it, so a retry never makes a duplicate. Updates, publishing and term
  creation are idempotent and retried as they are (a repeated term create answers ``term_exists``
  with the existing id).

Where the content hash of an article lives
------------------------------------------
The hash is stored as an HTML comment at the very end of the post content,
``<!-- clinicpress:sha256=<64 hex digits> -->``, and read back from ``content.raw`` (edit context).
Alternatives, and why not:

* post meta: WordPress silently ignores meta keys nobody registered with ``register_post_meta``
  (``"meta": []`` comes back, no error), so it would need a plugin on every clinic's site, and a
  wrongly typed value is rejected only after the post was created;
* excerpt, title or slug: visible to readers, or needed for other things;
* a separate lookup table on our side: it drifts from the site.

The comment travels with the content through revisions, export/import and REST, is kept by
``wp_kses`` for users without ``unfiltered_html``, and is invisible on the page (it does appear in
the page source; a hash of public text reveals nothing). If an editor deletes it in WordPress, the
post simply reads as "no hash", i.e. "not known to match anything clinicpress published", which is
the safe direction.

Uploaded media are keyed the same way, by the SHA-256 of their bytes, stored as the attachment's
slug ``clinicpress-sha256-<hex>`` (unique per site, and ``GET /media?slug=`` finds it exactly; a
search on title or description would be a fuzzy full-text match).
"""

from __future__ import annotations

import enum
import hashlib
import ipaddress
import logging
import random
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from clinicpress.publishing.faults import (
    AuthenticationFailed,
    BadRequest,
    NotFound,
    PermissionDenied,
    ServerError,
    SiteURLRejected,
    SlugConflict,
    UnexpectedResponse,
    Unreachable,
    WordPressError,
)

__all__ = [
    "DEFAULT_PASSWORD_ORIGIN",
    "Media",
    "Post",
    "PostFields",
    "REQUIRED_CAPABILITIES",
    "RetryPolicy",
    "TermKind",
    "User",
    "WordPressClient",
    "split_content_hash",
    "with_content_hash",
]

log = logging.getLogger(__name__)

# Named in the 401 message so the user knows where to fix the password.
DEFAULT_PASSWORD_ORIGIN = "$CLINICPRESS_WP_APP_PASSWORD"

# What publishing needs: create and publish posts, upload images, create categories and tags
# (creating tags needs manage_categories too). An Editor or Administrator has all of them.
REQUIRED_CAPABILITIES = ("edit_posts", "publish_posts", "upload_files", "manage_categories")

_API_PATH = "wp-json/wp/v2/"
_MAX_PER_PAGE = 100  # WordPress answers 400 rest_out_of_bounds above this
_WORDPRESS_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"

# Slugs as WordPress stores them unchanged. Anything else (capitals, spaces, accents) WordPress
# would rewrite, and the slug read back would no longer equal the one the article declares.
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
_CONTENT_HASH_COMMENT = re.compile(r"\s*<!-- clinicpress:sha256=([0-9a-f]{64}) -->\s*\Z")
_MEDIA_KEY_PREFIX = "clinicpress-sha256-"

# 5xx answers that mean "never": retrying them only burns the deadline.
_PERMANENT_SERVER_ERRORS = {
    "rest_trash_not_supported",  # 501: media cannot be trashed, only deleted with force=true
    "rest_upload_sideload_error",  # 500: file type not allowed on this site
    "rest_upload_unknown_error",  # 500: e.g. the file exceeds upload_max_filesize
}


# --------------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try one request: exponential backoff with jitter, bounded twice.

    ``max_attempts`` counts the first try. ``deadline`` is the total time in seconds one request
    may take, every attempt and wait included: per-attempt timeouts are shortened to fit, and no
    wait starts that would end past it.
    """

    max_attempts: int = 4
    first_delay: float = 0.5
    max_delay: float = 8.0
    deadline: float = 60.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if not 0 <= self.first_delay <= self.max_delay:
            raise ValueError("need 0 <= first_delay <= max_delay")
        if self.deadline <= 0:
            raise ValueError("deadline must be positive")

    def delay_before_retry(self, retry_number: int, jitter: float) -> float:
        """The wait before retry ``retry_number`` (1 = second attempt); ``jitter`` is in [0, 1).

        Half the exponential step is fixed and half random ("equal jitter"): clients that failed
        together spread out, yet none retries immediately.
        """
        step = min(self.max_delay, self.first_delay * 2 ** (retry_number - 1))
        return step / 2 + step / 2 * jitter


class TermKind(enum.Enum):
    """A taxonomy, by its REST route."""

    CATEGORY = "categories"
    TAG = "tags"


@dataclass(frozen=True)
class User:
    id: int
    username: str
    name: str
    roles: tuple[str, ...]
    capabilities: frozenset[str]


@dataclass(frozen=True)
class PostFields:
    """What clinicpress sets on a post. ``content`` is HTML without the hash comment; the client
    appends ``content_hash`` (hex SHA-256 of whatever the caller hashes, e.g. the approved source)."""

    slug: str
    title: str
    content: str
    excerpt: str = ""
    categories: tuple[int, ...] = ()
    tags: tuple[int, ...] = ()
    featured_media: int | None = None
    content_hash: str | None = None

    def __post_init__(self) -> None:
        if not _SLUG.fullmatch(self.slug):
            raise ValueError(
                f"slug {self.slug!r} must be lowercase letters, digits and single hyphens "
                "(WordPress would rewrite anything else)"
            )
        if self.content_hash is not None and not _SHA256_HEX.fullmatch(self.content_hash):
            raise ValueError(f"content_hash must be 64 lowercase hex digits, not {self.content_hash!r}")

    def request_body(self) -> dict[str, Any]:
        content = self.content
        if self.content_hash is not None:
            content = with_content_hash(content, self.content_hash)
        return {
            "slug": self.slug,
            "title": self.title,
            "content": content,
            "excerpt": self.excerpt,
            "categories": list(self.categories),
            "tags": list(self.tags),
            # 0 clears a featured image an earlier version had.
            "featured_media": self.featured_media or 0,
        }


@dataclass(frozen=True)
class Post:
    """A post as WordPress stores it (edit context: raw fields, not the rendered HTML)."""

    id: int
    slug: str
    status: str
    title: str
    content: str  # raw content without the hash comment
    content_hash: str | None
    excerpt: str
    link: str
    date_gmt: datetime | None  # None for a draft whose date floats until it is published
    modified_gmt: datetime | None
    categories: tuple[int, ...]
    tags: tuple[int, ...]
    featured_media: int | None


@dataclass(frozen=True)
class Media:
    id: int
    slug: str
    source_url: str
    mime_type: str
    sha256: str | None  # None for media clinicpress did not upload


def with_content_hash(content: str, sha256_hex: str) -> str:
    """``content`` with the clinicpress hash comment at its end (replacing any earlier one)."""
    body, _ = split_content_hash(content)
    return f"{body}\n<!-- clinicpress:sha256={sha256_hex} -->"


def split_content_hash(raw_content: str) -> tuple[str, str | None]:
    """(content without the hash comment, the hash or None)."""
    found = _CONTENT_HASH_COMMENT.search(raw_content)
    if found is None:
        return raw_content, None
    return raw_content[: found.start()], found.group(1)


# --------------------------------------------------------------------------------------------
# Request plumbing
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Call:
    method: str
    path: str  # relative to .../wp-json/wp/v2/
    params: Mapping[str, str | int] = field(default_factory=dict)
    json: Any = None
    content: bytes | None = None
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Reply:
    data: Any
    headers: Mapping[str, str] = field(default_factory=dict)


class _RetryableFailure(Exception):
    """One attempt failed in a way a later attempt may not (network trouble, 5xx, 429)."""

    def __init__(
        self,
        cause: str,
        *,
        status: int | None = None,
        code: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(cause)
        self.cause = cause
        self.status = status
        self.code = code
        self.retry_after = retry_after


def _system_utc_now() -> datetime:
    return datetime.now(UTC)


class WordPressClient:
    """Synchronous client for one site's REST API, authenticated with an application password.

    ``site_url`` is the site address (``https://clinic.example``, or with a sub-path); plain
    ``http://`` is refused unless the host is loopback, because Basic auth would send the
    password readable to everyone on the way.
    """

    def __init__(
        self,
        site_url: str,
        user: str,
        application_password: str,
        *,
        timeout: float = 10.0,
        retry: RetryPolicy = RetryPolicy(),
        password_origin: str = DEFAULT_PASSWORD_ORIGIN,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
        utc_now: Callable[[], datetime] = _system_utc_now,
    ) -> None:
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self._site_url = _checked_site_url(site_url)
        self._api_url = f"{self._site_url}/{_API_PATH}"
        self._user = user
        self._password_origin = password_origin
        self._timeout = timeout
        self._retry = retry
        self._clock = clock
        self._sleep = sleep
        self._jitter = jitter
        self._utc_now = utc_now
        # The password lives only inside httpx's BasicAuth (which keeps just the encoded header),
        # not in an attribute of ours that a debugger, repr() or a log call could print.
        self._http = httpx.Client(
            base_url=self._api_url,
            auth=httpx.BasicAuth(user, application_password),
            transport=transport,
            headers={"Accept": "application/json", "User-Agent": "clinicpress"},
            follow_redirects=False,  # a redirect means a wrong site URL; say so instead of following
        )

    def __repr__(self) -> str:
        return f"WordPressClient(site_url={self._site_url!r}, user={self._user!r})"

    @property
    def site_url(self) -> str:
        return self._site_url

    @property
    def api_url(self) -> str:
        return self._api_url

    @property
    def user(self) -> str:
        return self._user

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> WordPressClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ---- users -------------------------------------------------------------------------------

    def whoami(self) -> User:
        reply = self._request(_Call("GET", "users/me", params={"context": "edit"}))
        return _user_from_json(reply.data)

    def check_credentials(self) -> User:
        """The authenticated user, after checking it may do everything publishing needs."""
        me = self.whoami()
        missing = [cap for cap in REQUIRED_CAPABILITIES if cap not in me.capabilities]
        if missing:
            raise PermissionDenied(
                f"WordPress at {self._site_url}: user {me.username} lacks the capabilities "
                f"{', '.join(missing)} that publishing needs: give the user the Editor role",
                site=self._site_url,
            )
        return me

    # ---- posts -------------------------------------------------------------------------------

    def get_post(self, post_id: int) -> Post:
        reply = self._request(_Call("GET", f"posts/{post_id}", params={"context": "edit"}))
        return _post_from_json(reply.data)

    def find_post_by_slug(self, slug: str) -> Post | None:
        """The post (any status but trash) with this slug, or None."""
        return self._only_post_with_slug(slug, self._request(_slug_lookup(slug)).data)

    def create_post(self, fields: PostFields) -> Post:
        """Create the post as a draft. Refuses (SlugConflict) if a post already has the slug."""
        existing = self.find_post_by_slug(fields.slug)
        if existing is not None:
            raise SlugConflict(
                f"WordPress at {self._site_url} already has a post with slug {fields.slug} "
                f"(id {existing.id}, {existing.status}): update that post instead of creating one",
                site=self._site_url,
            )

        def adopt_post_created_by_lost_attempt(timeout: float) -> _Reply | None:
            # The slug was free before the first attempt, so a post holding it now is ours.
            found = self._attempt(_slug_lookup(fields.slug), timeout).data
            post = self._only_post_with_slug(fields.slug, found)
            if post is None:
                return None
            log.warning(
                "create of post %r: an earlier attempt did succeed (post %d); not creating it again",
                fields.slug,
                post.id,
            )
            return _Reply(data=found[0])

        body = fields.request_body() | {"status": "draft"}
        reply = self._request(
            _Call("POST", "posts", json=body), find_existing=adopt_post_created_by_lost_attempt
        )
        post = _post_from_json(reply.data)
        self._check_post_kept(fields, post, "created")
        return post

    def update_post(self, post_id: int, fields: PostFields) -> Post:
        """Set every field of ``fields`` on the post; its status is left as it is."""
        reply = self._request(_Call("POST", f"posts/{post_id}", json=fields.request_body()))
        post = _post_from_json(reply.data)
        self._check_post_kept(fields, post, "updated")
        return post

    def publish(self, post_id: int, at: datetime | None = None) -> Post:
        """Publish now, or schedule (status future) when ``at`` is in the future.

        Without ``at`` the post keeps its own date; a draft's floating date becomes "now".
        """
        body: dict[str, Any] = {"status": "publish"}
        if at is not None:
            if at.tzinfo is None:
                raise ValueError("publish time must be timezone-aware")
            at_utc = at.astimezone(UTC)
            body["date_gmt"] = at_utc.strftime(_WORDPRESS_TIME_FORMAT)
            if at_utc > self._utc_now():
                body["status"] = "future"
        reply = self._request(_Call("POST", f"posts/{post_id}", json=body))
        post = _post_from_json(reply.data)
        # WordPress itself turns "future" with a past date into "publish" and vice versa
        # (its clock decides); anything else means the change did not take.
        if post.status not in ("publish", "future"):
            raise UnexpectedResponse(
                f"WordPress at {self._site_url} left post {post_id} as {post.status} "
                f"after being asked to {body['status']} it",
                site=self._site_url,
            )
        return post

    def read_content_hash(self, post_id: int) -> str | None:
        return self.get_post(post_id).content_hash

    def list_posts(self, per_page: int = _MAX_PER_PAGE) -> Iterator[Post]:
        """Every post of any status but trash, oldest id first, fetched page by page."""
        if not 1 <= per_page <= _MAX_PER_PAGE:
            raise ValueError(f"per_page must be 1..{_MAX_PER_PAGE}")
        page = 1
        while True:
            # Ordered by id so that posts created meanwhile land on later pages, not shift them.
            params = {
                "status": "any",
                "context": "edit",
                "per_page": per_page,
                "page": page,
                "orderby": "id",
                "order": "asc",
            }
            reply = self._request(_Call("GET", "posts", params=params))
            for item in _json_list(reply.data, self._site_url):
                yield _post_from_json(item)
            total_pages = _int_header(reply.headers, "x-wp-totalpages")
            if total_pages is None or page >= total_pages:
                return
            page += 1

    # ---- terms -------------------------------------------------------------------------------

    def ensure_terms(self, kind: TermKind, names: Iterable[str]) -> tuple[int, ...]:
        """Ids of the named terms, creating the missing ones; every id verified to exist."""
        wanted = list(dict.fromkeys(name.strip() for name in names if name.strip()))
        ids = list(dict.fromkeys(self._ensure_term(kind, name) for name in wanted))
        self._verify_terms_exist(kind, ids)
        return tuple(ids)

    def _ensure_term(self, kind: TermKind, name: str) -> int:
        try:
            reply = self._request(_Call("POST", kind.value, json={"name": name}))
        except BadRequest as refused:
            term_id = refused.details.get("term_id")
            if refused.code == "term_exists" and isinstance(term_id, int):
                return term_id
            raise
        return _int_field(reply.data, "id", self._site_url)

    def _verify_terms_exist(self, kind: TermKind, ids: list[int]) -> None:
        found: set[int] = set()
        for start in range(0, len(ids), _MAX_PER_PAGE):
            chunk = ids[start : start + _MAX_PER_PAGE]
            params = {
                "include": ",".join(map(str, chunk)),
                "per_page": _MAX_PER_PAGE,
                "_fields": "id",
            }
            reply = self._request(_Call("GET", kind.value, params=params))
            found.update(
                _int_field(item, "id", self._site_url) for item in _json_list(reply.data, self._site_url)
            )
        missing = [term_id for term_id in ids if term_id not in found]
        if missing:
            raise UnexpectedResponse(
                f"WordPress at {self._site_url} gave {kind.value} ids {missing} that it does not list",
                site=self._site_url,
            )

    # ---- media -------------------------------------------------------------------------------

    def upload_media(self, data: bytes, filename: str, mime_type: str) -> Media:
        """Upload a file once: the same bytes uploaded again return the first upload."""
        digest = hashlib.sha256(data).hexdigest()
        key = _MEDIA_KEY_PREFIX + digest
        lookup = _Call("GET", "media", params={"slug": key, "context": "edit"})
        existing = _json_list(self._request(lookup).data, self._site_url)
        if existing:
            return _media_from_json(existing[0])

        def adopt_media_uploaded_by_lost_attempt(timeout: float) -> _Reply | None:
            found = _json_list(self._attempt(lookup, timeout).data, self._site_url)
            return _Reply(data=found[0]) if found else None

        upload = _Call(
            "POST",
            "media",
            # WordPress takes attachment fields from the query string on a raw-body upload.
            params={"slug": key, "title": filename},
            content=data,
            headers={
                "Content-Type": mime_type,
                "Content-Disposition": f'attachment; filename="{_header_safe_filename(filename)}"',
            },
        )
        reply = self._request(upload, find_existing=adopt_media_uploaded_by_lost_attempt)
        return _media_from_json(reply.data)

    # ---- checks on what WordPress kept -------------------------------------------------------

    def _check_post_kept(self, fields: PostFields, post: Post, done: str) -> None:
        if post.slug != fields.slug:
            raise SlugConflict(
                f"WordPress at {self._site_url} {done} post {post.id} but renamed its slug "
                f"{fields.slug} to {post.slug}, so another post has that slug: "
                "delete or rename one of the two",
                site=self._site_url,
            )
        dropped = {
            "categories": sorted(set(fields.categories) - set(post.categories)),
            "tags": sorted(set(fields.tags) - set(post.tags)),
            "featured_media": (
                [fields.featured_media]
                if fields.featured_media and post.featured_media != fields.featured_media
                else []
            ),
        }
        dropped = {name: ids for name, ids in dropped.items() if ids}
        if dropped:
            listed = "; ".join(f"{name} {ids}" for name, ids in dropped.items())
            raise UnexpectedResponse(
                f"WordPress at {self._site_url} {done} post {post.id} but silently dropped "
                f"{listed}: those ids do not exist there (use ensure_terms / upload_media ids)",
                site=self._site_url,
            )

    def _only_post_with_slug(self, slug: str, found: Any) -> Post | None:
        posts = [_post_from_json(item) for item in _json_list(found, self._site_url)]
        if len(posts) > 1:
            ids = ", ".join(str(post.id) for post in posts)
            raise SlugConflict(
                f"WordPress at {self._site_url} has {len(posts)} posts with slug {slug} "
                f"(ids {ids}): delete or rename all but one",
                site=self._site_url,
            )
        return posts[0] if posts else None

    # ---- sending, with retries ---------------------------------------------------------------

    def _request(
        self,
        call: _Call,
        *,
        find_existing: Callable[[float], _Reply | None] | None = None,
    ) -> _Reply:
        """Send ``call``, retrying what may pass, within the policy's attempts and deadline.

        ``find_existing`` makes a non-idempotent create safe to retry: before every retry it
        looks for what an earlier attempt may have created (one attempt, given its timeout) and,
        if found, that is the result.
        """
        started = self._clock()
        deadline = started + self._retry.deadline
        last_failure: _RetryableFailure | None = None
        attempts = 0
        while attempts < self._retry.max_attempts:
            remaining = deadline - self._clock()
            if remaining <= 0:
                break
            attempts += 1
            timeout = min(self._timeout, remaining)
            try:
                if attempts > 1 and find_existing is not None:
                    existing = find_existing(timeout)
                    if existing is not None:
                        return existing
                    remaining = deadline - self._clock()
                    if remaining <= 0:
                        break
                    timeout = min(self._timeout, remaining)
                return self._attempt(call, timeout)
            except _RetryableFailure as failure:
                last_failure = failure
            if attempts == self._retry.max_attempts:
                break
            wait = self._retry.delay_before_retry(attempts, self._jitter())
            if last_failure.retry_after is not None:
                wait = max(wait, last_failure.retry_after)
            if self._clock() + wait >= deadline:
                last_failure.cause += (
                    f"; the next try (in {wait:.1f} s) would pass the {self._retry.deadline:g} s deadline"
                )
                break
            log.warning(
                "%s %s: %s; retry %d of %d in %.2f s",
                call.method,
                self._url(call),
                last_failure.cause,
                attempts,
                self._retry.max_attempts - 1,
                wait,
            )
            self._sleep(wait)
        raise self._gave_up(call, last_failure, attempts, self._clock() - started)

    def _attempt(self, call: _Call, timeout: float) -> _Reply:
        """One try. Raises _RetryableFailure for what a retry may cure, WordPressError otherwise."""
        try:
            response = self._http.request(
                call.method,
                call.path,
                params=dict(call.params),
                json=call.json,
                content=call.content,
                headers=dict(call.headers),
                timeout=httpx.Timeout(timeout),
            )
        except httpx.TimeoutException as exc:
            raise _RetryableFailure(f"no answer within {timeout:.3g} s ({type(exc).__name__})") from exc
        except httpx.TransportError as exc:
            raise _RetryableFailure(_describe_transport_error(exc)) from exc
        if response.status_code < 300:
            return _Reply(data=self._json_body(call, response), headers=response.headers)
        if response.status_code < 400:
            location = response.headers.get("location", "nowhere")
            raise UnexpectedResponse(
                f"WordPress at {self._site_url} redirected {call.method} {self._url(call)} to "
                f"{location} (HTTP {response.status_code}): set the site URL to the address "
                "WordPress itself uses (https? www?), with pretty permalinks enabled",
                site=self._site_url,
                status=response.status_code,
            )
        code, message, details = _wordpress_error(response)
        if response.status_code == 429 or (
            response.status_code >= 500 and code not in _PERMANENT_SERVER_ERRORS
        ):
            raise _RetryableFailure(
                _status_cause(response.status_code, code, message),
                status=response.status_code,
                code=code,
                retry_after=_retry_after_seconds(response.headers.get("retry-after"), self._utc_now()),
            )
        raise self._refusal(call, response.status_code, code, message, details)

    def _json_body(self, call: _Call, response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            content_type = response.headers.get("content-type", "no content type")
            raise UnexpectedResponse(
                f"WordPress at {self._site_url} answered {call.method} {self._url(call)} with "
                f"something that is not JSON ({content_type}): is {self._site_url} the WordPress "
                "site address, with the REST API enabled?",
                site=self._site_url,
                status=response.status_code,
            ) from None

    def _refusal(
        self, call: _Call, status: int, code: str | None, message: str, details: Mapping[str, Any]
    ) -> WordPressError:
        where = f"{call.method} {self._url(call)}"
        because = _status_cause(status, code, message)
        kwargs: dict[str, Any] = {"site": self._site_url, "status": status, "code": code, "details": details}
        if status == 401:
            return AuthenticationFailed(
                f"WordPress at {self._site_url} rejected user {self._user}'s application password "
                f"(401): check the user name and the application password in {self._password_origin}",
                **kwargs,
            )
        if status == 403:
            return PermissionDenied(
                f"WordPress at {self._site_url} does not allow user {self._user} to {where} "
                f"({because}): give the user the Editor role",
                **kwargs,
            )
        if code == "rest_no_route":
            return NotFound(
                f"WordPress at {self._site_url} has no REST route for {where} ({because}): "
                "is this the site address, and is the WordPress version 5.6 or later?",
                **kwargs,
            )
        if status in (404, 410):
            return NotFound(f"WordPress at {self._site_url} found nothing for {where} ({because})", **kwargs)
        if 400 <= status < 500:
            return BadRequest(f"WordPress at {self._site_url} refused {where} ({because})", **kwargs)
        return ServerError(f"WordPress at {self._site_url} failed {where} ({because})", **kwargs)

    def _gave_up(
        self, call: _Call, last_failure: _RetryableFailure | None, attempts: int, elapsed: float
    ) -> WordPressError:
        where = f"{call.method} {self._url(call)}"
        tries = f"gave up after {attempts} attempt{'s' if attempts != 1 else ''} in {elapsed:.1f} s"
        if last_failure is None:
            return Unreachable(
                f"WordPress at {self._site_url}: no time left for {where} within the "
                f"{self._retry.deadline:g} s deadline",
                site=self._site_url,
            )
        if last_failure.status is not None:
            return ServerError(
                f"WordPress at {self._site_url} kept failing {where}: {last_failure.cause}; {tries}",
                site=self._site_url,
                status=last_failure.status,
                code=last_failure.code,
            )
        return Unreachable(
            f"Could not reach WordPress at {self._site_url} for {where}: {last_failure.cause}; {tries}",
            site=self._site_url,
        )

    def _url(self, call: _Call) -> str:
        return self._api_url + call.path


# --------------------------------------------------------------------------------------------
# Parsing answers
# --------------------------------------------------------------------------------------------


def _checked_site_url(site_url: str) -> str:
    try:
        url = httpx.URL(site_url.strip())
    except httpx.InvalidURL as exc:
        raise SiteURLRejected(f"{site_url!r} is not a URL ({exc})", site=site_url) from None
    if url.scheme not in ("https", "http") or not url.host:
        raise SiteURLRejected(
            f"{site_url!r} is not a web address: the WordPress site URL starts with https://",
            site=site_url,
        )
    safe_url = str(url.copy_with(username=None, password=None, query=None, fragment=None)).rstrip("/")
    if url.userinfo:
        raise SiteURLRejected(
            f"the WordPress site URL {safe_url} must not contain a user name or password: "
            "give them as the user and application password settings",
            site=safe_url,
        )
    if url.scheme == "http" and not _is_loopback(url.host):
        raise SiteURLRejected(
            f"refusing plain http:// for {safe_url}: the application password would cross the "
            "network unencrypted; use https:// (http is allowed only for 127.0.0.0/8, ::1 and localhost)",
            site=safe_url,
        )
    return safe_url


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _describe_transport_error(exc: httpx.TransportError) -> str:
    detail = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect ({detail})"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"the connection closed before a complete answer ({detail})"
    return f"the connection failed ({detail})"


def _wordpress_error(response: httpx.Response) -> tuple[str | None, str, Mapping[str, Any]]:
    """(code, message, data) of a WordPress error answer; tolerant of non-JSON error pages."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        data = body.get("data") if isinstance(body.get("data"), dict) else {}
        message = body["message"]
        params = data.get("params")
        if isinstance(params, dict) and params:
            # "Invalid parameter(s): tags" says little; the per-parameter reasons say what to fix.
            message += " " + " ".join(str(reason) for reason in params.values())
        code = body.get("code") if isinstance(body.get("code"), str) else None
        return code, _plain_text(message), data
    return None, _plain_text(response.text)[:200] or response.reason_phrase, {}


def _plain_text(text: str) -> str:
    # WordPress messages sometimes carry HTML (links in the "critical error" page).
    return " ".join(re.sub(r"<[^>]*>", " ", text).split())


def _status_cause(status: int, code: str | None, message: str) -> str:
    return f"HTTP {status} {code}: {message}" if code else f"HTTP {status}: {message}"


def _retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """Retry-After as seconds: either delta-seconds or an HTTP date (RFC 9110 10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def _int_header(headers: Mapping[str, str], name: str) -> int | None:
    value = headers.get(name)
    return int(value) if value is not None and value.strip().isdigit() else None


def _slug_lookup(slug: str) -> _Call:
    return _Call("GET", "posts", params={"slug": slug, "status": "any", "context": "edit"})


def _json_list(data: Any, site: str) -> list[Any]:
    if not isinstance(data, list):
        raise UnexpectedResponse(
            f"WordPress at {site} answered a list request with {type(data).__name__}", site=site
        )
    return data


def _int_field(data: Any, name: str, site: str) -> int:
    value = data.get(name) if isinstance(data, dict) else None
    if not isinstance(value, int):
        raise UnexpectedResponse(f"WordPress at {site} answered without a numeric {name!r}", site=site)
    return value


def _raw(value: Any) -> str:
    # Edit context gives {"raw": ..., "rendered": ...}; fall back to rendered if raw is missing.
    if isinstance(value, dict):
        return str(value.get("raw", value.get("rendered", "")))
    return "" if value is None else str(value)


def _wordpress_time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    return datetime.strptime(value, _WORDPRESS_TIME_FORMAT).replace(tzinfo=UTC)


def _post_from_json(data: Any) -> Post:
    content, content_hash = split_content_hash(_raw(data.get("content")))
    return Post(
        id=int(data["id"]),
        slug=str(data.get("slug", "")),
        status=str(data.get("status", "")),
        title=_raw(data.get("title")),
        content=content,
        content_hash=content_hash,
        excerpt=_raw(data.get("excerpt")),
        link=str(data.get("link", "")),
        date_gmt=_wordpress_time(data.get("date_gmt")),
        modified_gmt=_wordpress_time(data.get("modified_gmt")),
        categories=tuple(data.get("categories") or ()),
        tags=tuple(data.get("tags") or ()),
        featured_media=data.get("featured_media") or None,
    )


def _media_from_json(data: Any) -> Media:
    slug = str(data.get("slug", ""))
    return Media(
        id=int(data["id"]),
        slug=slug,
        source_url=str(data.get("source_url", "")),
        mime_type=str(data.get("mime_type", "")),
        sha256=slug.removeprefix(_MEDIA_KEY_PREFIX) if slug.startswith(_MEDIA_KEY_PREFIX) else None,
    )


def _user_from_json(data: Any) -> User:
    capabilities = data.get("capabilities") or {}
    return User(
        id=int(data["id"]),
        username=str(data.get("username", "")),
        name=str(data.get("name", "")),
        roles=tuple(data.get("roles") or ()),
        capabilities=frozenset(cap for cap, granted in capabilities.items() if granted),
    )


def _header_safe_filename(filename: str) -> str:
    # The header is latin-1 on the wire and the name is quoted; WordPress sanitizes it again anyway.
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", filename).strip("-.")
    return safe or "upload"

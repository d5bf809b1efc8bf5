"""The WordPress client's rules that need no WordPress: URL safety, secrecy of the password,
retry decisions and timing (fake transport, fake clock), error lines, content-hash helpers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pytest

from clinicpress.publishing.faults import (
    BadRequest,
    NotFound,
    PermissionDenied,
    ServerError,
    SiteURLRejected,
    UnexpectedResponse,
    Unreachable,
)
from clinicpress.publishing.wordpress import (
    PostFields,
    RetryPolicy,
    WordPressClient,
    split_content_hash,
    with_content_hash,
)

SITE = "https://clinic.example"
PASSWORD = "Ujpf l7Hm AHVj cGmS oeBk IUtO"
RETRY = RetryPolicy(max_attempts=4, first_delay=0.5, max_delay=4.0, deadline=30.0)
NOW = datetime(2026, 11, 21, 12, 0, 0, tzinfo=UTC)


class FakeTime:
    """A monotonic clock that only moves when the client sleeps or a fake request takes time."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def make_client(
    answer: Callable[[httpx.Request], httpx.Response],
    time: FakeTime | None = None,
    retry: RetryPolicy = RETRY,
    **overrides: object,
) -> WordPressClient:
    time = time or FakeTime()
    settings: dict[str, object] = {
        "timeout": 5.0,
        "retry": retry,
        "transport": httpx.MockTransport(answer),
        "clock": time.clock,
        "sleep": time.sleep,
        "jitter": lambda: 0.0,
        "utc_now": lambda: NOW,
    }
    settings.update(overrides)
    return WordPressClient(SITE, "editor", PASSWORD, **settings)  # type: ignore[arg-type]


def wordpress_error(status: int, code: str, message: str, **data: object) -> httpx.Response:
    return httpx.Response(status, json={"code": code, "message": message, "data": {"status": status, **data}})


ME = {
    "id": 7,
    "username": "editor",
    "name": "Ed",
    "roles": ["editor"],
    "capabilities": {"publish_posts": True},
}


# ---- site URL --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://clinic.example",
        "https://clinic.example/blog/",
        "http://127.0.0.1:8080",
        "http://127.9.9.9",
        "http://[::1]:8080",
        "http://localhost:8000",
        "http://LOCALHOST",
    ],
)
def test_accepts_https_and_loopback_http(url: str) -> None:
    client = WordPressClient(url, "editor", PASSWORD)
    assert client.api_url == url.rstrip("/").lower() + "/wp-json/wp/v2/"


def test_refuses_plain_http_to_another_host() -> None:
    with pytest.raises(SiteURLRejected) as raised:
        WordPressClient("http://clinic.example/", "editor", PASSWORD)
    assert str(raised.value) == (
        "refusing plain http:// for http://clinic.example: the application password would cross the "
        "network unencrypted; use https:// (http is allowed only for 127.0.0.0/8, ::1 and localhost)"
    )


@pytest.mark.parametrize("url", ["http://10.0.0.1", "http://localhost.evil.example", "http://128.0.0.1"])
def test_refuses_plain_http_to_hosts_that_only_look_local(url: str) -> None:
    with pytest.raises(SiteURLRejected, match="refusing plain http://"):
        WordPressClient(url, "editor", PASSWORD)


def test_refuses_credentials_in_the_url_without_repeating_them() -> None:
    with pytest.raises(SiteURLRejected) as raised:
        WordPressClient("https://editor:s3cret@clinic.example", "editor", PASSWORD)
    assert "s3cret" not in str(raised.value)
    assert "must not contain a user name or password" in str(raised.value)


@pytest.mark.parametrize("url", ["ftp://clinic.example", "clinic.example", ""])
def test_refuses_what_is_not_a_web_address(url: str) -> None:
    with pytest.raises(SiteURLRejected):
        WordPressClient(url, "editor", PASSWORD)


# ---- the password stays secret -----------------------------------------------------------------


def test_password_is_not_in_repr_errors_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    answers = iter(
        [httpx.Response(503, text="busy"), wordpress_error(401, "rest_not_logged_in", "Not logged in.")]
    )
    client = make_client(lambda request: next(answers))

    with caplog.at_level(logging.DEBUG), pytest.raises(Exception) as raised:
        client.whoami()

    compact = PASSWORD.replace(" ", "")
    for text in (repr(client), str(raised.value), repr(raised.value), caplog.text):
        assert PASSWORD not in text and compact not in text
    assert caplog.records, "the retry should have been logged"


def test_sends_basic_auth() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=ME)

    make_client(answer).whoami()
    assert seen[0].headers["authorization"] == httpx.BasicAuth("editor", PASSWORD)._auth_header
    assert str(seen[0].url) == "https://clinic.example/wp-json/wp/v2/users/me?context=edit"


# ---- what is retried -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "error", "line"),
    [
        (
            wordpress_error(
                400,
                "rest_invalid_param",
                "Invalid parameter(s): tags",
                params={"tags": "tags[0] is not of type integer."},
            ),
            BadRequest,
            "WordPress at https://clinic.example refused GET https://clinic.example/wp-json/wp/v2/users/me "
            "(HTTP 400 rest_invalid_param: Invalid parameter(s): tags tags[0] is not of type integer.)",
        ),
        (
            wordpress_error(403, "rest_cannot_edit", "Sorry, you are not allowed to edit this post."),
            PermissionDenied,
            "WordPress at https://clinic.example does not allow user editor to GET "
            "https://clinic.example/wp-json/wp/v2/users/me (HTTP 403 rest_cannot_edit: Sorry, you are not "
            "allowed to edit this post.): give the user the Editor role",
        ),
        (
            wordpress_error(404, "rest_no_route", "No route was found matching the URL and request method."),
            NotFound,
            "WordPress at https://clinic.example has no REST route for GET "
            "https://clinic.example/wp-json/wp/v2/users/me (HTTP 404 rest_no_route: No route was found "
            "matching the URL and request method.): is this the site address, and is the WordPress "
            "version 5.6 or later?",
        ),
        (
            wordpress_error(501, "rest_trash_not_supported", "The post does not support trashing."),
            ServerError,
            "WordPress at https://clinic.example failed GET https://clinic.example/wp-json/wp/v2/users/me "
            "(HTTP 501 rest_trash_not_supported: The post does not support trashing.)",
        ),
    ],
)
def test_permanent_errors_are_not_retried(answer: httpx.Response, error: type[Exception], line: str) -> None:
    calls: list[httpx.Request] = []
    client = make_client(lambda request: calls.append(request) or answer)

    with pytest.raises(error) as raised:
        client.whoami()

    assert str(raised.value) == line
    assert len(calls) == 1


def test_5xx_is_retried_with_growing_waits() -> None:
    time = FakeTime()
    answers = iter(
        [httpx.Response(502), httpx.Response(503), httpx.Response(500), httpx.Response(200, json=ME)]
    )
    client = make_client(lambda request: next(answers), time)

    assert client.whoami().username == "editor"
    assert time.sleeps == [0.25, 0.5, 1.0]  # equal jitter at jitter=0: half of 0.5, 1, 2


def test_jitter_spreads_the_wait_over_the_upper_half() -> None:
    policy = RetryPolicy(first_delay=1.0, max_delay=3.0)
    assert [policy.delay_before_retry(n, 0.0) for n in (1, 2, 3, 4)] == [0.5, 1.0, 1.5, 1.5]
    assert policy.delay_before_retry(2, 0.999) == pytest.approx(2.0, abs=0.01)


def test_429_retry_after_as_an_http_date_is_honoured() -> None:
    time = FakeTime()
    answers = iter(
        [
            httpx.Response(429, headers={"Retry-After": "Sat, 21 Nov 2026 12:00:07 GMT"}),
            httpx.Response(200, json=ME),
        ]
    )
    client = make_client(lambda request: next(answers), time)

    client.whoami()
    assert time.sleeps == [7.0]


def test_a_retry_after_beyond_the_deadline_gives_up_at_once() -> None:
    time = FakeTime()
    calls: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(
            503,
            headers={"Retry-After": "3600"},
            json={"code": "maintenance", "message": "Briefly unavailable."},
        )

    with pytest.raises(ServerError, match=r"the next try \(in 3600\.0 s\) would pass the 30 s deadline"):
        make_client(answer, time).whoami()
    assert (len(calls), time.sleeps) == (1, [])


def test_timeouts_stop_at_the_total_deadline() -> None:
    time = FakeTime()
    timeouts: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        read_timeout = request.extensions["timeout"]["read"]
        timeouts.append(read_timeout)
        time.now += read_timeout  # the attempt hangs for its whole timeout
        raise httpx.ReadTimeout("timed out", request=request)

    policy = RetryPolicy(max_attempts=10, first_delay=1.0, max_delay=2.0, deadline=12.0)
    started = time.now
    with pytest.raises(Unreachable) as raised:
        make_client(answer, time, retry=policy).whoami()

    assert time.now - started <= 12.0
    # 5 s, wait 0.5, 5 s, wait 1, then only 0.5 s left for the last attempt.
    assert timeouts == [5.0, 5.0, 0.5]
    assert str(raised.value) == (
        "Could not reach WordPress at https://clinic.example for GET "
        "https://clinic.example/wp-json/wp/v2/users/me: "
        "no answer within 0.5 s (ReadTimeout); the next try (in 1.0 s) would pass the 12 s deadline; "
        "gave up after 3 attempts in 12.0 s"
    )


def test_a_create_is_not_resent_when_the_lost_attempt_succeeded() -> None:
    created = {
        "id": 42,
        "slug": "acne",
        "status": "draft",
        "title": {"raw": "Acne"},
        "content": {"raw": "<p>x</p>"},
    }
    posts_sent: list[httpx.Request] = []
    lookups = iter([[], [created]])  # before the create: free; after the lost answer: taken by it

    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            assert request.url.params["status"] == "any"
            return httpx.Response(200, json=next(lookups))
        posts_sent.append(request)
        raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)

    post = make_client(answer).create_post(PostFields(slug="acne", title="Acne", content="<p>x</p>"))

    assert (post.id, len(posts_sent)) == (42, 1)


# ---- answers that make no sense ----------------------------------------------------------------


def test_html_instead_of_json_is_explained() -> None:
    client = make_client(lambda request: httpx.Response(200, html="<html>front page</html>"))
    with pytest.raises(
        UnexpectedResponse,
        match=r"is not JSON \(text/html; charset=utf-8\): is https://clinic\.example the WordPress site",
    ):
        client.whoami()


def test_a_redirect_is_explained_not_followed() -> None:
    client = make_client(
        lambda request: httpx.Response(
            301, headers={"Location": "https://www.clinic.example/wp-json/wp/v2/users/me"}
        )
    )
    with pytest.raises(
        UnexpectedResponse,
        match=r"redirected GET .* to https://www\.clinic\.example/wp-json/wp/v2/users/me \(HTTP 301\)",
    ):
        client.whoami()


# ---- values ----------------------------------------------------------------------------------


def test_content_hash_comment_is_replaced_not_stacked() -> None:
    first, second = "a" * 64, "b" * 64
    stamped_twice = with_content_hash(with_content_hash("<p>Hi</p>", first), second)

    assert stamped_twice == f"<p>Hi</p>\n<!-- clinicpress:sha256={second} -->"
    assert split_content_hash(stamped_twice) == ("<p>Hi</p>", second)
    assert split_content_hash("<p>no hash</p>") == ("<p>no hash</p>", None)


@pytest.mark.parametrize("slug", ["Acne", "acne tips", "acne--tips", "-acne", "akne-ä", ""])
def test_slugs_wordpress_would_rewrite_are_refused(slug: str) -> None:
    with pytest.raises(ValueError, match="slug"):
        PostFields(slug=slug, title="t", content="c")


def test_content_hash_must_be_sha256_hex() -> None:
    with pytest.raises(ValueError, match="content_hash"):
        PostFields(slug="a", title="t", content="c", content_hash="not-a-hash")

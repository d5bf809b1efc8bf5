"""The WordPress client when the network or the server misbehaves: a fault proxy in front of
the real test WordPress injects 5xx/429 answers, slow answers, lost answers and a dead server.
Every test ends by checking WordPress itself (directly, not through the proxy) is consistent."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable

import pytest
from wordpress.instance import WordPressInstance

from clinicpress.publishing.faults import ServerError, Unreachable
from clinicpress.publishing.wordpress import PostFields, RetryPolicy, TermKind, WordPressClient

from .fault_proxy import FaultProxy
from .site_state import assert_site_consistent, media, posts_with_slug, terms, tiny_png

pytestmark = pytest.mark.slow

API = "/wp-json/wp/v2"


def article(slug: str, title: str = "Sunscreen basics") -> PostFields:
    return PostFields(slug=slug, title=title, content="<p>Use it daily.</p>")


@pytest.fixture
def proxied(
    fault_proxy: FaultProxy, make_client: Callable[..., WordPressClient]
) -> Callable[..., WordPressClient]:
    """A client that talks to WordPress through the fault proxy."""

    def make(**overrides: object) -> WordPressClient:
        return make_client(site_url=fault_proxy.url, **overrides)

    return make


def test_5xx_answers_are_retried_until_wordpress_answers(
    fault_proxy: FaultProxy, proxied: Callable[..., WordPressClient], wordpress: WordPressInstance
) -> None:
    client = proxied()
    fault_proxy.answer_with_status(500, times=2, path_contains="/users/me")
    fault_proxy.answer_with_status(503, times=1, method="POST", path_contains=f"{API}/posts")

    assert client.whoami().username == "admin"
    post = client.create_post(article("retried-create"))

    assert len(fault_proxy.received(path_contains="/users/me")) == 3
    assert len(fault_proxy.received(method="POST")) == 2
    assert len(fault_proxy.forwarded(method="POST")) == 1
    assert [found["id"] for found in posts_with_slug(wordpress, "retried-create")] == [post.id]
    assert_site_consistent(wordpress, ["retried-create"])


def test_persistent_5xx_ends_in_one_clear_server_error(
    fault_proxy: FaultProxy, proxied: Callable[..., WordPressClient], wordpress: WordPressInstance
) -> None:
    client = proxied()
    fault_proxy.answer_with_status(500, times=100)

    with pytest.raises(ServerError) as raised:
        client.whoami()

    assert re.fullmatch(
        rf"WordPress at {fault_proxy.url} kept failing GET {fault_proxy.url}{API}/users/me: "
        r"HTTP 500 injected_fault: Injected by the fault proxy\.; gave up after 4 attempts in \d+\.\d s",
        str(raised.value),
    )
    assert len(fault_proxy.received()) == 4  # RetryPolicy.max_attempts, no more
    assert_site_consistent(wordpress, [])


def test_429_waits_as_long_as_retry_after_says(
    fault_proxy: FaultProxy, proxied: Callable[..., WordPressClient], wordpress: WordPressInstance
) -> None:
    waits: list[float] = []
    client = proxied(sleep=waits.append)
    fault_proxy.answer_with_status(429, retry_after="2", path_contains="/users/me")

    assert client.whoami().username == "admin"
    assert waits == [2.0]
    assert_site_consistent(wordpress, [])


def test_a_slow_answer_is_abandoned_and_retried(
    fault_proxy: FaultProxy, proxied: Callable[..., WordPressClient], wordpress: WordPressInstance
) -> None:
    client = proxied(timeout=0.8)
    fault_proxy.delay(3.0, path_contains="/users/me")

    started = time.monotonic()
    assert client.whoami().username == "admin"

    assert time.monotonic() - started < 2.5
    assert len(fault_proxy.received(path_contains="/users/me")) == 2
    assert_site_consistent(wordpress, [])


def test_slow_answers_end_by_the_deadline_with_a_clear_error(
    fault_proxy: FaultProxy, proxied: Callable[..., WordPressClient], wordpress: WordPressInstance
) -> None:
    deadline = 1.5
    client = proxied(
        timeout=0.4, retry=RetryPolicy(max_attempts=100, first_delay=0.05, max_delay=0.2, deadline=deadline)
    )
    fault_proxy.delay(30.0, times=100)

    started = time.monotonic()
    with pytest.raises(Unreachable) as raised:
        client.whoami()
    elapsed = time.monotonic() - started

    assert elapsed <= deadline + 0.3
    assert str(raised.value).startswith(
        f"Could not reach WordPress at {fault_proxy.url} for GET {fault_proxy.url}{API}/users/me: "
        "no answer within"
    )
    assert_site_consistent(wordpress, [])


def test_a_dead_server_is_reported_as_unreachable_naming_the_url(
    fault_proxy: FaultProxy, proxied: Callable[..., WordPressClient], wordpress: WordPressInstance
) -> None:
    client = proxied()
    # Killed while a request is in flight: that connection drops, the retries are refused.
    fault_proxy.delay(30.0, path_contains="/users/me")
    threading.Timer(0.3, fault_proxy.stop).start()

    with pytest.raises(Unreachable) as raised:
        client.whoami()

    assert re.fullmatch(
        rf"Could not reach WordPress at {fault_proxy.url} for GET {fault_proxy.url}{API}/users/me: "
        r"cannot connect \(\[Errno 111\] Connection refused\); gave up after 4 attempts in \d+\.\d s",
        str(raised.value),
    )
    assert_site_consistent(wordpress, [])


def test_a_server_that_comes_back_is_used_again(
    fault_proxy: FaultProxy, proxied: Callable[..., WordPressClient], wordpress: WordPressInstance
) -> None:
    def restart_proxy_while_waiting(seconds: float) -> None:
        fault_proxy.start()

    client = proxied(sleep=restart_proxy_while_waiting)
    fault_proxy.stop()

    assert client.create_post(article("after-restart")).slug == "after-restart"
    assert_site_consistent(wordpress, ["after-restart"])


def test_a_create_whose_answer_is_lost_is_not_repeated(
    fault_proxy: FaultProxy, proxied: Callable[..., WordPressClient], wordpress: WordPressInstance
) -> None:
    client = proxied()
    fault_proxy.drop_after_forwarding(method="POST", path_contains=f"{API}/posts")

    post = client.create_post(article("lost-answer"))

    assert len(fault_proxy.forwarded(method="POST")) == 1
    assert [found["id"] for found in posts_with_slug(wordpress, "lost-answer")] == [post.id]
    assert (post.status, post.title) == ("draft", "Sunscreen basics")
    assert_site_consistent(wordpress, ["lost-answer"])


def test_a_create_answered_too_late_is_not_repeated(
    fault_proxy: FaultProxy, proxied: Callable[..., WordPressClient], wordpress: WordPressInstance
) -> None:
    client = proxied(timeout=0.8)
    fault_proxy.delay(3.0, after_forwarding=True, method="POST", path_contains=f"{API}/posts")

    post = client.create_post(article("late-answer"))

    assert len(fault_proxy.forwarded(method="POST")) == 1
    assert [found["id"] for found in posts_with_slug(wordpress, "late-answer")] == [post.id]
    assert_site_consistent(wordpress, ["late-answer"])


def test_an_update_whose_answer_is_lost_is_retried(
    fault_proxy: FaultProxy, proxied: Callable[..., WordPressClient], wordpress: WordPressInstance
) -> None:
    client = proxied()
    post = client.create_post(article("updated"))
    fault_proxy.drop_after_forwarding(method="POST", path_contains=f"{API}/posts/{post.id}")

    updated = client.update_post(post.id, article("updated", title="Sunscreen, revised"))

    assert updated.title == "Sunscreen, revised"
    assert len(fault_proxy.forwarded(method="POST", path_contains=f"/posts/{post.id}")) == 2
    assert_site_consistent(wordpress, ["updated"])


def test_an_upload_whose_answer_is_lost_is_not_repeated(
    fault_proxy: FaultProxy, proxied: Callable[..., WordPressClient], wordpress: WordPressInstance
) -> None:
    client = proxied()
    fault_proxy.drop_after_forwarding(method="POST", path_contains=f"{API}/media")

    uploaded = client.upload_media(tiny_png(shade=77), "lost.png", "image/png")

    assert len(fault_proxy.forwarded(method="POST")) == 1
    assert [item["id"] for item in media(wordpress)] == [uploaded.id]
    assert_site_consistent(wordpress, [])


def test_a_term_create_whose_answer_is_lost_is_not_repeated(
    fault_proxy: FaultProxy, proxied: Callable[..., WordPressClient], wordpress: WordPressInstance
) -> None:
    client = proxied()
    fault_proxy.drop_after_forwarding(method="POST", path_contains=f"{API}/tags")

    (tag_id,) = client.ensure_terms(TermKind.TAG, ["sunscreen"])

    # The retry was answered "term_exists" with the id of the tag the lost attempt created.
    assert len(fault_proxy.forwarded(method="POST")) == 2
    assert [(tag["id"], tag["name"]) for tag in terms(wordpress, "tags")] == [(tag_id, "sunscreen")]
    assert_site_consistent(wordpress, [])

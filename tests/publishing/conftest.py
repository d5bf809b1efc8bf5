"""Fixtures for publishing tests: one real WordPress per session, emptied before each test.

The instance comes from tests/wordpress/ (shell scripts + ``wordpress.instance``). Without the
Debian packages the WordPress tests are skipped with the reason; with
CLINICPRESS_REQUIRE_WORDPRESS=1 (CI, after ``make setup``) they fail instead, so a broken setup
cannot pass as "all skipped".
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
from wordpress.instance import WordPressInstance, missing_packages, start_wordpress

from clinicpress.publishing.wordpress import RetryPolicy, WordPressClient

from .fault_proxy import FaultProxy

# Quick retries so fault tests finish in seconds, yet long enough timeouts for the PHP server,
# whose first request in each worker takes ~0.5 s.
FAST_RETRY = RetryPolicy(max_attempts=4, first_delay=0.05, max_delay=0.2, deadline=10.0)
TEST_TIMEOUT = 5.0


@pytest.fixture(scope="session")
def wordpress_site() -> Iterator[WordPressInstance]:
    why_not = missing_packages()
    if why_not is not None:
        message = f"a real WordPress is needed and cannot start here: {why_not}"
        if os.environ.get("CLINICPRESS_REQUIRE_WORDPRESS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    site = start_wordpress()
    try:
        yield site
    finally:
        site.stop()


@pytest.fixture
def wordpress(wordpress_site: WordPressInstance) -> WordPressInstance:
    """The session's WordPress with no posts, media, terms or extra users (reset before the test,
    so a failed test's leftovers never leak into the next one)."""
    wordpress_site.reset()
    return wordpress_site


@pytest.fixture
def make_client(wordpress: WordPressInstance) -> Iterator[Callable[..., WordPressClient]]:
    """``make_client(**overrides)``: a client on the test site (or, with site_url=, on a proxy)."""
    clients: list[WordPressClient] = []

    def make(**overrides: object) -> WordPressClient:
        settings: dict[str, object] = {
            "site_url": wordpress.base_url,
            "user": wordpress.user,
            "application_password": wordpress.app_password,
            "timeout": TEST_TIMEOUT,
            "retry": FAST_RETRY,
        }
        settings.update(overrides)
        client = WordPressClient(**settings)  # type: ignore[arg-type]
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client: Callable[..., WordPressClient]) -> WordPressClient:
    return make_client()


@pytest.fixture
def fault_proxy(wordpress: WordPressInstance) -> Iterator[FaultProxy]:
    proxy = FaultProxy(wordpress.base_url).start()
    yield proxy
    proxy.stop()

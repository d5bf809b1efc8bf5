"""Look at the test WordPress directly (plain httpx, no proxy, no client under test), so tests
check what WordPress really holds rather than what the client believes."""

from __future__ import annotations

import struct
import zlib
from typing import Any

from wordpress.instance import WordPressInstance


def posts(site: WordPressInstance, **params: str) -> list[dict[str, Any]]:
    """Every post of any status except trash (or as ``params`` say), edit context."""
    with site.rest() as rest:
        answer = rest.get("posts", params={"status": "any", "context": "edit", "per_page": "100", **params})
        answer.raise_for_status()
        return answer.json()


def posts_with_slug(site: WordPressInstance, slug: str) -> list[dict[str, Any]]:
    return posts(site, slug=slug)


def media(site: WordPressInstance, **params: str) -> list[dict[str, Any]]:
    with site.rest() as rest:
        answer = rest.get("media", params={"context": "edit", "per_page": "100", **params})
        answer.raise_for_status()
        return answer.json()


def terms(site: WordPressInstance, route: str) -> list[dict[str, Any]]:
    with site.rest() as rest:
        answer = rest.get(route, params={"per_page": "100", "hide_empty": "false"})
        answer.raise_for_status()
        return answer.json()


def add_user(site: WordPressInstance, username: str, role: str) -> str:
    """Create a user with ``role``; returns a new application password for it."""
    with site.rest() as rest:
        created = rest.post(
            "users",
            json={
                "username": username,
                "email": f"{username}@example.com",
                "password": f"pw-{username}",
                "roles": [role],
            },
        )
        created.raise_for_status()
        app_password = rest.post(
            f"users/{created.json()['id']}/application-passwords", json={"name": "tests"}
        )
        app_password.raise_for_status()
        return app_password.json()["password"]


def assert_site_consistent(site: WordPressInstance, expected_slugs: list[str]) -> None:
    """WordPress answers normally and holds exactly the expected posts, each slug once."""
    with site.rest() as rest:
        assert rest.get("users/me").status_code == 200
    slugs = sorted(post["slug"] for post in posts(site))
    assert slugs == sorted(expected_slugs)


def tiny_png(shade: int) -> bytes:
    """A valid 1x1 grey PNG; different shades give different bytes (and content hashes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1x1, 8-bit greyscale
    pixels = zlib.compress(bytes([0, shade % 256]))  # filter byte 0, one grey pixel
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")

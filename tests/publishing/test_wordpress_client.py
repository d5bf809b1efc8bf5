"""The WordPress client against a real WordPress 6.1 (started once per session by conftest)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from wordpress.instance import WordPressInstance

from clinicpress.publishing.faults import (
    AuthenticationFailed,
    NotFound,
    PermissionDenied,
    SlugConflict,
    UnexpectedResponse,
)
from clinicpress.publishing.wordpress import PostFields, TermKind, WordPressClient

from .site_state import add_user, media, posts, posts_with_slug, terms, tiny_png

pytestmark = pytest.mark.slow


def article(slug: str, **overrides: object) -> PostFields:
    fields: dict[str, object] = {
        "slug": slug,
        "title": f"About {slug}",
        "content": f"<!-- wp:paragraph --><p>Text of {slug}.</p><!-- /wp:paragraph -->",
    }
    fields.update(overrides)
    return PostFields(**fields)  # type: ignore[arg-type]


def test_check_credentials_names_the_admin(client: WordPressClient) -> None:
    me = client.check_credentials()

    assert me.username == "admin"
    assert "administrator" in me.roles
    assert {"publish_posts", "upload_files", "manage_categories"} <= me.capabilities


def test_wrong_password_is_one_clear_line_without_the_password(
    wordpress: WordPressInstance, make_client: Callable[..., WordPressClient]
) -> None:
    wrong_password = "wxyz 1234 WXYZ 5678 abcd EFGH"
    client = make_client(application_password=wrong_password, password_origin="$WP_TEST_PASSWORD")

    with pytest.raises(AuthenticationFailed) as raised:
        client.whoami()

    message = str(raised.value)
    assert message == (
        f"WordPress at {wordpress.base_url} rejected user admin's application password (401): "
        "check the user name and the application password in $WP_TEST_PASSWORD"
    )
    assert "\n" not in message
    for secret in (wrong_password, wordpress.app_password):
        assert secret not in message
        assert secret not in repr(raised.value)
        assert secret not in repr(client)


def test_user_without_editor_rights_gets_permission_denied(
    wordpress: WordPressInstance, client: WordPressClient, make_client: Callable[..., WordPressClient]
) -> None:
    app_password = add_user(wordpress, "author1", "author")
    admins_post = client.create_post(article("admins-post"))
    author_client = make_client(user="author1", application_password=app_password)

    with pytest.raises(PermissionDenied, match="lacks the capabilities manage_categories"):
        author_client.check_credentials()
    with pytest.raises(
        PermissionDenied, match=r"\(HTTP 403 rest_cannot_edit: .*\): give the user the Editor role"
    ):
        author_client.update_post(admins_post.id, article("admins-post", title="Hijacked"))
    assert client.get_post(admins_post.id).title == "About admins-post"


def test_create_update_publish(client: WordPressClient, wordpress: WordPressInstance) -> None:
    created = client.create_post(article("acne-basics", excerpt="Short summary"))
    assert created.status == "draft"
    assert created.slug == "acne-basics"
    assert created.excerpt == "Short summary"

    updated = client.update_post(created.id, article("acne-basics", title="Acne: the basics"))
    assert (updated.id, updated.status, updated.title) == (created.id, "draft", "Acne: the basics")

    published = client.publish(created.id)
    assert published.status == "publish"
    assert published.link == f"{wordpress.base_url}/acne-basics/"
    assert httpx.get(published.link).status_code == 200
    assert [post["id"] for post in posts(wordpress)] == [created.id]


def test_publish_with_a_future_date_schedules(client: WordPressClient) -> None:
    post = client.create_post(article("flu-season"))
    when = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)

    scheduled = client.publish(post.id, at=when)

    assert scheduled.status == "future"
    assert scheduled.date_gmt == when


def test_publish_with_a_past_date_backdates(client: WordPressClient) -> None:
    post = client.create_post(article("old-news"))
    when = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)

    published = client.publish(post.id, at=when)

    assert (published.status, published.date_gmt) == ("publish", when)


def test_find_by_slug_sees_drafts_and_scheduled_posts(client: WordPressClient) -> None:
    draft = client.create_post(article("draft-only"))
    scheduled = client.create_post(article("later"))
    client.publish(scheduled.id, at=datetime.now(UTC) + timedelta(days=1))

    found_draft = client.find_post_by_slug("draft-only")
    found_scheduled = client.find_post_by_slug("later")

    assert found_draft is not None and (found_draft.id, found_draft.status) == (draft.id, "draft")
    assert found_scheduled is not None and found_scheduled.status == "future"
    assert client.find_post_by_slug("never-written") is None


def test_create_refuses_a_slug_that_is_taken(client: WordPressClient, wordpress: WordPressInstance) -> None:
    first = client.create_post(article("skin-care"))

    with pytest.raises(SlugConflict) as raised:
        client.create_post(article("skin-care", title="Another article, same slug"))

    assert str(raised.value) == (
        f"WordPress at {wordpress.base_url} already has a post with slug skin-care "
        f"(id {first.id}, draft): update that post instead of creating one"
    )
    assert [post["id"] for post in posts_with_slug(wordpress, "skin-care")] == [first.id]
    assert [post["slug"] for post in posts(wordpress)] == ["skin-care"]


def test_update_to_a_taken_slug_is_reported(client: WordPressClient) -> None:
    client.create_post(article("taken"))
    other = client.create_post(article("other"))

    # WordPress silently renames the slug to "taken-2"; the client must not let that pass.
    with pytest.raises(SlugConflict, match="renamed its slug taken to taken-2"):
        client.update_post(other.id, article("taken"))


def test_missing_post_is_not_found(client: WordPressClient, wordpress: WordPressInstance) -> None:
    with pytest.raises(NotFound) as raised:
        client.update_post(999999, article("ghost"))

    assert str(raised.value) == (
        f"WordPress at {wordpress.base_url} found nothing for POST {wordpress.api_url}/posts/999999 "
        "(HTTP 404 rest_post_invalid_id: Invalid post ID.)"
    )


def test_terms_are_created_once_and_ids_exist(client: WordPressClient, wordpress: WordPressInstance) -> None:
    categories = client.ensure_terms(TermKind.CATEGORY, ["Dermatology", "Acne", "Dermatology", " "])
    again = client.ensure_terms(TermKind.CATEGORY, ["Acne", "Dermatology"])
    tags = client.ensure_terms(TermKind.TAG, ["skin", "teenagers"])

    assert len(categories) == 2
    assert again == (categories[1], categories[0])
    names = {term["id"]: term["name"] for term in terms(wordpress, "categories")}
    assert names == {1: "Uncategorized", categories[0]: "Dermatology", categories[1]: "Acne"}
    assert sorted(term["name"] for term in terms(wordpress, "tags")) == ["skin", "teenagers"]

    post = client.create_post(article("with-terms", categories=categories, tags=tags))
    assert (set(post.categories), set(post.tags)) == (set(categories), set(tags))


def test_unknown_term_ids_are_not_silently_dropped(client: WordPressClient) -> None:
    with pytest.raises(UnexpectedResponse, match=r"silently dropped categories \[987654\]"):
        client.create_post(article("bad-category", categories=(987654,)))


def test_media_is_uploaded_once(client: WordPressClient, wordpress: WordPressInstance) -> None:
    image = tiny_png(shade=10)

    first = client.upload_media(image, "clinic front.png", "image/png")
    second = client.upload_media(image, "renamed.png", "image/png")
    other = client.upload_media(tiny_png(shade=200), "clinic front.png", "image/png")

    assert second == first
    assert other.id != first.id
    assert first.sha256 == hashlib.sha256(image).hexdigest()
    assert len(media(wordpress)) == 2
    assert httpx.get(first.source_url).content == image

    post = client.create_post(article("with-image", featured_media=first.id))
    assert post.featured_media == first.id


def test_content_hash_round_trips(client: WordPressClient, wordpress: WordPressInstance) -> None:
    first_hash, second_hash = hashlib.sha256(b"v1").hexdigest(), hashlib.sha256(b"v2").hexdigest()
    fields = article("hashed", content_hash=first_hash)

    post = client.create_post(fields)
    assert (post.content, post.content_hash) == (fields.content, first_hash)
    assert client.read_content_hash(post.id) == first_hash

    client.update_post(post.id, article("hashed", content_hash=second_hash))
    client.publish(post.id)
    assert client.read_content_hash(post.id) == second_hash
    raw = posts_with_slug(wordpress, "hashed")[0]["content"]["raw"]
    assert raw.count("clinicpress:sha256=") == 1
    # An HTML comment: in the page source, but not shown to readers.
    rendered = posts_with_slug(wordpress, "hashed")[0]["content"]["rendered"]
    assert f"<!-- clinicpress:sha256={second_hash} -->" in rendered

    unhashed = client.create_post(article("no-hash"))
    assert client.read_content_hash(unhashed.id) is None


def test_content_hash_survives_html_filtering_for_authors(
    wordpress: WordPressInstance, make_client: Callable[..., WordPressClient]
) -> None:
    # Authors lack unfiltered_html, so WordPress runs their content through kses; the comment stays.
    author = make_client(user="author2", application_password=add_user(wordpress, "author2", "author"))
    content_hash = hashlib.sha256(b"author text").hexdigest()

    post = author.create_post(article("by-author", content_hash=content_hash))

    assert author.read_content_hash(post.id) == content_hash


def test_list_posts_pages_through_every_status(client: WordPressClient) -> None:
    created = [client.create_post(article(f"article-{number}")) for number in range(5)]
    client.publish(created[1].id)
    client.publish(created[3].id, at=datetime.now(UTC) + timedelta(days=2))

    listed = list(client.list_posts(per_page=2))

    assert [post.id for post in listed] == [post.id for post in created]
    assert [post.status for post in listed] == ["draft", "publish", "draft", "future", "draft"]
    assert all(post.content.startswith("<!-- wp:paragraph -->") for post in listed)


def test_list_posts_of_an_empty_site(client: WordPressClient) -> None:
    assert list(client.list_posts()) == []

"""``clinicpress import``: the live site's posts as Markdown with front matter, so a clinic can
audit what is already published with the same lint and audit commands.

Each post becomes ``<slug>.md``; a file that already exists is kept as it is (import never
overwrites an editor's work). WordPress has no record of medical review or approval, so imported
articles carry none; linting them shows exactly that, which is the point of an audit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from clinicpress.atomic import write_text_atomic
from clinicpress.publishing.html_to_markdown import html_to_markdown
from clinicpress.publishing.wordpress import Post, WordPressClient

STATUS_FROM_WORDPRESS = {
    "publish": "published",
    "future": "approved",
    "draft": "draft",
    "pending": "in-review",
    "private": "draft",
}


@dataclass(frozen=True)
class Imported:
    post_id: int
    path: Path
    created: bool  # False: the file existed and was kept


def import_posts(client: WordPressClient, directory: Path) -> list[Imported]:
    directory.mkdir(parents=True, exist_ok=True)
    results = []
    for post in client.list_posts():
        path = directory / f"{post.slug or f'post-{post.id}'}.md"
        if path.exists():
            results.append(Imported(post.id, path, False))
            continue
        write_text_atomic(path, as_markdown(post))
        results.append(Imported(post.id, path, True))
    return results


def as_markdown(post: Post) -> str:
    front: dict[str, object] = {
        "title": post.title,
        "slug": post.slug or f"post-{post.id}",
        "status": STATUS_FROM_WORDPRESS.get(post.status, "draft"),
    }
    excerpt = " ".join(html_to_markdown(post.excerpt).split()) if post.excerpt else ""
    if excerpt:
        front["description"] = excerpt
    front["wordpress_id"] = str(post.id)  # a text field: ids are names, not numbers to compute with
    if post.link:
        front["wordpress_link"] = post.link
    if post.date_gmt is not None:
        front["published_on"] = post.date_gmt.date()
    header = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{header}---\n\n{html_to_markdown(post.content).strip()}\n"

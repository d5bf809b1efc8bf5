"""An article as WordPress receives it: clean HTML rendered from the Markdown that was linted.

Why HTML and not Gutenberg block markup: WordPress stores and serves classic HTML as it is (the
block editor opens it as a Classic block and converts it on request), it round-trips through
``import`` without a block grammar to keep in step with WordPress releases, and what a reader sees
is exactly what clinicpress linted. Footnotes render as a numbered list with back-links; the
reference list is ordinary Markdown; clinicpress suppression comments never leave the repository.
"""

from __future__ import annotations

import datetime
import mimetypes
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from clinicpress.document import Document

_SUPPRESSION = re.compile(r"<!--\s*clinicpress-[\s\S]*?-->[ \t]*\n?")


@dataclass(frozen=True)
class LocalImage:
    src: str  # as written in the article
    path: Path  # on disk
    mime_type: str


@dataclass(frozen=True)
class RenderedArticle:
    title: str
    slug: str
    excerpt: str
    html: str
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    featured_image: LocalImage | None
    images: tuple[LocalImage, ...]
    publish_at: datetime.datetime | None


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    md = (
        MarkdownIt("commonmark", {"html": True})
        .enable(["table", "strikethrough"])
        .use(front_matter_plugin)
        .use(footnote_plugin)
    )
    # WordPress's auto-paragraph filter turns every newline inside a paragraph into <br>, so a
    # soft line break in the Markdown must go out as a space, as a reader of the Markdown sees it.
    md.add_render_rule("softbreak", lambda self, tokens, idx, options, env: " ")
    return md


def local_images(document: Document, article_path: Path) -> tuple[LocalImage, ...]:
    images = []
    for link in document.links:
        if link.is_image and _is_local(link.target):
            images.append(_local_image(link.target, article_path))
    featured = document.front_matter.get("featured_image")
    if isinstance(featured, str) and _is_local(featured):
        images.append(_local_image(featured, article_path))
    unique = {image.path: image for image in images}
    return tuple(unique.values())


def render_article(
    document: Document, article_path: Path, media_url: Callable[[LocalImage], str] = lambda image: image.src
) -> RenderedArticle:
    """Render the article; ``media_url`` gives the address of an uploaded local image."""
    front = document.front_matter
    images = local_images(document, article_path)
    by_src = {image.src: image for image in images}
    source = _SUPPRESSION.sub("", document.source)
    tokens = _markdown().parse(source)
    for token in _walk(tokens):
        if token.type == "image":
            src = str(token.attrs.get("src", ""))
            if src in by_src:
                token.attrs["src"] = media_url(by_src[src])
    html = _markdown().renderer.render(tokens, _markdown().options, {})
    featured = front.get("featured_image")
    return RenderedArticle(
        title=str(front.get("title", "")),
        slug=str(front.get("slug", "")),
        excerpt=str(front.get("description", "") or ""),
        html=html.strip() + "\n",
        categories=_names(front.get("categories")),
        tags=_names(front.get("tags")),
        featured_image=by_src.get(featured) if isinstance(featured, str) else None,
        images=images,
        publish_at=_publish_time(front.get("publish_at")),
    )


def _walk(tokens):
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


def _is_local(src: str) -> bool:
    parts = urlsplit(src)
    return not parts.scheme and not parts.netloc and not src.startswith("#") and bool(parts.path)


def _local_image(src: str, article_path: Path) -> LocalImage:
    path = (article_path.parent / unquote(urlsplit(src).path)).resolve()
    mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return LocalImage(src, path, mime_type)


def _names(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(str(item) for item in value if str(item).strip())
    return ()


def _publish_time(value: object) -> datetime.datetime | None:
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day, 9, 0, tzinfo=datetime.timezone.utc)
    if isinstance(value, str):
        try:
            parsed = datetime.datetime.fromisoformat(value)
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.timezone.utc)
    return None

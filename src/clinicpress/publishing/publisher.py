"""``clinicpress publish``: send approved, clean articles to WordPress, idempotently and safely.

For each article the bytes are read once; the same text is linted, judged by the gate and
rendered, so what goes out is exactly what was checked. Then:

  no post with the slug            upload media, make terms, create a DRAFT, then publish it
  our post, same content hash      nothing is written (unchanged); a draft we left is published
  our post, other hash             update it in place, then make sure it is published
  a post we did not make           refused: a slug clash (WordPress would create "slug-2")

A new post becomes visible only after its content, media and terms are in place, so a run that
dies midway leaves at most a draft, which the next run finds by slug and finishes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Sequence

from clinicpress.document import Document, Unreadable, parse_source
from clinicpress.document.reading import read_source
from clinicpress.gate import readiness
from clinicpress.lint import Linter, display_path, unreadable_result
from clinicpress.model import FileResult
from clinicpress.publishing.faults import AuthenticationFailed, SiteURLRejected, Unavailable, WordPressError
from clinicpress.publishing.render import LocalImage, RenderedArticle, render_article
from clinicpress.publishing.wordpress import PostFields, TermKind, WordPressClient


@dataclass(frozen=True)
class Outcome:
    path: str
    action: str  # created | updated | published | unchanged | blocked | failed | skipped (+ "would-" in a dry run)
    reasons: tuple[str, ...] = ()
    sha256: str = ""
    post_id: int | None = None
    url: str = ""
    approved_by: str = ""
    slug: str = ""


@dataclass
class PublishRun:
    outcomes: list[Outcome] = field(default_factory=list)
    # Set when the site itself failed (unreachable, 5xx after retries, wrong password): the run
    # stops there rather than failing every remaining article the same way.
    site_failure: str | None = None

    @property
    def exit_code(self) -> int:
        """0 all out or unchanged; 1 something blocked; 3 the CMS failed."""
        if self.site_failure or any(o.action == "failed" for o in self.outcomes):
            return 3
        if any(o.action == "blocked" for o in self.outcomes):
            return 1
        return 0


@dataclass(frozen=True)
class _Prepared:
    path: Path
    label: str
    result: FileResult
    document: Document | None  # the one parse of the bytes that were read, linted and are sent
    rendered: RenderedArticle | None
    sha256: str


def publish(
    files: Sequence[Path],
    linter: Linter,
    client: WordPressClient | None,
    *,
    dry_run: bool = False,
    record: Callable[[Outcome], None] = lambda outcome: None,
) -> PublishRun:
    """Publish ``files``; ``client`` may be None only with ``dry_run`` and no site to ask.
    ``record`` is called for every write that reached the site (the publish log)."""
    prepared = [_prepare(path, linter) for path in files]
    results = linter.across_files([p.result for p in prepared])  # duplicate slugs, say
    run = PublishRun()
    for item, result in zip(prepared, results):
        item = replace(item, result=result)
        ready = readiness(result)
        reasons = list(ready.reasons)
        if item.rendered is not None and not reasons:
            reasons.extend(f"image not found: {src}" for src in missing_images_of(item))
        if reasons:
            run.outcomes.append(Outcome(item.label, "blocked", tuple(reasons), item.sha256, slug=_slug(item)))
            continue
        if run.site_failure:
            run.outcomes.append(Outcome(item.label, "skipped", ("not attempted: the site failed earlier",), item.sha256))
            continue
        try:
            outcome = _publish_one(item, client, dry_run)
        except (AuthenticationFailed, Unavailable, SiteURLRejected) as error:
            run.site_failure = str(error)
            run.outcomes.append(Outcome(item.label, "failed", (str(error),), item.sha256, slug=_slug(item)))
            continue
        except WordPressError as error:
            run.outcomes.append(Outcome(item.label, "failed", (str(error),), item.sha256, slug=_slug(item)))
            continue
        run.outcomes.append(outcome)
        if not dry_run and outcome.action in ("created", "updated", "published"):
            record(outcome)
    return run


def missing_images_of(item: _Prepared) -> list[str]:
    return [image.src for image in item.rendered.images if not image.path.is_file()] if item.rendered else []


def _slug(item: _Prepared) -> str:
    return item.rendered.slug if item.rendered else ""


def _prepare(path: Path, linter: Linter) -> _Prepared:
    label = display_path(path)
    try:
        source = read_source(path)
        document = parse_source(source, label, is_markdown=path.suffix.lower() != ".txt")
    except Unreadable as problem:
        return _Prepared(path, label, unreadable_result(label, problem, linter.rulebook), None, None, "")
    result = linter.check(document)
    sha256 = hashlib.sha256(source.text.encode("utf-8")).hexdigest()
    # Rendering needs no network: image addresses are filled in when they are uploaded.
    return _Prepared(path, label, result, document, render_article(document, path), sha256)


def _publish_one(item: _Prepared, client: WordPressClient | None, dry_run: bool) -> Outcome:
    rendered = item.rendered
    assert rendered is not None
    approved_by = str((item.result.fact("front_matter", {}) or {}).get("approved_by") or "")
    base = Outcome(item.label, "", (), item.sha256, approved_by=approved_by, slug=rendered.slug)
    existing = client.find_post_by_slug(rendered.slug) if client is not None else None
    if existing is not None and existing.content_hash is None:
        reason = (
            f"slug '{rendered.slug}' is taken on the site by post {existing.id} ({existing.status}), which "
            "clinicpress did not publish: change the article's slug or remove that post"
        )
        return replace(base, action="blocked", reasons=(reason,), post_id=existing.id, url=existing.link)
    if existing is not None and existing.content_hash == item.sha256:
        if existing.status in ("publish", "future"):
            return replace(base, action="unchanged", post_id=existing.id, url=existing.link)
        if dry_run:
            return replace(base, action="would-publish", post_id=existing.id, url=existing.link)
        post = client.publish(existing.id, rendered.publish_at)
        return replace(base, action="published", post_id=post.id, url=post.link, reasons=("finished an earlier run's draft",))
    if dry_run:
        action = "would-update" if existing is not None else "would-create"
        return replace(base, action=action, post_id=existing.id if existing else None, url=existing.link if existing else "")
    assert client is not None
    uploaded: dict[Path, str] = {}
    featured_id = None
    for image in rendered.images:
        media = client.upload_media(image.path.read_bytes(), image.path.name, image.mime_type)
        uploaded[image.path] = media.source_url
        if rendered.featured_image is not None and image.path == rendered.featured_image.path:
            featured_id = media.id
    final = _rerender_with_media(item, uploaded)
    fields = PostFields(
        slug=rendered.slug,
        title=rendered.title,
        content=final.html,
        excerpt=rendered.excerpt,
        categories=client.ensure_terms(TermKind.CATEGORY, rendered.categories) if rendered.categories else (),
        tags=client.ensure_terms(TermKind.TAG, rendered.tags) if rendered.tags else (),
        featured_media=featured_id,
        content_hash=item.sha256,
    )
    if existing is None:
        draft = client.create_post(fields)
        post = client.publish(draft.id, rendered.publish_at)
        return replace(base, action="created", post_id=post.id, url=post.link)
    client.update_post(existing.id, fields)
    post = client.publish(existing.id, rendered.publish_at) if existing.status not in ("publish", "future") else client.get_post(existing.id)
    return replace(base, action="updated", post_id=post.id, url=post.link)


def _rerender_with_media(item: _Prepared, uploaded: dict[Path, str]) -> RenderedArticle:
    """The same parsed text again, with each local image pointing at its uploaded copy."""
    if not uploaded:
        return item.rendered  # type: ignore[return-value]

    def media_url(image: LocalImage) -> str:
        return uploaded.get(image.path, image.src)

    return render_article(item.document, item.path, media_url)  # type: ignore[arg-type]

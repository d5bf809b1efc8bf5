"""Click commands only: parse flags, call one function, return an exit code.

Exit codes: 0 nothing at or above --fail-on; 1 findings; 2 usage, configuration or input error.
Results go to stdout (or --output); messages for people go to stderr.
"""

from __future__ import annotations

import datetime
import functools
import os
import sys
from pathlib import Path
from typing import Any, Callable

import click

from clinicpress import __version__
from clinicpress.atomic import write_chunks_atomic, write_text_atomic
from clinicpress.cache import ResultCache
from clinicpress.checks import option_schemas
from clinicpress.fixing import describe as describe_fix
from clinicpress.fixing import plan_fix
from clinicpress.lint import InputPathError, Linter, collect_articles, lint_files
from clinicpress.model import Severity
from clinicpress.reporting import AUDIT_FORMATTERS, FORMATTERS, render, stream
from clinicpress.rulebook import RulebookError, load_rulebook
from clinicpress.settings import Settings, SettingsError, describe, load_settings
from clinicpress.spelling import EngineUnavailable

EXIT_USAGE = 2


class UserError(click.ClickException):
    """One line on stderr, exit 2: for every mistake a user can make."""

    exit_code = EXIT_USAGE

    def show(self, file: Any = None) -> None:
        click.echo(f"clinicpress: {self.message}", err=True)


def user_errors(command: Callable) -> Callable:
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (SettingsError, RulebookError, InputPathError, EngineUnavailable) as error:
            raise UserError(str(error)) from None

    return wrapper


config_option = click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Settings file to use instead of the clinicpress.yaml found from here upward.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="clinicpress")
def main() -> None:
    """Lint, audit and publish health-clinic articles."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice(sorted(FORMATTERS)), default="text", show_default=True)
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False), help="Write the report here instead of stdout.")
@click.option("--fail-on", type=click.Choice(["error", "warning"]), help="Lowest severity that fails the run [default: error].")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True)
@click.option("--no-cache", is_flag=True, help="Lint every file afresh; do not read or write .clinicpress_cache/.")
@click.option("--jobs", type=click.IntRange(min=1), help="Worker processes for many files [default: the number of CPUs].")
@click.option("--fix", is_flag=True, help="Apply the unambiguous fixes, write each file atomically, report what is left.")
@click.option("--diff", "show_diff", is_flag=True, help="With --fix: print the changes as a diff and write nothing.")
@config_option
@user_errors
def lint(
    paths: tuple[Path, ...],
    output_format: str,
    output: Path | None,
    fail_on: str | None,
    color: str,
    no_cache: bool,
    jobs: int | None,
    fix: bool,
    show_diff: bool,
    config_file: Path | None,
) -> None:
    """Check articles (default: the content paths from clinicpress.yaml, else content/)."""
    settings = load_settings(config_file=config_file, overrides={"fail_on": fail_on})
    targets = list(paths) or [settings.resolve(p) for p in settings.content]
    files = collect_articles(targets)
    linter = Linter.create(settings)
    cache = _cache(settings, linter, no_cache or fix)
    progress = _progress_bar(output_format == "text")
    report = lint_files(
        files, settings, linter, progress=progress, cache=cache, jobs=jobs or os.cpu_count() or 1, keep_records=False
    )
    if show_diff and not fix:
        raise UserError("--diff goes with --fix (clinicpress lint --fix --diff)")
    if fix:
        if _apply_fixes(files, report, show_diff) and not show_diff:
            report = lint_files(files, settings, linter)
    use_color = color == "always" or (
        color == "auto" and output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    )
    if show_diff:
        sys.exit(0)
    pieces = stream(FORMATTERS, output_format, report, color=use_color)
    if output is not None:
        try:
            write_chunks_atomic(output, (piece.encode("utf-8") for piece in pieces))
        except OSError as error:
            raise UserError(f"{output}: cannot write the report: {error.strerror or error}") from None
        click.echo(f"clinicpress: wrote {output}", err=True)
    else:
        for piece in pieces:
            click.echo(piece, nl=False, color=use_color)
    sys.exit(report.exit_code(Severity(settings.fail_on)))


def _cache(settings: Settings, linter: Linter, disabled: bool) -> ResultCache | None:
    if disabled or not settings.cache:
        return None
    return ResultCache.for_run(settings.base_dir, linter.cache_key(), datetime.date.today())


def _progress_bar(allowed: bool):
    """A progress bar on stderr for long runs, only on a terminal (never in CI logs or pipes)."""
    if not allowed or not sys.stderr.isatty():
        return None
    width = 30

    def draw(done: int, total: int) -> None:
        if total < 20:
            return
        filled = width * done // total
        click.echo(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", err=True, nl=False)
        if done == total:
            click.echo("\r" + " " * (width + 24) + "\r", err=True, nl=False)

    return draw


def _apply_fixes(files: list[Path], report, show_diff: bool) -> bool:
    """Fix (or, with ``show_diff``, print the diff for) every file; True when a file changed."""
    changed = False
    for path, result in zip(files, report.files):
        planned = plan_fix(path, result)
        if planned is None:
            continue
        if isinstance(planned, str):
            click.echo(f"clinicpress: {planned}", err=True)
            continue
        if show_diff:
            click.echo(planned.diff(), nl=False)
            continue
        try:
            planned.write()
        except OSError as error:
            raise UserError(f"{path}: cannot write the fixed file: {error.strerror or error}") from None
        for line in describe_fix(planned):
            click.echo(line, err=True)
        changed = True
    return changed


def _write_output(path: Path, text: str) -> None:
    try:
        write_text_atomic(path, text)
    except OSError as error:
        raise UserError(f"{path}: cannot write the report: {error.strerror or error}") from None


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice(sorted(AUDIT_FORMATTERS)), default="json", show_default=True)
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False), help="Write the audit here instead of stdout.")
@click.option("--no-cache", is_flag=True, help="Lint every file afresh; do not read or write .clinicpress_cache/.")
@config_option
@user_errors
def audit(
    paths: tuple[Path, ...], output_format: str, output: Path | None, no_cache: bool, config_file: Path | None
) -> None:
    """The claim audit: every claim with its evidence, disclaimers and approval, per article.
    Exits 0 (2 if an article cannot be read): it reports, it does not gate."""
    settings = load_settings(config_file=config_file)
    targets = list(paths) or [settings.resolve(p) for p in settings.content]
    files = collect_articles(targets)
    linter = Linter.create(settings)
    report = lint_files(
        files,
        settings,
        linter,
        progress=_progress_bar(output_format == "html" and output is not None),
        cache=_cache(settings, linter, no_cache),
        jobs=os.cpu_count() or 1,
    )
    rendered = render(AUDIT_FORMATTERS, output_format, report)
    if output is not None:
        _write_output(output, rendered)
        click.echo(f"clinicpress: wrote {output}", err=True)
    else:
        click.echo(rendered, nl=False)
    sys.exit(2 if report.exit_code(Severity.ERROR) == 2 else 0)


def _site(settings: Settings, target: str | None, url: str | None, user: str | None) -> tuple[str, str, str, str]:
    """(name, url, user, the environment variable holding the application password)."""
    if target and (url or user):
        raise UserError("give either --target NAME or --url URL --user USER, not both")
    if target:
        if target not in settings.targets:
            known = ", ".join(sorted(settings.targets)) or "none: add one under 'targets:' in clinicpress.yaml"
            raise UserError(f"unknown target '{target}' (known: {known})")
        spec = settings.targets[target]
        return target, spec.url, spec.user, spec.password_env
    if url and user:
        return url, url, user, "CLINICPRESS_WP_PASSWORD"
    raise UserError("say where to publish: --target NAME (from clinicpress.yaml) or --url URL --user USER")


def _client(name: str, url: str, user: str, password_env: str):
    from clinicpress.publishing.faults import SiteURLRejected
    from clinicpress.publishing.wordpress import WordPressClient

    password = os.environ.get(password_env, "")
    if not password.strip():
        raise UserError(
            f"target {name}: environment variable {password_env} is not set; export it with the application "
            f"password of user {user} at {url} (never put it in a file or on the command line)"
        )
    try:
        return WordPressClient(url, user, password, password_origin=f"${password_env}")
    except SiteURLRejected as error:
        raise UserError(f"target {name}: {error}") from None


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--target", help="A publish target named in clinicpress.yaml.")
@click.option("--url", help="Ad hoc: the WordPress site (password from CLINICPRESS_WP_PASSWORD).")
@click.option("--user", help="Ad hoc: the WordPress user name.")
@click.option("--dry-run", is_flag=True, help="Say what would be created, updated, skipped and blocked; write nothing.")
@config_option
@user_errors
def publish(
    paths: tuple[Path, ...],
    target: str | None,
    url: str | None,
    user: str | None,
    dry_run: bool,
    config_file: Path | None,
) -> None:
    """Publish approved, clean articles to WordPress. Exit 0 all out or unchanged, 1 something
    blocked, 3 the site failed, 2 usage or configuration."""
    from clinicpress.publishing import log as publish_log
    from clinicpress.publishing.faults import WordPressError
    from clinicpress.publishing.publisher import publish as publish_articles

    settings = load_settings(config_file=config_file)
    name, site_url, site_user, password_env = _site(settings, target, url, user)
    files = collect_articles(list(paths) or [settings.resolve(p) for p in settings.content])
    linter = Linter.create(settings)
    client = None
    if not dry_run or os.environ.get(password_env, "").strip():
        client = _client(name, site_url, site_user, password_env)
    log_path = settings.resolve(settings.publish_log)

    def record(outcome) -> None:
        try:
            publish_log.append(log_path, name, outcome, linter.clock().isoformat(timespec="seconds"))
        except OSError as error:
            click.echo(f"clinicpress: {log_path}: cannot append to the publish log: {error.strerror or error}", err=True)

    try:
        if client is not None and not dry_run:
            client.check_credentials()
        run = publish_articles(files, linter, client, dry_run=dry_run, record=record)
    except WordPressError as error:
        click.echo(f"clinicpress: target {name}: {error}", err=True)
        sys.exit(3)
    finally:
        if client is not None:
            client.close()
    if dry_run and client is None:
        click.echo(f"(dry run: {site_url} was not asked, {password_env} is not set; every ready article shows as would-create)", err=True)
    width = max((len(o.action) for o in run.outcomes), default=8)
    for outcome in run.outcomes:
        where = f" -> {outcome.url}" if outcome.url else ""
        post = f" (post {outcome.post_id})" if outcome.post_id else ""
        click.echo(f"{outcome.action:<{width}}  {outcome.path}{where}{post}")
        for reason in outcome.reasons:
            click.echo(f"{'':<{width}}    - {reason}")
    counts: dict[str, int] = {}
    for outcome in run.outcomes:
        counts[outcome.action] = counts.get(outcome.action, 0) + 1
    summary = ", ".join(f"{count} {action}" for action, count in sorted(counts.items())) or "nothing to publish"
    click.echo(f"{len(run.outcomes)} article{'s' if len(run.outcomes) != 1 else ''}: {summary}")
    if run.site_failure:
        click.echo(f"clinicpress: target {name}: {run.site_failure}", err=True)
    sys.exit(run.exit_code)


@main.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=".")
@click.option("--profile", type=click.Choice(["us-ftc", "uk-asa", "au-ahpra"]), default="us-ftc", show_default=True)
def init(directory: Path, profile: str) -> None:
    """Scaffold a content repository: settings, the rule pack, an example article, a pre-commit
    hook and a CI workflow. Existing files are never overwritten."""
    from clinicpress.scaffold import scaffold

    try:
        created, kept = scaffold(directory, datetime.date.today(), profile)
    except OSError as error:
        raise UserError(f"{directory}: cannot create the files: {error.strerror or error}") from None
    for name in created:
        click.echo(f"created {directory / name}")
    for name in kept:
        click.echo(f"kept    {directory / name} (it already exists)")
    click.echo(f"next: cd {directory} && clinicpress lint", err=True)


@main.command(name="import")
@click.option("--target", help="A publish target named in clinicpress.yaml.")
@click.option("--url", help="Ad hoc: the WordPress site (password from CLINICPRESS_WP_PASSWORD).")
@click.option("--user", help="Ad hoc: the WordPress user name.")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("content/imported"), show_default=True)
@config_option
@user_errors
def import_site(target: str | None, url: str | None, user: str | None, out: Path, config_file: Path | None) -> None:
    """Import the site's posts as Markdown, to audit what is live. Existing files are kept.
    Exit 0, 3 if the site failed, 2 usage or configuration."""
    from clinicpress.publishing.faults import WordPressError
    from clinicpress.publishing.importer import import_posts

    settings = load_settings(config_file=config_file)
    name, site_url, site_user, password_env = _site(settings, target, url, user)
    client = _client(name, site_url, site_user, password_env)
    try:
        imported = import_posts(client, out)
    except WordPressError as error:
        click.echo(f"clinicpress: target {name}: {error}", err=True)
        sys.exit(3)
    except OSError as error:
        raise UserError(f"{out}: cannot write the imported articles: {error.strerror or error}") from None
    finally:
        client.close()
    for item in imported:
        click.echo(f"{'imported' if item.created else 'kept    '}  post {item.post_id} -> {item.path}")
    created = sum(1 for item in imported if item.created)
    click.echo(f"{len(imported)} posts: {created} imported, {len(imported) - created} kept (already there)")


@main.command(name="rules")
@config_option
@user_errors
def list_rules(config_file: Path | None) -> None:
    """List the rules in the rule pack."""
    settings = load_settings(config_file=config_file)
    rulebook = _rulebook(settings)
    width = max(len(rule.id) for rule in rulebook.all_rules)
    for rule in rulebook.all_rules:
        # A message template names the matched text as {match}; in a list of rules, "…" reads better.
        message = rule.message.replace("'{match}'", "…").replace("{match}", "…").replace("'{replacement}'", "…")
        click.echo(f"{rule.id:<{width}}  {rule.severity.value:<7}  {rule.category.value:<10}  {message}")


@main.command()
@click.argument("rule_id")
@config_option
@user_errors
def explain(rule_id: str, config_file: Path | None) -> None:
    """Show one rule: what it finds, why it matters, and examples."""
    settings = load_settings(config_file=config_file)
    rule = _rulebook(settings).by_id(rule_id)
    if rule is None:
        raise UserError(f"no rule '{rule_id}' (list them with: clinicpress rules)")
    click.echo(f"{rule.id}  ({rule.severity.value}, {rule.category.value}, check: {rule.check})")
    click.echo(f"defined in {rule.source}" + (f":{rule.line}" if rule.line else ""))
    click.echo(f"\n{rule.message}\n\nWhy: {rule.why}\nSee: {rule.link}")
    for title, examples in (("Triggers on", rule.examples.trigger), ("Does not trigger on", rule.examples.passing)):
        if examples:
            click.echo(f"\n{title}:")
            for example in examples:
                click.echo("  " + example.replace("\n", "\n  "))


@main.command()
@click.option("--show", is_flag=True, required=True, help="Print every setting and where it came from.")
@config_option
@user_errors
def config(show: bool, config_file: Path | None) -> None:
    """Show the settings in effect."""
    settings = load_settings(config_file=config_file)
    rows = describe(settings)
    width = max(len(key) for key, _, _ in rows)
    value_width = min(48, max(len(value) for _, value, _ in rows))
    click.echo(f"# settings base directory: {settings.base_dir}")
    for key, value, source in rows:
        click.echo(f"{key:<{width}} = {value:<{value_width}}  ({source})")


@main.group()
def vocabulary() -> None:
    """The clinic's own words, accepted by the spelling check (rules/vocabulary.txt)."""


@vocabulary.command(name="add")
@click.argument("words", nargs=-1, required=True)
@config_option
@user_errors
def vocabulary_add(words: tuple[str, ...], config_file: Path | None) -> None:
    """Add WORDS (as written: case matters) to rules/vocabulary.txt, sorted, once each."""
    from clinicpress.spelling.project_vocabulary import add_words

    settings = load_settings(config_file=config_file)
    if settings.rules_dir is None:
        raise UserError(
            "no rules directory of your own: set 'rules: rules' in clinicpress.yaml (clinicpress init makes one)"
        )
    path = settings.rules_dir / "vocabulary.txt"
    try:
        added, present = add_words(path, list(words))
    except OSError as error:
        raise UserError(f"{path}: cannot update the word list: {error.strerror or error}") from None
    for word in added:
        click.echo(f"added {word!r} to {path}", err=True)
    for word in present:
        click.echo(f"{word!r} is already in {path}", err=True)


@main.group()
def engines() -> None:
    """Spelling engines: what is configured, and installing LanguageTool on purpose."""


@engines.command(name="install")
@click.argument("engine", type=click.Choice(["languagetool"]))
def engines_install(engine: str) -> None:
    """Download LanguageTool (about 250 MB, needs Java 17+) for local use. Never done implicitly."""
    try:
        from clinicpress.spelling.languagetool import install_languagetool

        where = install_languagetool()
    except EngineUnavailable as error:
        raise UserError(str(error)) from None
    except Exception as error:  # downloads fail in many ways; the user needs one line
        raise UserError(f"installing LanguageTool failed: {str(error).splitlines()[0] if str(error) else error}") from None
    click.echo(f"LanguageTool installed in {where}; set spelling.engine: languagetool in clinicpress.yaml", err=True)


@engines.command(name="status")
@config_option
@user_errors
def engines_status(config_file: Path | None) -> None:
    """Build the configured spelling engine and say which one it is (exit 2 if it cannot run)."""
    from clinicpress.spelling.engines import make_engine

    settings = load_settings(config_file=config_file)
    spelling = settings.spelling
    engine = make_engine(
        spelling.engine,
        languagetool_url=spelling.languagetool_url,
        language=spelling.language,
        languagetool_local=spelling.engine == "languagetool" and not spelling.languagetool_url,
    )
    click.echo(f"spelling: {engine.info.name} {engine.info.version} ({spelling.language})")


def _rulebook(settings: Settings):
    return load_rulebook(settings.rules_dir, option_schemas()).configured(settings)



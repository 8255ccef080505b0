"""`residency backup [list|verify|prune]`, `residency restore` and `residency doctor`."""

from __future__ import annotations

import json
import tempfile
from datetime import timedelta
from pathlib import Path

import typer
from sqlalchemy import Engine

from residency.config import get_settings
from residency.console import console, err_console
from residency.db import engine_for, get_engine
from residency.ops import migrations
from residency.ops.backup import list_backups, take_backup, verify_backup
from residency.ops.backup_location import location_warning
from residency.ops.backup_manifest import Manifest
from residency.ops.backup_store import store_for
from residency.ops.doctor import Limits, failed, run_checks
from residency.ops.restore import (
    RestoreReport,
    current_contents,
    describe,
    plan_restore,
    restore_backup,
)
from residency.ops.retention import RetentionPolicy, prune

backup_app = typer.Typer(
    help="Back up the database (no subcommand), or list, verify and prune backups.",
    invoke_without_command=True,
)
DIR_HELP = "Backup folder (default: RESIDENCY_BACKUP_DIR, or backups/ beside the data folder)."
DOCTOR_EXIT_FAILED = 1


def _folder(override: Path | None) -> Path:
    return override or get_settings().backup_dir or Path("backups")


@backup_app.callback()
def backup(
    ctx: typer.Context,
    folder: Path | None = typer.Option(None, "--dir", help=DIR_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the manifest as JSON."),
) -> None:
    """Dump the database with a manifest (revision, row counts, checksum) beside it."""
    if ctx.invoked_subcommand is not None:
        return
    engine = get_engine()
    target = _folder(folder)
    files = take_backup(engine, target)
    _warn_about_location(engine, target)
    if as_json:
        print(json.dumps(files.manifest.as_json(), indent=2, sort_keys=True))
    else:
        console.print(str(files.dump), markup=False)


def _warn_about_location(engine: Engine, folder: Path) -> None:
    problem = location_warning(engine, folder)
    if problem:
        err_console.print(f"warning: {problem}", markup=False)


@backup_app.command("list")
def list_command(
    folder: Path | None = typer.Option(None, "--dir", help=DIR_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the manifests as JSON."),
) -> None:
    """Backups, newest first: time, revision, size, whether it matches the code's schema."""
    target = _folder(folder)
    listing = list_backups(target)
    head = migrations.code_head()
    if as_json:
        print(json.dumps([found.manifest.as_json() for found in listing.backups], indent=2))
    elif not listing.backups:
        console.print(f"no backups in {target}", markup=False)
    for found in [] if as_json else listing.backups:
        console.print(_listing_line(found.manifest, head), markup=False)
    for problem in listing.problems:
        err_console.print(f"warning: {problem}", markup=False)


def _listing_line(manifest: Manifest, head: str) -> str:
    matches = "matches schema" if manifest.alembic_revision == head else f"differs from {head}"
    size = f"{manifest.size_bytes / (1 << 20):.1f} MiB"
    return (
        f"{manifest.created:%Y-%m-%d %H:%M:%S}Z  revision {manifest.alembic_revision}  "
        f"{size:>10}  {matches}  {manifest.reason}  {manifest.dump_file}"
    )


@backup_app.command("verify")
def verify_command(file: Path = typer.Argument(..., help="The dump or its manifest.")) -> None:
    """Checksum, then a test restore into a scratch database, then row counts."""
    with tempfile.TemporaryDirectory(prefix="residency-verify-") as scratch:
        files = verify_backup(file, get_engine(), Path(scratch))
    manifest = files.manifest
    console.print(
        f"ok: {files.dump}: checksum, test restore and row counts match "
        f"({len(manifest.row_counts)} tables, {manifest.total_rows} rows, "
        f"revision {manifest.alembic_revision})",
        markup=False,
    )


@backup_app.command("prune")
def prune_command(
    keep_daily: int | None = typer.Option(
        None,
        help="Keep the newest backup of each of the last N days "
        "(default: RESIDENCY_BACKUP_KEEP_DAILY, 7).",
    ),
    keep_weekly: int | None = typer.Option(
        None, help="... of each of the last N weeks (default: RESIDENCY_BACKUP_KEEP_WEEKLY, 4)."
    ),
    keep_monthly: int | None = typer.Option(
        None, help="... of each of the last N months (default: RESIDENCY_BACKUP_KEEP_MONTHLY, 6)."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Say what would go; remove nothing."),
    folder: Path | None = typer.Option(None, "--dir", help=DIR_HELP),
) -> None:
    """Remove old backups, each dump with its manifest (the nightly prune's policy unless
    told otherwise)."""
    nightly = RetentionPolicy.of_settings(get_settings())
    policy = RetentionPolicy(
        nightly.keep_daily if keep_daily is None else keep_daily,
        nightly.keep_weekly if keep_weekly is None else keep_weekly,
        nightly.keep_monthly if keep_monthly is None else keep_monthly,
    )
    report = prune(_folder(folder), policy, dry_run=dry_run)
    verb = "would remove" if dry_run else "removed"
    for gone in report.removed:
        console.print(f"{verb} {gone.dump.name} and its manifest", markup=False)
    for orphan in report.orphans_removed:
        console.print(f"{verb} leftover {orphan.name}", markup=False)
    console.print(f"kept {len(report.kept)} backups, {verb} {len(report.removed)}", markup=False)


def restore(
    file: Path = typer.Argument(..., help="The dump or its manifest."),
    migrate: bool = typer.Option(False, "--migrate", help="Upgrade an older backup to head."),
    force: bool = typer.Option(False, "--force", help="Restore at another revision as is."),
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation."),
) -> None:
    """Replace the database with a backup, atomically, after a safety backup of it."""
    engine = get_engine()
    plan = plan_restore(file, engine, migrate=migrate, force=force)
    manifest = plan.files.manifest
    question = (
        f"Replace {store_for(engine).database_name()} ({describe(current_contents(engine))}) "
        f"with {plan.files.dump.name} (revision {manifest.alembic_revision}, "
        f"{manifest.total_rows} rows, taken {manifest.created:%Y-%m-%d %H:%M}Z)?"
    )
    if not yes and not typer.confirm(question):
        console.print("nothing changed")
        raise typer.Exit(1)
    report = restore_backup(plan, engine, _folder(None))
    engine_for.cache_clear()
    _print_restore_report(report)


def _print_restore_report(report: RestoreReport) -> None:
    manifest = report.plan.files.manifest
    upgraded = f", then upgraded to {report.final_revision}" if report.plan.upgrade_after else ""
    console.print(
        f"restored {report.plan.files.dump} (revision {manifest.alembic_revision}, "
        f"{manifest.total_rows} rows){upgraded} into {report.database_name}",
        markup=False,
    )
    console.print(f"replaced: {describe(report.replaced)}", markup=False)
    safety = report.safety_backup.dump if report.safety_backup else "none (there was no schema)"
    console.print(f"safety backup: {safety}", markup=False)
    for note in report.notes:
        err_console.print(f"warning: {note}", markup=False)


def doctor(
    as_json: bool = typer.Option(False, "--json", help="Print the checks as JSON."),
    max_backup_age_hours: float = typer.Option(26, help="Fail when the newest backup is older."),
    min_free_mb: int = typer.Option(1024, help="Fail when a disk has less free space."),
) -> None:
    """Check the installation; one line per check, with the fix for each failure."""
    limits = Limits(timedelta(hours=max_backup_age_hours), min_free_mb << 20)
    checks = run_checks(get_settings(), limits=limits)
    if as_json:
        payload = {"ok": not failed(checks), "checks": [check.as_json() for check in checks]}
        print(json.dumps(payload, indent=2))
    for check in [] if as_json else checks:
        fix = f" (fix: {check.fix})" if check.fix and check.status != "ok" else ""
        console.print(f"{check.status.upper():<4}  {check.name}: {check.detail}{fix}", markup=False)
    if failed(checks):
        raise typer.Exit(DOCTOR_EXIT_FAILED)


def register(app: typer.Typer) -> None:
    app.add_typer(backup_app, name="backup")
    app.command("restore")(restore)
    app.command("doctor")(doctor)

"""``medshare agreements``: the sharing agreements (list, show, validate) — for compliance review."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from medshare.cli.output import JSON_OPTION, emit_json

if TYPE_CHECKING:
    from privacy.agreements import Agreement

agreements_app = typer.Typer(
    help="Sharing agreements (contracts/agreements/*.yaml): what each insurer may receive, and how.",
    no_args_is_help=True,
)

DIR_OPTION = typer.Option(None, "--dir", help="Folder of agreements (default: contracts/agreements).")


def _load(directory: Path | None):
    from medshare.errors import UserError
    from privacy.agreements import AgreementError, load_agreements

    try:
        return load_agreements(directory)
    except AgreementError as exc:
        raise UserError(f"{exc.summary()} — run: medshare agreements validate") from None


def _summary(a: Agreement) -> dict[str, Any]:
    return {
        "insurer": a.insurer,
        "insurer_name": a.insurer_name,
        "agreement_id": a.agreement_id,
        "version": a.version,
        "effective_from": a.effective_from.isoformat(),
        "effective_to": a.effective_to.isoformat() if a.effective_to else None,
        "purposes": sorted({g.purpose for g in a.grants}),
        "grants": len(a.grants),
        "fingerprint": a.fingerprint,
        "path": str(a.path) if a.path else None,
    }


def _detail(a: Agreement) -> dict[str, Any]:
    out = _summary(a)
    out["notes"] = a.notes
    out["grants"] = [g.model_dump(mode="json") for g in a.grants]
    return out


@agreements_app.command("list", epilog="Example: medshare agreements list --json")
def list_cmd(directory: Path | None = DIR_OPTION, as_json: bool = JSON_OPTION) -> None:
    """List the agreements: insurer, agreement id and version, effective dates, purposes."""
    agreements = _load(directory)
    if as_json:
        emit_json([_summary(a) for a in agreements])
        return
    if not len(agreements):
        typer.echo("no agreements")
        return
    typer.echo(f"{'insurer':<10} {'agreement':<26} {'effective':<23} {'purposes':<32} fingerprint")
    for a in agreements:
        eff = f"{a.effective_from}..{a.effective_to or ''}"
        purposes = ",".join(sorted({g.purpose for g in a.grants}))
        typer.echo(f"{a.insurer:<10} {a.label:<26} {eff:<23} {purposes:<32} {a.fingerprint[:19]}")


@agreements_app.command(
    "show", epilog="Examples: medshare agreements show hhb; medshare agreements show ./draft.yaml --json"
)
def show_cmd(
    insurer: str = typer.Argument(..., help="Insurer code (e.g. hhb) or the path of an agreement file."),
    directory: Path | None = DIR_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Show one agreement: every grant with its source, output, retention, k and field treatments."""
    from medshare.errors import UserError
    from privacy.agreements import AgreementError, load_agreement

    if insurer.endswith((".yaml", ".yml")) or "/" in insurer:
        try:
            a = load_agreement(insurer)
        except AgreementError as exc:
            raise UserError(exc.summary()) from None
    else:
        try:
            a = _load(directory).for_insurer(insurer)
        except KeyError as exc:
            raise UserError(exc.args[0]) from None
    if as_json:
        emit_json(_detail(a))
        return
    typer.echo(f"{a.insurer}  {a.insurer_name}")
    typer.echo(f"agreement {a.label}, effective {a.effective_from} .. {a.effective_to or 'open'}")
    typer.echo(f"fingerprint {a.fingerprint}")
    if a.notes:
        typer.echo(a.notes)
    for g in a.grants:
        typer.echo("")
        k = f", k >= {g.min_group_size}" if g.min_group_size else ""
        cats = f", consent covering {'+'.join(g.consent_categories)}" if g.consent_categories else ""
        typer.echo(f"[{g.purpose}] basis {g.basis}{cats}{k}, retention {g.retention}")
        typer.echo(f"  {g.source} -> {g.output}")
        if g.description:
            typer.echo(f"  {g.description}")
        width = max(len(f) for f in g.fields)
        for name, t in g.fields.items():
            typer.echo(f"    {name:<{width}}  {t}")


@agreements_app.command(
    "validate",
    epilog="Examples: medshare agreements validate; medshare agreements validate ./draft.yaml --json",
)
def validate_cmd(
    path: Path | None = typer.Argument(
        None, help="An agreement file or folder (default: contracts/agreements)."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Validate agreements; print each problem as FILE:LINE: where: problem, exit 1 if any."""
    from privacy.agreements import AgreementError, FileCheck, check_folder, display_path, load_agreement

    if path is not None and path.is_file():
        try:
            checks = [FileCheck(path, load_agreement(path), [])]
        except AgreementError as exc:
            checks = [FileCheck(path, None, exc.problems)]
    else:
        checks = check_folder(path)
    ok = all(c.ok for c in checks)
    if as_json:
        emit_json(
            {
                "ok": ok,
                "files": [
                    {
                        "path": display_path(c.path),
                        "ok": c.ok,
                        "insurer": c.agreement.insurer if c.agreement else None,
                        "fingerprint": c.agreement.fingerprint if c.agreement else None,
                        "problems": [
                            {"line": p.line, "where": p.where, "message": p.message, "text": str(p)}
                            for p in c.problems
                        ],
                    }
                    for c in checks
                ],
            }
        )
    else:
        for c in checks:
            if c.ok and c.agreement is not None:
                a = c.agreement
                typer.echo(
                    f"ok   {c.path}: {a.insurer} {a.label}, {len(a.grants)} grant(s), {a.fingerprint[:19]}"
                )
            for p in c.problems:
                typer.secho(f"FAIL {p}", fg=typer.colors.RED, err=True)
        if not checks:
            typer.echo("no agreement files found")
    if not ok:
        raise typer.Exit(1)


@agreements_app.command("notice")
def notice_cmd(
    insurer: str = typer.Argument(..., help="Insurer code (e.g. hhb)."),
    purpose: str = typer.Option("claims", "--purpose", help="claims | actuarial | supervision."),
    directory: Path | None = DIR_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """The consent notice (告知书) of an insurer's agreement for a purpose, and its id (sha256 of the text).

    A consent event names this id (notice_id); the registry refuses a grant on any other notice.
    """
    from medshare.errors import UserError
    from privacy.notice import NoticeError, render_notice

    try:
        a = _load(directory).for_insurer(insurer)
        n = render_notice(a, purpose)
    except KeyError as exc:
        raise UserError(exc.args[0]) from None
    except NoticeError as exc:
        raise UserError(str(exc)) from None
    if as_json:
        emit_json(n.as_dict())
        return
    typer.echo(n.text, nl=False)
    typer.echo(f"\nnotice_id: {n.notice_id}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the medshare app."""
    app.add_typer(agreements_app, name="agreements")

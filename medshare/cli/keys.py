"""``medshare keys``: the pipeline's keyring of insurer public keys (list, rotate, retire)."""

from __future__ import annotations

import typer

from medshare.cli.output import JSON_OPTION, emit_json

keys_app = typer.Typer(help="Insurer encryption keys in the pipeline keyring: list, rotate, retire.",
                       no_args_is_help=True)


def _passphrase(passphrase_env: str | None) -> bytes | None:
    import os

    from medshare.errors import UserError

    if not passphrase_env:
        return None
    if passphrase_env not in os.environ:
        raise UserError(f"environment variable {passphrase_env} is not set")
    return os.environ[passphrase_env].encode("utf-8")


@keys_app.command("list", epilog="Example: medshare keys list --json")
def list_cmd(
    code: str | None = typer.Argument(None, help="Only this insurer (default: all)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """List every key version: status (current/previous/retired), fingerprint, where it lives."""
    from medshare.errors import UserError
    from privacy import keys
    from privacy.exceptions import KeyManagementError

    try:
        infos = keys.list_keys(code)
    except KeyManagementError as exc:
        raise UserError(str(exc)) from None
    if as_json:
        emit_json([k.to_dict() for k in infos])
        return
    if not infos:
        typer.echo("no insurer keys in the keyring yet (medshare insurer onboard CODE)")
        return
    typer.echo(f"{'insurer':<16} {'ver':>3}  {'status':<8}  {'created (UTC)':<25}  {'private':<7}  fingerprint")
    for k in infos:
        typer.echo(f"{k.code:<16} {k.version:>3}  {k.status:<8}  {k.created_at.isoformat():<25}  "
                   f"{'here' if k.private_key_path else '-':<7}  {k.fingerprint}")


@keys_app.command("rotate", epilog="Example: medshare keys rotate hhb")
def rotate_cmd(
    code: str = typer.Argument(..., help="Insurer code, e.g. hhb."),
    passphrase_env: str | None = typer.Option(
        None, help="Environment variable holding a passphrase for the new private key "
        "(default: MEDSHARE_KEY_PASSPHRASE if set)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Make a new key version current (demo insurers whose private keys are held here).

    Older versions keep decrypting on the insurer's side. An insurer that manages its own keys
    rotates by sending a new public key: medshare insurer onboard CODE --public-key FILE.
    """
    from medshare.errors import UserError
    from privacy import keys
    from privacy.exceptions import KeyManagementError

    try:
        info = keys.rotate(code, passphrase=_passphrase(passphrase_env))
    except KeyManagementError as exc:
        raise UserError(str(exc)) from None
    if as_json:
        emit_json(info.to_dict())
    else:
        typer.echo(f"{code}: version {info.version} is now current ({info.fingerprint})")


@keys_app.command("retire", epilog="Example: medshare keys retire hhb 1")
def retire_cmd(
    code: str = typer.Argument(..., help="Insurer code, e.g. hhb."),
    version: int = typer.Argument(..., help="Key version to retire (not the current one)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Retire a key version: the pipeline never encrypts with it again."""
    from medshare.errors import UserError
    from privacy import keys
    from privacy.exceptions import KeyManagementError

    try:
        info = keys.retire(code, version)
    except KeyManagementError as exc:
        raise UserError(str(exc)) from None
    if as_json:
        emit_json(info.to_dict())
    else:
        typer.echo(f"{code}: version {version} retired; the insurer may delete its private key "
                   "once it holds no data encrypted under it")


def register(app: typer.Typer) -> None:
    """Add the ``keys`` group to the medshare app."""
    app.add_typer(keys_app, name="keys")

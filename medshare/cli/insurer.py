"""``medshare insurer``: onboard insurers; the insurer-side commands (decrypt, consume) join this group."""

from __future__ import annotations

from pathlib import Path

import typer

from medshare.cli.output import JSON_OPTION, emit_json

insurer_app = typer.Typer(help="Onboard insurers and act as one (consume, decrypt).", no_args_is_help=True)


@insurer_app.command(
    "onboard",
    epilog="Example: medshare insurer onboard hhb --json > hhb-bundle.json",
)
def onboard_cmd(
    code: str = typer.Argument(..., help="Insurer code: 2-16 lowercase letters/digits, e.g. hhb."),
    public_key: Path | None = typer.Option(
        None, "--public-key", help="The insurer's own X25519 public key (PEM). Without it, a demo key "
        "pair is generated into the insurer's folder under MEDSHARE_HOME/insurers/CODE."),
    passphrase_env: str | None = typer.Option(
        None, help="Name of an environment variable holding a passphrase for the generated private key."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Create the insurer's SCRAM user, topics, ACLs and key pair; print its connection bundle."""
    import os

    from medshare.errors import UserError
    from medshare.onboard import onboard_insurer

    passphrase = None
    if passphrase_env:
        if passphrase_env not in os.environ:
            raise UserError(f"environment variable {passphrase_env} is not set")
        passphrase = os.environ[passphrase_env].encode()
    b = onboard_insurer(code, public_key=public_key, passphrase=passphrase)
    if as_json:
        emit_json(b)
    else:
        typer.echo(f"onboarded {code}: user {b['username']}, topics {', '.join(b['topics'].values())}, "
                   f"key {b['key_id']} v{b['key_version']}; bundle: medshare broker credentials insurer-{code} --json")


@insurer_app.command("list")
def list_cmd(as_json: bool = JSON_OPTION) -> None:
    """List onboarded insurers."""
    from medshare.onboard import onboarded_insurers

    codes = onboarded_insurers()
    if as_json:
        emit_json(codes)
    else:
        typer.echo("\n".join(codes) or "no insurer onboarded yet")


def register(app: typer.Typer) -> None:
    app.add_typer(insurer_app, name="insurer")

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


@insurer_app.command(
    "consume",
    epilog="Example: medshare insurer consume hhb --max 5 --json",
)
def consume_cmd(
    code: str = typer.Argument(..., help="Insurer code, e.g. hhb."),
    topic: str = typer.Option("claims", help="claims or marts."),
    max_records: int | None = typer.Option(None, "--max", min=1, help="Stop after N records."),
    timeout: float = typer.Option(10.0, help="Stop when nothing arrives for this many seconds."),
    group: str = typer.Option("claims-reader", help="Consumer group suffix (after insurer-CODE-)."),
    bundle_file: Path | None = typer.Option(None, "--bundle", help="Connection bundle JSON "
                                            "(default: the one onboarding wrote for CODE)."),
    no_decrypt: bool = typer.Option(False, "--no-decrypt", help="Show the envelopes as they arrive."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Read the insurer's topic with the insurer's own credentials and key; decrypt identity fields."""
    import json
    import os

    from medshare.config import settings
    from medshare.errors import UserError
    from medshare.insurer_client import consume

    path = bundle_file or settings().insurers_dir / code / "bundle.json"
    if not path.exists():
        raise UserError(f"no bundle for insurer {code} at {path}: run `medshare insurer onboard {code}`")
    bundle = json.loads(path.read_text())
    if topic not in bundle["topics"]:
        raise UserError(f"unknown topic {topic!r}: use one of {', '.join(bundle['topics'])}")
    passphrase = os.environ.get("MEDSHARE_KEY_PASSPHRASE")
    n = 0
    for item in consume(bundle, topic, max_records=max_records, group_suffix=group, timeout_s=timeout,
                        passphrase=passphrase.encode() if passphrase else None, decrypt=not no_decrypt):
        n += 1
        if as_json:
            typer.echo(json.dumps(item, ensure_ascii=False, sort_keys=True))
        else:
            typer.echo(json.dumps(item["record"], ensure_ascii=False, sort_keys=True))
    if not as_json:
        typer.secho(f"{n} record(s) from {bundle['topics'][topic]}", err=True)


@insurer_app.command(
    "erasure-ack",
    epilog="Example: medshare insurer erasure-ack hhb --json",
)
def erasure_ack_cmd(
    code: str = typer.Argument(..., help="Insurer code, e.g. hhb."),
    bundle_file: Path | None = typer.Option(None, "--bundle", help="Connection bundle JSON "
                                            "(default: the one onboarding wrote for CODE)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """As the insurer: read its erasure requests (PIPL Art. 47), erase, and acknowledge each one.

    This demo insurer keeps nothing beyond its topic, so erasing is acknowledging every record named;
    a real insurer passes its own deletion to medshare.insurer_client.acknowledge_erasures.
    """
    import json

    from medshare.config import settings
    from medshare.errors import UserError
    from medshare.insurer_client import acknowledge_erasures

    path = bundle_file or settings().insurers_dir / code / "bundle.json"
    if not path.exists():
        raise UserError(f"no bundle for insurer {code} at {path}: run `medshare insurer onboard {code}`")
    bundle = json.loads(path.read_text())
    if "erasure" not in bundle.get("topics", {}):
        raise UserError(f"the bundle of {code} names no erasure topic: run `medshare insurer onboard {code}` again")
    acks = acknowledge_erasures(bundle)
    if as_json:
        typer.echo(json.dumps({"acknowledged": acks}, ensure_ascii=False, sort_keys=True))
    else:
        for a in acks:
            typer.echo(f"{a['request_id']}  {len(a['erased'])} record(s) erased")
        typer.secho(f"{len(acks)} erasure request(s) acknowledged", err=True)


def register(app: typer.Typer) -> None:
    app.add_typer(insurer_app, name="insurer")

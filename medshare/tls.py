"""The local broker's TLS material: a CA of this home and a broker certificate it signs.

``medshare broker start`` calls :func:`ensure_broker_certificate` before writing the broker's
configuration. Made once with ``cryptography`` (ECDSA P-256, SHA-256) and kept under
``$MEDSHARE_HOME/tls``:

* ``ca.pem`` — the CA certificate clients verify the broker with (``ssl_cafile`` of every bundle).
  Not secret: mode 0644 in a 0755 folder, so a client running as another user can read it.
* ``ca.key`` — the CA's private key, 0600. Only ``broker start`` uses it, to (re)issue the broker
  certificate.
* ``broker.pem`` / ``broker.key`` — the broker's certificate chain and key (0600). Its subject
  alternative names are the host the broker listens on, ``127.0.0.1`` and ``localhost``; every
  local node uses it (they all listen on the same host). Re-issued when a name it must cover is
  missing, when it expires within 30 days, or when the CA changed.

The broker reads the PEM directly (KIP-651: ``ssl.keystore.type=PEM``); nothing needs a Java
keystore. An external cluster brings its own certificates: point ``MEDSHARE_SSL_CAFILE`` at the CA
that signed them (docs/deployment.md).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from medshare.config import Settings, settings

CA_DAYS = 3650
BROKER_DAYS = 730
RENEW_BEFORE = dt.timedelta(days=30)


@dataclass(frozen=True)
class BrokerTls:
    ca_pem: Path
    cert_pem: Path
    key_pem: Path

    def keystore_properties(self) -> dict[str, str]:
        """``server.properties`` entries: the broker's key and chain inline (PEM), the CA as truststore.

        Inline because a PEM key *file* (``ssl.keystore.location``) must be password-encrypted
        (Kafka refuses an unencrypted one), and the server.properties holding it is 0600 anyway.
        """
        return {
            "ssl.keystore.type": "PEM",
            "ssl.keystore.certificate.chain": self.cert_pem.read_text().strip(),
            "ssl.keystore.key": self.key_pem.read_text().strip(),
            "ssl.truststore.type": "PEM",
            "ssl.truststore.location": str(self.ca_pem),
        }


def required_names(cfg: Settings) -> list[str]:
    """The names the broker certificate must cover: the listen host, 127.0.0.1, localhost."""
    names = [cfg.kafka_host, "127.0.0.1", "localhost"]
    return list(dict.fromkeys(n.strip().lower() for n in names if n and n.strip()))


def _general_name(name: str):
    from cryptography import x509

    try:
        return x509.IPAddress(ipaddress.ip_address(name))
    except ValueError:
        return x509.DNSName(name)


def _write(path: Path, data: bytes, mode: int) -> None:
    """Write ``data`` to ``path`` atomically, with ``mode`` from the first byte."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(path)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _new_key():
    from cryptography.hazmat.primitives.asymmetric import ec

    return ec.generate_private_key(ec.SECP256R1())


def _key_pem(key) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def ensure_ca(cfg: Settings | None = None, folder: Path | None = None) -> tuple[Path, Path]:
    """The CA (certificate, key) in ``folder`` (default: this home's ``tls``); made once."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509.oid import NameOID

    d = folder or (cfg or settings()).tls_dir
    d.mkdir(parents=True, exist_ok=True)
    d.chmod(0o755)
    ca_pem, ca_key = d / "ca.pem", d / "ca.key"
    if ca_pem.exists() and ca_key.exists():
        return ca_pem, ca_key
    key = _new_key()
    name = x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "medshare"),
        x509.NameAttribute(NameOID.COMMON_NAME, f"medshare local CA {os.urandom(4).hex()}"),
    ])
    now = _now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write(ca_key, _key_pem(key), 0o600)
    _write(ca_pem, cert.public_bytes(serialization.Encoding.PEM), 0o644)
    return ca_pem, ca_key


def _broker_cert_ok(cert_pem: Path, ca_cert, names: list[str]) -> bool:
    """Whether the broker certificate exists, is signed by ``ca_cert``, covers ``names`` and is not
    about to expire."""
    from cryptography import x509

    try:
        chain = x509.load_pem_x509_certificates(cert_pem.read_bytes())
    except (OSError, ValueError):
        return False
    cert = chain[0]
    if cert.issuer != ca_cert.subject:
        return False
    try:
        cert.verify_directly_issued_by(ca_cert)
    except Exception:  # noqa: BLE001 - InvalidSignature, a wrong key type...: re-issue
        return False
    if cert.not_valid_after_utc - _now() < RENEW_BEFORE:
        return False
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return False
    have = {str(v).lower() for v in san.get_values_for_type(x509.DNSName)}
    have |= {str(v) for v in san.get_values_for_type(x509.IPAddress)}
    return all(str(_general_name(n).value).lower() in have for n in names)


def ensure_broker_certificate(cfg: Settings | None = None) -> BrokerTls:
    """The local broker's certificate and key, signed by the local CA; (re)issued when needed."""
    cfg = cfg or settings()
    return issue_broker_certificate(cfg.tls_dir, required_names(cfg))


def issue_broker_certificate(folder: Path, names: list[str]) -> BrokerTls:
    """A CA in ``folder`` (made once) and a broker certificate for ``names`` signed by it, (re)issued
    unless the one there covers ``names``, was signed by that CA and is valid for 30 more days.

    ``medshare broker certificates`` uses it for a deployment (docker-compose.yml): one certificate
    whose names are every broker's host name.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    if not names:
        raise ValueError("a broker certificate needs at least one host name")
    d = folder
    ca_pem, ca_key_path = ensure_ca(folder=d)
    ca_cert = x509.load_pem_x509_certificate(ca_pem.read_bytes())
    cert_pem, key_pem = d / "broker.pem", d / "broker.key"
    if key_pem.exists() and _broker_cert_ok(cert_pem, ca_cert, names):
        return BrokerTls(ca_pem, cert_pem, key_pem)
    ca_key = serialization.load_pem_private_key(ca_key_path.read_bytes(), password=None)
    key = _new_key()
    now = _now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "medshare"),
                                 x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(min(now + dt.timedelta(days=BROKER_DAYS), ca_cert.not_valid_after_utc))
        .add_extension(x509.SubjectAlternativeName([_general_name(n) for n in names]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        # brokers are also clients of each other (controller quorum, replication)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]),
                       critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    _write(key_pem, _key_pem(key), 0o600)
    chain = cert.public_bytes(serialization.Encoding.PEM) + ca_cert.public_bytes(serialization.Encoding.PEM)
    _write(cert_pem, chain, 0o600)
    return BrokerTls(ca_pem, cert_pem, key_pem)

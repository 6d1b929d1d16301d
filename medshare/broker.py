"""The local Apache Kafka broker: fetched with Maven, run from its jars with the machine's Java.

``install`` resolves ``org.apache.kafka:kafka_2.13`` and its dependencies from Maven Central into
``$MEDSHARE_CACHE/kafka-<version>/libs``; ``start`` writes a KRaft single-node configuration (broker
and controller in one process, bound to 127.0.0.1), formats the storage once with the SCRAM users
of the core principals, starts ``kafka.Kafka`` in its own process group and waits until an
authenticated client gets metadata; ``stop`` sends SIGTERM to the group and waits.

Security: the client listener is SASL_PLAINTEXT with SCRAM-SHA-512; the controller listener uses
SASL PLAIN with the admin principal (KRaft controllers cannot use SCRAM); the authorizer is
``StandardAuthorizer`` with ``allow.everyone.if.no.acl.found=false`` and ``admin`` as the only
super user. Everything else is granted by ACLs (:mod:`medshare.acls`).
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from medshare.config import Settings, private_dir, settings
from medshare.errors import BrokerError
from medshare.kafka import CORE_PRINCIPALS, ensure_credentials

_POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>medshare.local</groupId><artifactId>kafka-broker</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId>
      <version>{version}</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId>
      <version>2.0.17</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j2-impl</artifactId>
      <version>2.24.3</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId>
      <version>2.24.3</version></dependency>
  </dependencies>
</project>
"""

_LOG4J2 = """Configuration:
  status: warn
  Appenders:
    RollingFile:
      - name: server
        fileName: "${sys:kafka.logs.dir}/server.log"
        filePattern: "${sys:kafka.logs.dir}/server.log.%i"
        PatternLayout: {pattern: "[%d] %p %m (%c)%n"}
        Policies: {SizeBasedTriggeringPolicy: {size: 20MB}}
        DefaultRolloverStrategy: {max: 3}
  Loggers:
    Root: {level: INFO, AppenderRef: [{ref: server}]}
    Logger:
      - {name: kafka.authorizer.logger, level: INFO, additivity: false, AppenderRef: [{ref: server}]}
"""


@dataclass
class BrokerStatus:
    running: bool
    pid: int | None
    bootstrap: str
    version: str
    home: str
    log: str
    uptime_s: float | None = None

    def as_dict(self) -> dict:
        return asdict(self)


# --- prerequisites ----------------------------------------------------------------------------
def java_version() -> int:
    """Major version of ``java`` on PATH; raises ``BrokerError`` if Java is missing."""
    java = shutil.which("java")
    if not java:
        raise BrokerError("Java is missing: install a JDK 17+ (java not found on PATH)")
    out = subprocess.run([java, "-version"], capture_output=True, text=True, check=False).stderr
    for token in out.replace('"', " ").split():
        head = token.split(".")[0]
        if head.isdigit() and token[0].isdigit():
            major = int(head)
            return int(token.split(".")[1]) if major == 1 else major
    raise BrokerError(f"could not read the Java version from: {out.strip()[:200]}")


def installed(cfg: Settings | None = None) -> bool:
    cfg = cfg or settings()
    return (cfg.kafka_libs / ".complete").exists()


def install(cfg: Settings | None = None, quiet: bool = False) -> Path:
    """Fetch the Kafka broker jars with Maven (once); return the libs folder."""
    cfg = cfg or settings()
    libs = cfg.kafka_libs
    if installed(cfg):
        return libs
    mvn = shutil.which("mvn")
    if not mvn:
        raise BrokerError("Maven is missing: install Apache Maven (mvn not found on PATH)")
    work = libs.parent
    work.mkdir(parents=True, exist_ok=True)
    (work / "pom.xml").write_text(_POM.format(version=cfg.kafka_version))
    if not quiet:
        print(f"fetching Apache Kafka {cfg.kafka_version} jars from Maven Central into {libs} ...", flush=True)
    proc = subprocess.run(
        [mvn, "-B", "-q", "-f", str(work / "pom.xml"), "dependency:copy-dependencies",
         f"-DoutputDirectory={libs}"],
        capture_output=True, text=True, check=False,
    )
    if proc.returncode != 0:
        detail = (proc.stdout + proc.stderr).strip().splitlines()
        reason = next((line for line in detail if "ERROR" in line), detail[-1] if detail else "")
        if any(s in proc.stdout + proc.stderr for s in ("transfer", "resolve", "UnknownHost", "Connect")):
            raise BrokerError(f"Maven could not fetch org.apache.kafka:kafka_2.13:{cfg.kafka_version} "
                              f"(is Maven Central reachable?): {reason[:300]}")
        raise BrokerError(f"Maven failed fetching Kafka: {reason[:300]}")
    if not (libs / f"kafka_2.13-{cfg.kafka_version}.jar").exists():
        raise BrokerError(f"Maven finished but kafka_2.13-{cfg.kafka_version}.jar is not in {libs}")
    # Kafka 4 logs through log4j2; drop the slf4j 1.x api a transitive dependency drags in
    for old in libs.glob("slf4j-api-1.*.jar"):
        old.unlink()
    (libs / ".complete").write_text(cfg.kafka_version)
    return libs


def port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return False
            raise
    return True


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


# --- configuration ---------------------------------------------------------------------------
def _server_properties(cfg: Settings, admin_password: str) -> str:
    host, port, cport = cfg.kafka_host, cfg.kafka_port, cfg.kafka_controller_port
    data = cfg.kafka_dir / "data"
    scram_jaas = (
        'org.apache.kafka.common.security.scram.ScramLoginModule required '
        f'username="admin" password="{admin_password}";'
    )
    plain_jaas = (
        'org.apache.kafka.common.security.plain.PlainLoginModule required '
        f'username="admin" password="{admin_password}" user_admin="{admin_password}";'
    )
    return "\n".join([
        "# written by `medshare broker start`; edit medshare/broker.py instead",
        "process.roles=broker,controller",
        "node.id=1",
        f"controller.quorum.bootstrap.servers={host}:{cport}",
        f"listeners=SASL_PLAINTEXT://{host}:{port},CONTROLLER://{host}:{cport}",
        f"advertised.listeners=SASL_PLAINTEXT://{host}:{port}",
        "listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT",
        "inter.broker.listener.name=SASL_PLAINTEXT",
        "controller.listener.names=CONTROLLER",
        "sasl.enabled.mechanisms=SCRAM-SHA-512",
        "sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512",
        "sasl.mechanism.controller.protocol=PLAIN",
        "listener.name.controller.sasl.enabled.mechanisms=PLAIN",
        f"listener.name.controller.plain.sasl.jaas.config={plain_jaas}",
        f"listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config={scram_jaas}",
        "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        "allow.everyone.if.no.acl.found=false",
        "super.users=User:admin",
        f"log.dirs={data}",
        f"num.partitions={cfg.partitions}",
        "default.replication.factor=1",
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=6",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        "auto.create.topics.enable=false",
        "log.retention.hours=168",
        "log.segment.bytes=67108864",
        "message.max.bytes=2097152",
        "",
    ])


def _java_cmd(cfg: Settings, main_class: str, *args: str, heap: str | None = None) -> list[str]:
    logs = cfg.kafka_dir / "logs"
    return [
        shutil.which("java") or "java",
        *(heap or "-Xmx256m").split(),
        "-XX:+UseG1GC",
        "-Djava.awt.headless=true",
        f"-Dkafka.logs.dir={logs}",
        f"-Dlog4j2.configurationFile={cfg.kafka_dir / 'log4j2.yaml'}",
        "-cp",
        str(cfg.kafka_libs / "*"),
        main_class,
        *args,
    ]


def _format_storage(cfg: Settings, props: Path, creds: dict[str, str]) -> None:
    data = cfg.kafka_dir / "data"
    if (data / "meta.properties").exists():
        return
    cluster_id = subprocess.run(
        _java_cmd(cfg, "kafka.tools.StorageTool", "random-uuid"), capture_output=True, text=True, check=False
    ).stdout.strip() or uuid.uuid4().hex[:22]
    scram_args: list[str] = []
    for name in CORE_PRINCIPALS:
        scram_args += ["--add-scram", f"SCRAM-SHA-512=[name={name},password={creds[name]}]"]
    proc = subprocess.run(
        _java_cmd(cfg, "kafka.tools.StorageTool", "format", "-t", cluster_id, "-c", str(props),
                  "--standalone", *scram_args),
        capture_output=True, text=True, check=False,
    )
    if proc.returncode != 0:
        raise BrokerError(f"formatting KRaft storage failed: {(proc.stdout + proc.stderr).strip()[-500:]}")


# --- lifecycle -------------------------------------------------------------------------------
def _pid_file(cfg: Settings) -> Path:
    return cfg.kafka_dir / "broker.pid"


def _read_pid(cfg: Settings) -> int | None:
    path = _pid_file(cfg)
    if not path.exists():
        return None
    try:
        pid = int(path.read_text().split()[0])
        os.kill(pid, 0)
    except (ValueError, ProcessLookupError, IndexError):
        path.unlink(missing_ok=True)
        return None
    except PermissionError:
        pass
    return pid


def status(cfg: Settings | None = None) -> BrokerStatus:
    cfg = cfg or settings()
    pid = _read_pid(cfg)
    running = pid is not None and port_open(cfg.kafka_host, cfg.kafka_port)
    uptime = None
    if pid is not None:
        uptime = round(time.time() - _pid_file(cfg).stat().st_mtime, 1)
    return BrokerStatus(
        running=running, pid=pid, bootstrap=cfg.bootstrap, version=cfg.kafka_version,
        home=str(cfg.kafka_dir), log=str(cfg.kafka_dir / "logs" / "server.log"), uptime_s=uptime,
    )


def _wait_ready(cfg: Settings, proc: subprocess.Popen, timeout: float) -> None:
    """Wait until the admin principal can authenticate and list topics."""
    from medshare.kafka import admin

    deadline = time.monotonic() + timeout
    last_error = "port never opened"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BrokerError(
                f"the broker exited with code {proc.returncode} during start-up; "
                f"last lines of {cfg.kafka_dir / 'logs'}:\n{_log_tail(cfg)}"
            )
        if port_open(cfg.kafka_host, cfg.kafka_port):
            try:
                client = admin(cfg=cfg, request_timeout_ms=5000, bootstrap_timeout_ms=5000)
                try:
                    client.list_topics()
                    return
                finally:
                    client.close()
            except Exception as exc:  # noqa: BLE001 - any failure means "not ready yet"
                last_error = f"{type(exc).__name__}: {exc}"
        time.sleep(0.5)
    raise BrokerError(f"the broker did not become ready within {timeout:.0f}s ({last_error}); "
                      f"see {cfg.kafka_dir / 'logs'}:\n{_log_tail(cfg)}")


def _log_tail(cfg: Settings, lines: int = 15) -> str:
    out: list[str] = []
    for name in ("server.out", "server.log"):
        path = cfg.kafka_dir / "logs" / name
        if path.exists():
            out += path.read_text(errors="replace").splitlines()[-lines:]
    return "\n".join(out[-lines:])


def start(cfg: Settings | None = None, timeout: float = 90.0, quiet: bool = False) -> BrokerStatus:
    """Start the local broker (idempotent) and make sure topics and core ACLs exist."""
    from medshare import acls

    cfg = cfg or settings()
    if not cfg.manages_broker:
        raise BrokerError(f"MEDSHARE_BOOTSTRAP_SERVERS={cfg.bootstrap_servers}: the broker is external, "
                          "medshare does not start it")
    current = status(cfg)
    if current.running:
        acls.ensure_core(cfg)
        return current
    major = java_version()
    if major < 17:
        raise BrokerError(f"Java {major} found; Kafka {cfg.kafka_version} needs Java 17 or newer")
    for port in (cfg.kafka_port, cfg.kafka_controller_port):
        if not port_free(cfg.kafka_host, port):
            raise BrokerError(f"port {cfg.kafka_host}:{port} is taken by another process; free it or set "
                              "MEDSHARE_KAFKA_PORT / MEDSHARE_KAFKA_CONTROLLER_PORT")
    install(cfg, quiet=quiet)

    kdir = private_dir(cfg.kafka_dir)
    (kdir / "logs").mkdir(exist_ok=True)
    creds = ensure_credentials(CORE_PRINCIPALS, cfg)
    props = kdir / "server.properties"
    fd = os.open(props, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(_server_properties(cfg, creds["admin"]))
    (kdir / "log4j2.yaml").write_text(_LOG4J2)
    _format_storage(cfg, props, creds)

    out = open(kdir / "logs" / "server.out", "ab")  # noqa: SIM115 - handed to the child process
    proc = subprocess.Popen(
        _java_cmd(cfg, "kafka.Kafka", str(props), heap=cfg.kafka_heap),
        stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
    )
    out.close()
    _pid_file(cfg).write_text(f"{proc.pid}\n")
    try:
        _wait_ready(cfg, proc, timeout)
    except BrokerError:
        _terminate(proc.pid, 10)
        _pid_file(cfg).unlink(missing_ok=True)
        raise
    acls.ensure_core(cfg)
    return status(cfg)


def _terminate(pid: int, timeout: float) -> None:
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
            # reap if it is our child
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass
        except ProcessLookupError:
            return
        time.sleep(0.2)
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def stop(cfg: Settings | None = None, timeout: float = 30.0) -> bool:
    """Stop the broker; returns False if it was not running."""
    cfg = cfg or settings()
    pid = _read_pid(cfg)
    if pid is None:
        return False
    _terminate(pid, timeout)
    _pid_file(cfg).unlink(missing_ok=True)
    return True

"""The local Apache Kafka broker: fetched with Maven, run from its jars with the machine's Java.

``install`` resolves ``org.apache.kafka:kafka_2.13`` and its dependencies from Maven Central into
``$MEDSHARE_CACHE/kafka-<version>/libs``; ``start`` writes a KRaft configuration (each node a broker
and a controller in one process, bound to ``MEDSHARE_KAFKA_HOST``), formats the storage once with
the SCRAM users of the core principals, starts ``kafka.Kafka`` in its own process group and waits
until an authenticated client gets metadata; ``stop`` sends SIGTERM to every node and waits.

One node by default (the demo and the tests). ``start(nodes=3)`` (``medshare broker start --nodes
3``) runs three nodes from the same jars — node ``i`` on ``MEDSHARE_KAFKA_PORT + 2i`` and
``MEDSHARE_KAFKA_CONTROLLER_PORT + 2i``, a static three-voter controller quorum, folders
``kafka/node-<id>`` — and records the layout in ``kafka/cluster.json``, which every later command
reads (:attr:`medshare.config.Settings.nodes`). Topics then get replication factor 3 and
``min.insync.replicas`` 2 (:mod:`medshare.acls`).

Security: every listener is TLS (TLS 1.2/1.3, certificate from :mod:`medshare.tls`). Clients, and
brokers replicating from each other, use SASL_SSL with SCRAM-SHA-512; the controller listener uses
SASL_SSL with PLAIN for the admin principal (KRaft controllers cannot use SCRAM). There is no
plaintext listener. The authorizer is ``StandardAuthorizer`` with
``allow.everyone.if.no.acl.found=false`` and ``admin`` as the only super user; everything else is
granted by ACLs (:mod:`medshare.acls`). Unclean leader election is off: a replica that was not in
sync never becomes leader, so an acknowledged write is never dropped to keep a partition online.
"""

from __future__ import annotations

import base64
import errno
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

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


@dataclass(frozen=True)
class Node:
    """One local KRaft node (broker and controller in one process)."""

    id: int
    port: int
    controller_port: int
    dir: Path

    @property
    def pid_file(self) -> Path:
        return self.dir / "broker.pid"

    @property
    def logs(self) -> Path:
        return self.dir / "logs"

    @property
    def data(self) -> Path:
        return self.dir / "data"

    @property
    def properties(self) -> Path:
        return self.dir / "server.properties"


def cluster_nodes(cfg: Settings, nodes: int | None = None) -> list[Node]:
    """The local nodes: one in ``kafka/`` itself, or ``kafka/node-<id>`` each for a cluster."""
    n = cfg.nodes if nodes is None else nodes
    ports = cfg.node_ports(n)
    if n == 1:
        return [Node(1, ports[0][0], ports[0][1], cfg.kafka_dir)]
    return [Node(i + 1, p, c, cfg.kafka_dir / f"node-{i + 1}") for i, (p, c) in enumerate(ports)]


@dataclass
class BrokerStatus:
    running: bool
    pid: int | None
    bootstrap: str
    version: str
    home: str
    log: str
    uptime_s: float | None = None
    #: each node: id, pid, port, controller_port, running, uptime_s, log
    nodes: list[dict[str, Any]] = field(default_factory=list)
    #: filled by ``status(detail=True)`` while a node runs: the active controller (the metadata
    #: quorum's leader), the brokers clients see, and partitions with fewer in-sync replicas than
    #: replicas (``under_replicated``) or no leader (``offline``)
    controller: int | None = None
    brokers: list[int] | None = None
    under_replicated: list[dict[str, Any]] | None = None
    offline: list[dict[str, Any]] | None = None

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
def _escape(value: str) -> str:
    """A value for a Java properties file: backslashes doubled, line breaks as ``\n``."""
    return value.replace("\\", "\\\\").replace("\r", "").replace("\n", "\\n")


def _server_properties(cfg: Settings, admin_password: str, node: Node | None = None,
                       nodes: list[Node] | None = None, tls: dict[str, str] | None = None) -> str:
    """The ``server.properties`` of ``node`` in the cluster ``nodes`` (default: the single node).

    ``tls``: the keystore/truststore entries (:meth:`medshare.tls.BrokerTls.keystore_properties`).
    """
    nodes = nodes or cluster_nodes(cfg)
    node = node or nodes[0]
    host = cfg.kafka_host
    rf = min(cfg.topic_replication, len(nodes))
    min_isr = min(cfg.topic_min_isr, rf)
    scram_jaas = (
        'org.apache.kafka.common.security.scram.ScramLoginModule required '
        f'username="admin" password="{admin_password}";'
    )
    plain_jaas = (
        'org.apache.kafka.common.security.plain.PlainLoginModule required '
        f'username="admin" password="{admin_password}" user_admin="{admin_password}";'
    )
    if len(nodes) == 1:
        quorum = f"controller.quorum.bootstrap.servers={host}:{node.controller_port}"
    else:  # a static quorum: every node a voter
        quorum = "controller.quorum.voters=" + ",".join(f"{n.id}@{host}:{n.controller_port}" for n in nodes)
    lines = [
        "# written by `medshare broker start`; edit medshare/broker.py instead",
        "process.roles=broker,controller",
        f"node.id={node.id}",
        quorum,
        f"listeners=SASL_SSL://{host}:{node.port},CONTROLLER://{host}:{node.controller_port}",
        f"advertised.listeners=SASL_SSL://{host}:{node.port}",
        "listener.security.protocol.map=CONTROLLER:SASL_SSL,SASL_SSL:SASL_SSL",
        "inter.broker.listener.name=SASL_SSL",
        "controller.listener.names=CONTROLLER",
        "sasl.enabled.mechanisms=SCRAM-SHA-512",
        "sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512",
        "sasl.mechanism.controller.protocol=PLAIN",
        "listener.name.controller.sasl.enabled.mechanisms=PLAIN",
        f"listener.name.controller.plain.sasl.jaas.config={plain_jaas}",
        f"listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config={scram_jaas}",
        # TLS on every listener; brokers verify each other's certificate and host name too
        "ssl.protocol=TLSv1.3",
        "ssl.enabled.protocols=TLSv1.3,TLSv1.2",
        "ssl.client.auth=none",
        "ssl.endpoint.identification.algorithm=https",
        *(f"{k}={_escape(v)}" for k, v in (tls or {}).items()),
        "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        "allow.everyone.if.no.acl.found=false",
        "super.users=User:admin",
        f"log.dirs={node.data}",
        f"num.partitions={cfg.partitions}",
        # replication: medshare's topics set theirs explicitly (medshare.acls); these cover the
        # broker's internal topics (offsets, transactions) and anything created without them
        f"default.replication.factor={rf}",
        f"min.insync.replicas={min_isr}",
        "unclean.leader.election.enable=false",
        f"offsets.topic.replication.factor={rf}",
        "offsets.topic.num.partitions=6",
        f"transaction.state.log.replication.factor={rf}",
        f"transaction.state.log.min.isr={min_isr}",
        f"share.coordinator.state.topic.replication.factor={rf}",
        f"share.coordinator.state.topic.min.isr={min_isr}",
        "group.initial.rebalance.delay.ms=0",
        "auto.create.topics.enable=false",
        "log.retention.hours=168",
        "log.segment.bytes=67108864",
        "message.max.bytes=2097152",
        # the log cleaner's offset map is one heap buffer (128 MB by default, for every compacted
        # partition of a production cluster): in a 768 MB heap it kept the old generation above
        # G1's occupancy threshold, so every large request (a batch's produce request) started a
        # concurrent marking cycle — ≈ 0.2 ms of broker CPU per claims settlement (docs/claims.md,
        # session 9). 16 MB holds ≈ 700,000 keys of the offsets, transaction and consent topics.
        "log.cleaner.dedupe.buffer.size=16777216",
        "",
    ]
    return "\n".join(lines)


def _java_cmd(cfg: Settings, main_class: str, *args: str, heap: str | None = None,
              node: Node | None = None) -> list[str]:
    where = node.dir if node is not None else cfg.kafka_dir
    return [
        shutil.which("java") or "java",
        *(heap or "-Xmx256m").split(),
        "-XX:+UseG1GC",
        "-Djava.awt.headless=true",
        f"-Dkafka.logs.dir={where / 'logs'}",
        f"-Dlog4j2.configurationFile={where / 'log4j2.yaml'}",
        "-cp",
        str(cfg.kafka_libs / "*"),
        main_class,
        *args,
    ]


def _new_cluster_id() -> str:
    """A KRaft cluster id: 16 random bytes, URL-safe base64 (what ``kafka-storage random-uuid`` prints)."""
    while True:
        cid = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not cid.startswith("-"):
            return cid


def _format_storage(cfg: Settings, nodes: list[Node], creds: dict[str, str], cluster_id: str) -> None:
    """Format every node's storage that is not formatted yet (in parallel: one JVM each)."""
    scram_args: list[str] = []
    for name in CORE_PRINCIPALS:
        scram_args += ["--add-scram", f"SCRAM-SHA-512=[name={name},password={creds[name]}]"]
    standalone = ["--standalone"] if len(nodes) == 1 else []  # a cluster's voters are in its properties
    procs = []
    for node in nodes:
        if (node.data / "meta.properties").exists():
            continue
        procs.append((node, subprocess.Popen(
            _java_cmd(cfg, "kafka.tools.StorageTool", "format", "-t", cluster_id, "-c", str(node.properties),
                      *standalone, *scram_args, node=node),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)))
    for node, proc in procs:
        out, _ = proc.communicate()
        if proc.returncode != 0:
            # the tool prints the SCRAM records it writes: keep passwords out of the error
            lines = [ln for ln in out.splitlines() if "password" not in ln.lower()]
            raise BrokerError(f"formatting KRaft storage of node {node.id} failed: " + "\n".join(lines)[-500:])


# --- lifecycle -------------------------------------------------------------------------------
def _read_pid(node: Node) -> int | None:
    path = node.pid_file
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


def node_pids(cfg: Settings | None = None) -> dict[int, int | None]:
    """``{node id: pid or None}`` of the local nodes."""
    cfg = cfg or settings()
    return {n.id: _read_pid(n) for n in cluster_nodes(cfg)}


def _node_status(cfg: Settings, node: Node) -> dict[str, Any]:
    pid = _read_pid(node)
    up = pid is not None and port_open(cfg.kafka_host, node.port)
    uptime = None
    if pid is not None:
        try:
            uptime = round(time.time() - node.pid_file.stat().st_mtime, 1)
        except OSError:
            pass
    return {"id": node.id, "pid": pid, "port": node.port, "controller_port": node.controller_port,
            "running": up, "uptime_s": uptime, "log": str(node.logs / "server.log")}


def status(cfg: Settings | None = None, detail: bool = False) -> BrokerStatus:
    """Whether every local node runs; ``detail``: also ask the cluster for its controller and for
    partitions that are under-replicated or offline (needs a running node)."""
    cfg = cfg or settings()
    nodes = [_node_status(cfg, n) for n in cluster_nodes(cfg)] if cfg.manages_broker else []
    first = nodes[0] if nodes else {}
    st = BrokerStatus(
        running=bool(nodes) and all(n["running"] for n in nodes), pid=first.get("pid"),
        bootstrap=cfg.bootstrap, version=cfg.kafka_version, home=str(cfg.kafka_dir),
        log=first.get("log", ""), uptime_s=first.get("uptime_s"), nodes=nodes,
    )
    if detail and (any(n["running"] for n in nodes) or not cfg.manages_broker):
        try:
            st.controller, st.brokers, st.under_replicated, st.offline = cluster_health(cfg)
        except Exception as exc:  # noqa: BLE001 - status reports; it does not fail
            st.under_replicated = None
            st.offline = [{"error": f"{type(exc).__name__}: {exc}"}]
    return st


def cluster_health(cfg: Settings | None = None, timeout_ms: int = 10_000) -> tuple[
        int | None, list[int], list[dict[str, Any]], list[dict[str, Any]]]:
    """(active controller, broker ids, under-replicated partitions, offline partitions).

    The controller is the leader of the metadata quorum (DescribeQuorum, KIP-595/919); a partition
    is under-replicated when its in-sync replicas are fewer than its replicas, offline when it has
    no leader.
    """
    from medshare.kafka import admin

    cfg = cfg or settings()
    client = admin(cfg=cfg, request_timeout_ms=timeout_ms, bootstrap_timeout_ms=timeout_ms)
    try:
        try:
            quorum = client.describe_metadata_quorum()
            controller = quorum["topics"][0]["partitions"][0]["leader_id"]
        except Exception:  # noqa: BLE001 - an older broker or a quorum without a leader
            controller = None
        brokers = _unfenced(client)
        under, offline = [], []
        for t in client.describe_topics():
            for p in t["partitions"]:
                row = {"topic": t["topic"] if "topic" in t else t["name"], "partition": p["partition_index"],
                       "leader": p["leader_id"], "replicas": p["replica_nodes"], "isr": p["isr_nodes"]}
                if p["leader_id"] < 0:
                    offline.append(row)
                if len(p["isr_nodes"]) < len(p["replica_nodes"]):
                    under.append(row)
        return controller, brokers, under, offline
    finally:
        client.close()


def _unfenced(client) -> list[int]:
    """Ids of the brokers that serve clients (registered and not fenced)."""
    return sorted(b["broker_id"] for b in client.describe_cluster()["brokers"] if not b.get("is_fenced"))


def _wait_ready(cfg: Settings, procs: dict[int, subprocess.Popen], nodes: list[Node], timeout: float) -> None:
    """Wait until the admin principal can authenticate, list topics and see every node as a broker."""
    from medshare.kafka import admin

    deadline = time.monotonic() + timeout
    last_error = "port never opened"
    while time.monotonic() < deadline:
        for nid, proc in procs.items():
            if proc.poll() is not None:
                node = next(n for n in nodes if n.id == nid)
                raise BrokerError(
                    f"broker node {nid} exited with code {proc.returncode} during start-up; "
                    f"last lines of {node.logs}:\n{_log_tail(node)}"
                )
        if all(port_open(cfg.kafka_host, n.port) for n in nodes):
            try:
                client = admin(cfg=cfg, request_timeout_ms=5000, bootstrap_timeout_ms=5000)
                try:
                    client.list_topics()
                    seen = set(_unfenced(client))
                    if seen >= {n.id for n in nodes}:
                        return
                    last_error = f"brokers {sorted(seen)} registered, waiting for {[n.id for n in nodes]}"
                finally:
                    client.close()
            except Exception as exc:  # noqa: BLE001 - any failure means "not ready yet"
                last_error = f"{type(exc).__name__}: {exc}"
        time.sleep(0.5)
    tails = "\n".join(f"node {n.id}:\n{_log_tail(n)}" for n in nodes)
    raise BrokerError(f"the broker did not become ready within {timeout:.0f}s ({last_error}); "
                      f"see {cfg.kafka_dir}:\n{tails}")


def _log_tail(node: Node, lines: int = 15) -> str:
    out: list[str] = []
    for name in ("server.out", "server.log"):
        path = node.logs / name
        if path.exists():
            out += path.read_text(errors="replace").splitlines()[-lines:]
    return "\n".join(out[-lines:])


def _layout(cfg: Settings, nodes: int | None) -> int:
    """The number of nodes to run, checked against what the storage was formatted for."""
    recorded_file = cfg.kafka_dir / "cluster.json"
    recorded = None
    if recorded_file.exists():
        try:
            recorded = int(json.loads(recorded_file.read_text())["nodes"])
        except (ValueError, KeyError, TypeError):
            recorded = None
    if recorded is None and (cfg.kafka_dir / "data" / "meta.properties").exists():
        recorded = 1  # a single node formatted before cluster.json existed
    if cfg.kafka_nodes is not None and nodes is not None and nodes != cfg.kafka_nodes:
        raise BrokerError(f"--nodes {nodes} contradicts MEDSHARE_KAFKA_NODES={cfg.kafka_nodes}")
    wanted = nodes or cfg.kafka_nodes or recorded or 1
    formatted = any((n.data / "meta.properties").exists() for n in cluster_nodes(cfg, recorded or 1))
    if recorded is not None and wanted != recorded and formatted:
        raise BrokerError(
            f"the local Kafka storage in {cfg.kafka_dir} was formatted for {recorded} node(s), not {wanted}: "
            f"stop it (`medshare broker stop`) and remove {cfg.kafka_dir} (its topics are lost), "
            f"or start it with --nodes {recorded}")
    return wanted


def start(cfg: Settings | None = None, timeout: float = 120.0, quiet: bool = False,
          nodes: int | None = None) -> BrokerStatus:
    """Start the local broker, or every node of the local cluster that is not running (idempotent),
    and make sure topics and core ACLs exist."""
    from medshare import acls, tls

    cfg = cfg or settings()
    if not cfg.manages_broker:
        raise BrokerError(f"MEDSHARE_BOOTSTRAP_SERVERS={cfg.bootstrap_servers}: the broker is external, "
                          "medshare does not start it")
    n = _layout(cfg, nodes)
    layout = cluster_nodes(cfg, n)
    current = {node.id: _node_status(cfg, node) for node in layout}
    if all(c["running"] for c in current.values()) and (cfg.kafka_dir / "cluster.json").exists():
        acls.ensure_core(cfg)
        return status(cfg)
    major = java_version()
    if major < 17:
        raise BrokerError(f"Java {major} found; Kafka {cfg.kafka_version} needs Java 17 or newer")
    to_start = [node for node in layout if current[node.id]["pid"] is None]
    for node in to_start:
        for port in (node.port, node.controller_port):
            if not port_free(cfg.kafka_host, port):
                raise BrokerError(f"port {cfg.kafka_host}:{port} is taken by another process; free it or set "
                                  "MEDSHARE_KAFKA_PORT / MEDSHARE_KAFKA_CONTROLLER_PORT")
    install(cfg, quiet=quiet)

    kdir = private_dir(cfg.kafka_dir)
    cluster_file = kdir / "cluster.json"
    try:
        cluster_id = json.loads(cluster_file.read_text())["cluster_id"]
    except (OSError, ValueError, KeyError):
        cluster_id = _new_cluster_id()
    cluster_file.write_text(json.dumps({"nodes": n, "cluster_id": cluster_id,
                                        "ports": [[x.port, x.controller_port] for x in layout]}) + "\n")
    creds = ensure_credentials(CORE_PRINCIPALS, cfg)
    keystore = tls.ensure_broker_certificate(cfg).keystore_properties()
    for node in layout:
        private_dir(node.dir)
        node.logs.mkdir(exist_ok=True)
        fd = os.open(node.properties, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(_server_properties(cfg, creds["admin"], node, layout, keystore))
        (node.dir / "log4j2.yaml").write_text(_LOG4J2)
    _format_storage(cfg, layout, creds, cluster_id)

    procs: dict[int, subprocess.Popen] = {}
    for node in to_start:
        out = open(node.logs / "server.out", "ab")  # noqa: SIM115 - handed to the child process
        procs[node.id] = subprocess.Popen(
            _java_cmd(cfg, "kafka.Kafka", str(node.properties), heap=cfg.kafka_heap, node=node),
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )
        out.close()
        node.pid_file.write_text(f"{procs[node.id].pid}\n")
    try:
        _wait_ready(cfg, procs, layout, timeout)
    except BrokerError:
        _terminate_all([p.pid for p in procs.values()], 10)
        for node in to_start:
            node.pid_file.unlink(missing_ok=True)
        raise
    acls.ensure_core(cfg)
    return status(cfg)


def _alive(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)  # reap it if it is our child
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _terminate_all(pids: list[int], timeout: float) -> None:
    """SIGTERM to every process group at once (a KRaft node's controlled shutdown needs the others'
    quorum, so stopping them one after another would stall the last), then SIGKILL what is left."""
    for pid in pids:
        try:
            os.killpg(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(_alive(pid) for pid in pids):
        time.sleep(0.2)
    for pid in pids:
        if _alive(pid):
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def _terminate(pid: int, timeout: float) -> None:
    _terminate_all([pid], timeout)


def kill_node(node_id: int, sig: int = signal.SIGKILL, cfg: Settings | None = None) -> int:
    """Send ``sig`` to one local node's process group (the fault tests); returns its pid."""
    cfg = cfg or settings()
    node = next((n for n in cluster_nodes(cfg) if n.id == node_id), None)
    if node is None:
        raise BrokerError(f"no local node {node_id} (nodes: {[n.id for n in cluster_nodes(cfg)]})")
    pid = _read_pid(node)
    if pid is None:
        raise BrokerError(f"node {node_id} is not running")
    os.killpg(pid, sig)
    if sig == signal.SIGKILL:
        deadline = time.monotonic() + 30
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        node.pid_file.unlink(missing_ok=True)
    return pid


def stop(cfg: Settings | None = None, timeout: float = 30.0) -> bool:
    """Stop every local node; returns False if none was running."""
    cfg = cfg or settings()
    running = [(node, pid) for node in cluster_nodes(cfg) if (pid := _read_pid(node)) is not None]
    if not running:
        return False
    _terminate_all([pid for _, pid in running], timeout)
    for node, _ in running:
        node.pid_file.unlink(missing_ok=True)
    return True

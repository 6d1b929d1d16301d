#!/usr/bin/env bash
# Validate docker-compose.yml on a machine that has no Docker Compose (and no Docker engine).
#
#   scripts/compose-check.sh [COMPOSE_FILE]      (default: docker-compose.yml)
#
# Method "compose" (preferred): `docker compose config -q`, with the real Compose. If the docker
# CLI has no compose plugin, Docker Compose is built once from the Go module proxy into
# .cache/compose-check/ (~4-5 min cold on 2 cores; the ~1.4 GB of Go caches are removed after) and run as
# a docker CLI plugin via DOCKER_CONFIG (or standalone when there is no docker CLI).
# Method "schema" (fallback when Compose cannot be built): the Compose Specification JSON schema
# from github.com/compose-spec/compose-go/v2 with Python jsonschema, plus reference checks.
# Both methods also check that every ${VAR} the file interpolates is documented in .env.example.
#
# Environment: COMPOSE_CHECK_METHOD=auto|compose|schema (auto), COMPOSE_VERSION (v2.40.3),
# COMPOSE_CHECK_KEEP_GO_CACHE=1 keeps the Go module/build caches, PYTHON (.venv/bin/python).
# Prints the method used; exits 0 when the file is valid, 1 when it is not, 2 when no method works.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
file=$(realpath "${1:-$root/docker-compose.yml}")
envfile=$root/.env.example
cache=$root/.cache/compose-check
version=${COMPOSE_VERSION:-v2.40.3}
method=${COMPOSE_CHECK_METHOD:-auto}
python=${PYTHON:-$root/.venv/bin/python}
plugin_dir=$cache/docker/cli-plugins
plugin=$plugin_dir/docker-compose
started=$(date +%s)

log() { echo "compose-check: $*" >&2; }
elapsed() { echo "$(( $(date +%s) - started ))s"; }

[[ -f $file ]] || { log "no such file: $file"; exit 1; }
[[ -f $envfile ]] || { log "missing $envfile (it documents the variables the compose file uses)"; exit 1; }
[[ -x $python ]] || { log "no Python at $python (run make install, or set PYTHON)"; exit 2; }
mkdir -p "$cache"

# one build at a time (CI and a local pytest may start together)
exec 9>"$cache/.lock"
command -v flock >/dev/null && flock 9

# --- the checks both methods share -----------------------------------------------------------
check_env_documented() {
  "$python" - "$file" "$envfile" <<'PY'
import re, sys

import yaml

doc = yaml.safe_load(open(sys.argv[1]))
strings = []
def walk(node):
    if isinstance(node, dict):
        for k, v in node.items():
            strings.append(str(k))
            walk(v)
    elif isinstance(node, list):
        for v in node:
            walk(v)
    elif isinstance(node, str):
        strings.append(node)
walk(doc)
text = "\n".join(strings).replace("$$", "")  # $$ is a literal dollar (shell variables in scripts)
used = set(re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", text))
# a secret can take its value from the environment: `environment: NAME` under top-level secrets
used |= {s["environment"] for s in (doc.get("secrets") or {}).values() if isinstance(s, dict) and "environment" in s}
documented = set(re.findall(r"^\s*([A-Za-z_][A-Za-z0-9_]*)=", open(sys.argv[2]).read(), re.M))
missing = sorted(used - documented)
if missing:
    print("compose-check: variables used by the compose file but not documented in .env.example: "
          + ", ".join(missing), file=sys.stderr)
    sys.exit(1)
PY
}

# --- method "compose": the real Docker Compose --------------------------------------------------
native_compose() { command -v docker >/dev/null && docker compose version >/dev/null 2>&1; }

clean_go() {  # the temp module and, unless kept, the Go caches (~1.4 GB; only the binary is needed)
  rm -rf "$1" "$plugin.tmp"
  if [[ ${COMPOSE_CHECK_KEEP_GO_CACHE:-0} != 1 ]]; then
    GOMODCACHE=$2/mod go clean -modcache 2>/dev/null || true
    rm -rf "$2"
  fi
}

build_compose() {
  # Build Docker Compose $version from the Go module proxy into $plugin (once per version).
  if [[ -x $plugin && "$(cat "$plugin_dir/.version" 2>/dev/null)" == "$version" ]]; then
    return 0
  fi
  command -v go >/dev/null || { log "Go is not installed: cannot build Docker Compose"; return 1; }
  local work gocache t0
  t0=$(date +%s)
  work=$(mktemp -d "$cache/build.XXXXXX")
  gocache=$cache/go
  log "building Docker Compose $version from the Go module proxy (first run only, a few minutes) ..."
  mkdir -p "$plugin_dir"
  if ! go_build_compose "$work" "$gocache" >"$cache/build.log" 2>&1; then
    log "building Docker Compose $version failed (last lines of $cache/build.log):"
    tail -n 15 "$cache/build.log" >&2
    clean_go "$work" "$gocache"
    return 1
  fi
  mv "$plugin.tmp" "$plugin"
  echo "$version" > "$plugin_dir/.version"
  clean_go "$work" "$gocache"
  log "built Docker Compose $version in $(( $(date +%s) - t0 ))s -> $plugin"
}

go_build_compose() (
  # A subshell (cd, exports stay here). Every step checks its own status: `set -e` does not apply
  # inside a function called from `if`.
  local work=$1 gocache=$2 pkg=github.com/docker/compose/v2 gomod got
  export GOPATH=$gocache/path GOMODCACHE=$gocache/mod GOCACHE=$gocache/build
  cd "$work" || return 1
  go mod init medshare.local/compose-check || return 1
  # `go install $pkg/cmd@version` refuses compose because its go.mod has exclude directives, so a
  # throw-away module of our own requires it. A dependency's replace/exclude directives do not
  # apply to the main module: copy compose's own into ours before resolving anything.
  gomod=$(go mod download -json "$pkg@$version" | "$python" -c 'import json,sys; m = json.load(sys.stdin); print(m.get("GoMod") or sys.exit(m.get("Error")))') \
    || { echo "cannot download $pkg@$version from the Go module proxy"; return 1; }
  go mod edit -json "$gomod" | "$python" -c '
import json, sys
m = json.load(sys.stdin)
for r in m.get("Replace") or []:
    new = r["New"]
    if new["Path"].startswith((".", "/")):
        print("skipping the local replace of " + r["Old"]["Path"], file=sys.stderr)
        continue
    old = r["Old"]["Path"] + ("@" + r["Old"]["Version"] if r["Old"].get("Version") else "")
    print("-replace=" + old + "=" + new["Path"] + ("@" + new["Version"] if new.get("Version") else ""))
for e in m.get("Exclude") or []:
    print("-exclude=" + e["Path"] + "@" + e["Version"])
' > directives || return 1
  echo "directives copied from compose's go.mod:"; cat directives
  if [[ -s directives ]]; then xargs go mod edit < directives || return 1; fi
  go get "$pkg/cmd@$version" || return 1
  got=$(go list -m -f '{{.Version}}' "$pkg") || return 1
  [[ $got == "$version" ]] || { echo "resolved $pkg $got, wanted $version"; return 1; }
  # -mod=readonly: build exactly what go.mod/go.sum now pin, never re-resolve silently
  go build -mod=readonly -trimpath -ldflags "-s -w -X $pkg/internal.Version=$version" \
    -o "$plugin.tmp" "$pkg/cmd" || return 1
)

run_compose() {
  local -a cmd
  if native_compose; then
    cmd=(docker compose)
    log "method: compose (the docker CLI's own compose plugin: $(docker compose version --short 2>/dev/null))"
  elif command -v docker >/dev/null; then
    cmd=(env "DOCKER_CONFIG=$cache/docker" docker compose)
    log "method: compose (Docker Compose $version built from the Go module proxy, as a docker CLI plugin)"
  else
    cmd=("$plugin")
    log "method: compose (Docker Compose $version built from the Go module proxy, standalone)"
  fi
  # .env.example supplies every variable, so a missing one is an error, not a blank
  "${cmd[@]}" --project-directory "$root" --env-file "$envfile" -f "$file" config -q
}

# --- method "schema": the Compose Specification schema -----------------------------------------
fetch_schema() {
  local schema=$cache/compose-spec.json
  if [[ -s $schema ]]; then echo "$schema"; return 0; fi
  command -v go >/dev/null || { log "Go is not installed: cannot fetch the Compose schema"; return 1; }
  local info dir
  info=$(cd "$cache" && GOMODCACHE=$cache/go-schema GOFLAGS= go mod download -json github.com/compose-spec/compose-go/v2@latest \
         | "$python" -c 'import json,sys; m = json.load(sys.stdin); print(m["Version"], m["Dir"])') || return 1
  dir=${info#* }
  cp "$dir/schema/compose-spec.json" "$schema"
  chmod 644 "$schema"
  log "schema: compose-spec.json of github.com/compose-spec/compose-go/v2 ${info%% *}"
  GOMODCACHE=$cache/go-schema go clean -modcache 2>/dev/null || true
  rm -rf "$cache/go-schema"
  echo "$schema"
}

run_schema() {
  local schema
  schema=$(fetch_schema) || { log "could not fetch the Compose Specification schema"; return 2; }
  log "method: schema (Compose Specification JSON schema + reference checks; not the real Compose)"
  "$python" - "$file" "$envfile" "$schema" <<'PY'
import json, re, sys

import jsonschema
import yaml

path, envfile, schema_path = sys.argv[1:4]
env = {}
for line in open(envfile):
    m = re.match(r"\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$", line)
    if m:
        env[m.group(1)] = m.group(2).strip()

errors = []
pattern = re.compile(r"\$(\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])((?:[^{}]|\{[^{}]*\})*))?\}|([A-Za-z_][A-Za-z0-9_]*))")

def interpolate(value):
    def sub(m):
        if m.group(1) == "$":
            return "$"
        name = m.group(2) or m.group(5)
        op, arg = m.group(3), m.group(4) or ""
        val = env.get(name)
        unset = val is None or (op is not None and op.startswith(":") and val == "")
        if op and op.endswith("-"):
            return interpolate(arg) if unset else val
        if op and op.endswith("?"):
            if unset:
                errors.append(f"required variable {name} is not set: {arg}")
            return val or ""
        if val is None:
            errors.append(f"variable {name} is not set")
        return val or ""
    return pattern.sub(sub, value)

def walk(node):
    if isinstance(node, dict):
        return {k: walk(v) for k, v in node.items()}
    if isinstance(node, list):
        return [walk(v) for v in node]
    if isinstance(node, str):
        return interpolate(node)
    return node

doc = walk(yaml.safe_load(open(path)))
schema = json.load(open(schema_path))
validator = jsonschema.validators.validator_for(schema)(schema)
for err in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path)):
    errors.append(f"{'/'.join(map(str, err.absolute_path)) or '(top)'}: {err.message}")

services = doc.get("services") or {}
for kind in ("volumes", "secrets", "configs", "networks"):
    defined = set(doc.get(kind) or {})
    for name, svc in services.items():
        for ref in svc.get(kind) or []:
            if kind == "volumes":
                src = ref.get("source") if isinstance(ref, dict) else ref.split(":")[0] if ":" in ref else None
                if not src or src.startswith((".", "/", "~")):
                    continue  # a bind mount or an anonymous volume
            else:
                src = ref.get("source") if isinstance(ref, dict) else ref
            if src not in defined:
                errors.append(f"services/{name}/{kind}: {src!r} is not defined under top-level {kind}")
for name, svc in services.items():
    deps = svc.get("depends_on") or []
    for dep in deps if isinstance(deps, list) else deps:
        if dep not in services:
            errors.append(f"services/{name}/depends_on: no service named {dep!r}")
        if dep == name:
            errors.append(f"services/{name}/depends_on: a service cannot depend on itself")
    if "image" not in svc and "build" not in svc:
        errors.append(f"services/{name}: neither image nor build")
for e in errors:
    print(f"compose-check: {e}", file=sys.stderr)
sys.exit(1 if errors else 0)
PY
}

# --- main ------------------------------------------------------------------------------------
check_env_documented || { log "INVALID: $file ($(elapsed))"; exit 1; }

case $method in
  compose|auto)
    if native_compose || build_compose; then
      if run_compose; then
        log "OK: $file is valid ($(elapsed))"
        exit 0
      fi
      log "INVALID: $file ($(elapsed))"
      exit 1
    fi
    if [[ $method == compose ]]; then
      log "Docker Compose is not available and could not be built"
      exit 2
    fi
    log "falling back to the schema check"
    ;&
  schema)
    rc=0
    run_schema || rc=$?
    if [[ $rc == 0 ]]; then log "OK: $file is valid ($(elapsed))"; exit 0; fi
    if [[ $rc == 2 ]]; then exit 2; fi
    log "INVALID: $file ($(elapsed))"
    exit 1
    ;;
  *)
    log "unknown COMPOSE_CHECK_METHOD=$method (auto, compose or schema)"
    exit 2
    ;;
esac

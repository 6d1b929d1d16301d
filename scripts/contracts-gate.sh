#!/usr/bin/env bash
# Breaking-change gate for data contracts (CI runs it on every change to main).
#
#   scripts/contracts-gate.sh [REVISION]
#
# Compares every contracts/odcs/*.yaml of the working tree of the repository you are in with the
# same file at REVISION (default: $CONTRACTS_GATE_BASE, else HEAD~1 - the previous commit of main),
# using `python -m contracts.diff`. New files pass. Exits 1 if any contract has a breaking change
# without a major version bump, or if a contract file was removed; the message names the file, the
# field and why. Exits 0 with a note when REVISION does not exist (the first commit).
#
# Environment: PYTHON (interpreter with medshare importable; default: this checkout's .venv),
# CONTRACTS_DIR (default contracts/odcs).
set -euo pipefail

tool_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo_root="$(git rev-parse --show-toplevel)"
rev="${1:-${CONTRACTS_GATE_BASE:-HEAD~1}}"
dir="${CONTRACTS_DIR:-contracts/odcs}"

python="${PYTHON:-}"
if [[ -z "$python" ]]; then
  if [[ -x "$tool_root/.venv/bin/python" ]]; then python="$tool_root/.venv/bin/python"; else python="python3"; fi
fi

cd "$repo_root"
if ! git rev-parse --verify --quiet "${rev}^{commit}" >/dev/null; then
  echo "contracts-gate: no revision ${rev} to compare with (first commit?): nothing to check"
  exit 0
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# -P: do not put the current directory first on sys.path (the repository checked may have its own
# contracts/ folder); the gate's own code comes from tool_root.
diff_cmd=(env "PYTHONPATH=${tool_root}${PYTHONPATH:+:$PYTHONPATH}" "$python" -P -m contracts.diff)

status=0
checked=0
shopt -s nullglob
for file in "$dir"/*.yaml; do
  checked=$((checked + 1))
  if git cat-file -e "${rev}:${file}" 2>/dev/null; then
    git show "${rev}:${file}" >"$tmp/old.yaml"
    if ! "${diff_cmd[@]}" "$tmp/old.yaml" "$file" --label "$file"; then
      status=1
    fi
  else
    echo "$file: new contract (nothing to compare)"
  fi
done

while IFS= read -r old_file; do
  [[ -z "$old_file" || "$old_file" != *.yaml ]] && continue
  if [[ ! -e "$old_file" ]]; then
    echo "$old_file: ERROR: contract removed since ${rev} - consumers lose their contract (breaking)"
    status=1
  fi
done < <(git ls-tree -r --name-only "$rev" -- "$dir/")

if [[ $status -ne 0 ]]; then
  echo "contracts-gate: FAILED against ${rev} - a breaking change needs a major version bump (and usually a new topic .v<N+1>)"
else
  echo "contracts-gate: ok (${checked} contract(s) checked against ${rev})"
fi
exit $status

#!/usr/bin/env bash
# Runs every ```sh block of README.md's API sections ("## API walk-through" up to "## Operations"),
# top to bottom in one bash -euo pipefail shell, against a running platform:
#   tools/readme/check-walkthrough.sh [base URL, default http://localhost:8080]
# localhost:8080 in the README becomes the base URL's host:port, and the username "alice" a fresh one,
# so the walk-through can run again against the same data. Waits up to 60 s for /health/ready first.
# Needs curl, jq and node.
set -euo pipefail
base=${1:-http://localhost:8080}
authority=${base#*://}
authority=${authority%/}
readme=$(dirname "$0")/../../README.md
user="alice$(date +%s)$RANDOM"

script=$(awk '
  /^## API walk-through/ { inside = 1 }
  /^## Operations/ { inside = 0 }
  inside && /^```sh$/ { block = 1; next }
  block && /^```$/ { block = 0; print ""; next }
  block { print }
' "$readme" | sed -e "s#localhost:8080#${authority}#g" -e "s#username=alice#username=${user}#g")

[ -n "$script" ] || { echo "no sh blocks found in $readme" >&2; exit 1; }
echo "walk-through against ${base} as ${user}" >&2
for _ in $(seq 120); do curl -sf "${base%/}/health/ready" >/dev/null && break; sleep 0.5; done   # up to 60 s for a fresh start
trap_failure='set -E; trap '"'"'echo "walk-through: failed at: $BASH_COMMAND" >&2'"'"' ERR'
if bash -euo pipefail -c "${trap_failure}"$'\n'"${script}"; then
  echo "walk-through: every block ran" >&2
else
  status=$?
  echo "walk-through: failed (exit ${status})" >&2
  exit "$status"
fi

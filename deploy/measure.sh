#!/usr/bin/env bash
# Requests per second and p95 through the topology (deploy/topology.py) with 1, 2 and 4 app
# processes: bench/load.py against https://localhost:8443, on the PostgreSQL database named by
# DATABASE_URL (load it with `sinergi demo --scale national` first). Prints load.py's table per run.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database with the national demo}"
SECONDS_PER_RUN=${SECONDS_PER_RUN:-30}
USERS=${USERS:-10}
WORK=${WORK:-$PWD/data/topology}
for processes in ${PROCESSES:-1 2 4}; do
  .venv/bin/python deploy/topology.py up --processes "$processes" --workers 1 --workdir "$WORK" >/dev/null
  echo "=== $processes app process(es) behind nginx; load average $(cut -d' ' -f1 /proc/loadavg)"
  REQUESTS_CA_BUNDLE="$WORK/tls/sinergi.crt" .venv/bin/python bench/load.py \
    --url https://localhost:8443 --users "$USERS" --seconds "$SECONDS_PER_RUN" || true
  .venv/bin/python deploy/topology.py down --workdir "$WORK" >/dev/null
done

#!/usr/bin/env bash
# Unit tests: upstream's own tests of the patched package, the tests each patch
# adds, and ours. Prints every top-level test by name (so the upstream ones are
# visible) and keeps the full verbose log in _output/unit-test.log.
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "${REPO_ROOT}" || exit 1
mkdir -p "${OUTPUT_DIR}"
logfile="${OUTPUT_DIR}/unit-test.log"

rc=0
# e2e/framework's own tests need no cluster (its helpers' pure parts).
"${GO}" test -v ./cmd/... ./pkg/... ./bench/... ./e2e/framework/ >"${logfile}" 2>&1 || rc=$?
# Top-level tests are the unindented "--- PASS/FAIL/SKIP" lines; the seeded
# fault simulation (pkg/sim) adds its seeds and time.
grep -E '^(--- (PASS|FAIL|SKIP)|ok |FAIL|panic:)|sim_test.go:[0-9]+: simulation: ' "${logfile}" || true
if ((rc != 0)); then
  log ""
  log "unit tests failed; failing tests from ${logfile#"${REPO_ROOT}/"}:"
  grep -E -B2 -A30 '^\s*--- FAIL' "${logfile}" | head -n 400 >&2 || tail -n 100 "${logfile}" >&2
  exit "${rc}"
fi
passed="$(grep -cE '^\s*--- PASS' "${logfile}" || true)"
log "unit: ${passed} tests and subtests passed (full log: ${logfile#"${REPO_ROOT}/"})"

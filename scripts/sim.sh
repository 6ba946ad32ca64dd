#!/usr/bin/env bash
# The seeded fault simulation (pkg/sim) over as many seeds as asked:
#   SEEDS (default 1000), FIRST_SEED (1), STEPS (60), FAULTS (all), RACE=1 for -race,
#   TRACES=0 to print a failing seed's violations and replay command without its trace.
# make sim WITHOUT=0022 runs it against the series without patch 0022 (make
# patch reads WITHOUT); run make patch afterwards to restore the package.
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "${REPO_ROOT}" || exit 1
# -v: the summary (seeds, time, findings by kind) prints on a clean run too.
args=(-run 'TestSimulation$' -count=1 -timeout 0 -v)
[[ "${RACE:-}" == 1 ]] && args+=(-race)
faults="${FAULTS:-api,leader,crash,stale,coalesce,latecommit}"
traces=true
[[ "${TRACES:-1}" == 0 ]] && traces=false
start="$(date +%s)"
rc=0
"${GO}" test ./pkg/sim/ "${args[@]}" -args \
  -sim.seeds="${SEEDS:-1000}" -sim.seed="${FIRST_SEED:-1}" -sim.steps="${STEPS:-60}" -sim.faults="${faults}" -sim.traces="${traces}" || rc=$?
log "sim: ${SEEDS:-1000} seeds from ${FIRST_SEED:-1} in $(($(date +%s) - start))s${WITHOUT:+ without patch(es) ${WITHOUT}}"
exit "${rc}"

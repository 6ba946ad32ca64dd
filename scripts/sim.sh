#!/usr/bin/env bash
# The seeded fault simulation (pkg/sim) over as many seeds as asked:
#   SEEDS (default 1000), FIRST_SEED (1), STEPS (60), FAULTS (all), RACE=1 for -race,
#   TRACES=0 to print a failing seed's violations and replay command without its trace,
#   JOBS=N to split the seeds over N processes (default 1; a long run wants the cores).
# make sim WITHOUT=0022 runs it against the series without patch 0022 (make
# patch reads WITHOUT); run make patch afterwards to restore the package.
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "${REPO_ROOT}" || exit 1
# -v: the summary (seeds, time, findings by kind) prints on a clean run too.
args=(-run 'TestSimulation$' -count=1 -timeout 0 -v)
race=()
[[ "${RACE:-}" == 1 ]] && race=(-race)
faults="${FAULTS:-api,leader,crash,stale,coalesce,latecommit,restore,foreign,twin,dst}"
traces=true
[[ "${TRACES:-1}" == 0 ]] && traces=false
seeds="${SEEDS:-1000}"
first="${FIRST_SEED:-1}"
jobs="${JOBS:-1}"
simargs=(-sim.steps="${STEPS:-60}" -sim.faults="${faults}" -sim.traces="${traces}")
start="$(date +%s)"
rc=0
if (( jobs <= 1 )); then
  "${GO}" test ./pkg/sim/ "${args[@]}" "${race[@]}" -args -sim.seeds="${seeds}" -sim.seed="${first}" "${simargs[@]}" || rc=$?
else
  # JOBS processes of one test binary, each a consecutive part of the seeds
  # (a seed's outcome does not depend on the process it runs in); their
  # output, part after part, once all have ended.
  dir="$(mktemp -d)"
  trap 'rm -rf "${dir}"' EXIT
  "${GO}" test -c -o "${dir}/sim.test" "${race[@]}" ./pkg/sim/
  per=$(( (seeds + jobs - 1) / jobs ))
  pids=()
  for (( i = 0; i < jobs; i++ )); do
    from=$(( first + i * per ))
    n=$(( seeds - i * per < per ? seeds - i * per : per ))
    (( n > 0 )) || break
    (cd pkg/sim && exec "${dir}/sim.test" -test.run 'TestSimulation$' -test.count=1 -test.timeout=0 -test.v \
      -sim.seeds="${n}" -sim.seed="${from}" "${simargs[@]}") > "${dir}/part-${i}.log" 2>&1 &
    pids+=("$!")
  done
  for i in "${!pids[@]}"; do
    wait "${pids[${i}]}" || rc=$?
    cat "${dir}/part-${i}.log"
  done
fi
log "sim: ${seeds} seeds from ${first} in $(($(date +%s) - start))s${WITHOUT:+ without patch(es) ${WITHOUT}}, ${jobs} process(es)"
exit "${rc}"

#!/usr/bin/env bash
# Negative controls of the seeded fault simulation (pkg/sim): the simulation
# must find the bugs that the fixes of the series remove. For each control it
# builds the package without the fix, runs SEEDS seeds (default 150) with the
# default steps and faults (and the seeds recorded in pkg/sim/sim_test.go
# beyond them), and compares the seeds per kind of finding with
# those of the full series over the same seeds. A control passes when the
# kind it names has more seeds without the fix. The package is generated
# again from the whole series at the end.
#
# Controls:
#   0022      patch 0022 (DecisionsSince) cannot be left out either (the
#             carry 0026's test hunks build on it), so the generated package
#             ignores Options.DecisionsSince: each process counts from its
#             own start, as without the patch.
#   adoption  patch 0005 cannot be left out (the test hunks of later patches
#             build on it), so its two changes are switched off in the
#             generated package instead: an unfinished Job missing from
#             status.active is not adopted (upstream only warns), and a
#             finished one does not record its scheduled time.
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "${REPO_ROOT}" || exit 1
seeds="${SEEDS:-150}"
work="$(mktemp -d "${TMPDIR:-/tmp}/steadycron-sim-negative.XXXXXX")"
full_series() { WITHOUT='' scripts/patch-apply.sh; }
trap 'rm -rf "${work}"; full_series' EXIT

# kinds LOG: "count<TAB>kind<TAB>example seeds" per kind of finding.
kinds() {
  # A clean run has no findings by kind: grep then matches nothing.
  sed -n '/findings by kind/,/^--- /p' "$1" | { grep -E 'seed\(s\), e\.g\.' || true; } |
    sed -E 's/^[[:space:]]+//; s/^(.*): ([0-9]+) seed\(s\), e\.g\. (.*)$/\2\t\1\t\3/'
}

# run NAME: the simulation over the generated package, its log in work/NAME.log.
run() {
  "${GO}" test ./pkg/sim/ -run 'TestSimulation$' -count=1 -v -timeout 0 -args \
    -sim.seeds="${seeds}" -sim.traces=false >"${work}/$1.log" 2>&1 || true
  grep -q 'sim_test.go:[0-9]*: simulation: ' "${work}/$1.log" || {
    tail -n 30 "${work}/$1.log" >&2
    die "sim-negative: the simulation did not run for $1"
  }
  kinds "${work}/$1.log" >"${work}/$1.kinds"
  [[ "$1" == full ]] && return
  log "sim-negative $1: findings by kind over seeds 1-${seeds} (full series → $1):"
  join -t$'\t' -1 2 -2 2 -a 1 -a 2 -e 0 -o 0,1.1,2.1 \
    <(sort -t$'\t' -k2,2 "${work}/full.kinds") <(sort -t$'\t' -k2,2 "${work}/$1.kinds") |
    awk -F'\t' '{printf "  %-80s %5s → %s\n", $1, $2, $3}' >&2
}

# check NAME KIND: KIND has more seeds in NAME's run than in the full series'.
rc=0
check() {
  local base got
  base="$(awk -F'\t' -v k="$2" '$2 == k {print $1}' "${work}/full.kinds")"
  got="$(awk -F'\t' -v k="$2" '$2 == k {print $1 " seed(s), e.g. " $3}' "${work}/$1.kinds")"
  if [[ -n "${got}" && "${got%% *}" -gt "${base:-0}" ]]; then
    log "sim-negative $1: found: ${2}: ${got} (full series: ${base:-0})"
  else
    log "sim-negative $1: NOT found: ${2} (full series: ${base:-0}, without the fix: ${got:-0})"
    rc=1
  fi
}

full_series
run full

controller="${GENERATED_DIR}/cronjob_controllerv2.go"
utils="${GENERATED_DIR}/utils.go"
sed -i 's/^\tjm.decisionsSince = opts.DecisionsSince$/\tjm.decisionsSince = time.Time{} \/\/ sim-negative: no DecisionsSince/' "${controller}"
grep -q 'sim-negative: no DecisionsSince' "${controller}" ||
  die "sim-negative: Options.DecisionsSince of patch 0022 is no longer where this script switches it off"
run 0022
check 0022 "fewer outcomes than scheduled times"

full_series
sed -i 's/^\t\tif unlistedJob(cronJob, j) {$/\t\tif false \&\& unlistedJob(cronJob, j) {/' "${controller}"
sed -i '/^func recordScheduledTime(/a\	return false // sim-negative: no record of a finished Job' "${utils}"
if ! grep -q 'if false && unlistedJob(cronJob, j)' "${controller}" || ! grep -q 'sim-negative' "${utils}"; then
  die "sim-negative: the adoption of patch 0005 is no longer where this script switches it off"
fi
run adoption
check adoption "Forbid: a Job created while another of the CronJob was unfinished"
check adoption "Replace: a Job created while another of the CronJob was unfinished"
check adoption "status.active is not the unfinished Jobs once faults stopped"
exit "${rc}"

#!/usr/bin/env bash
# Reproduce the bug of docs/upstream/mostrecentscheduletime-bug.md in upstream's
# own package: copy k8s.io/kubernetes pkg/controller/cronjob at the pinned
# version into a scratch module, drop the reproduction test in, and run it
# twice: on the stock package (it must FAIL: that is the bug) and with the
# patch the report proposes applied alone (patches/GROUPS, repro=; it must
# PASS). Exits non-zero if either outcome differs, so the bug report's
# reproduction cannot go stale unnoticed.
#
# Usage: scripts/upstream-repro.sh [--brief | --bench]
#   --brief  one line per run (make verify uses it)
#   --bench  also run BenchmarkReproMostRecentScheduleTime on both packages
#            (BENCH_COUNT, default 3, and BENCH_TIME, default 1s)
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

brief=0 bench=0
case "${1:-}" in
  --brief) brief=1 ;;
  --bench) bench=1 ;;
  "") ;;
  *) die "usage: $0 [--brief | --bench]" ;;
esac

readonly REPRO_DIR="${REPO_ROOT}/docs/upstream/testdata"
readonly REPRO_RUN='^TestSyncCronJobRunsMostRecentMissedStartTime$'

work="$(mktemp -d "${TMPDIR:-/tmp}/steadycron-repro.XXXXXX")"
trap 'rm -rf "${work}"' EXIT

version="$(kube_version)"
# One git repo: tag "baseline" is upstream's package, one commit per patch.
make_series_repo "${work}/tree"
# The patch the bug report proposes (patches/GROUPS, repro=), alone on the
# stock package: the repro is run against exactly what would be sent.
fix="$(repro_patch)"
fix_name="$(basename "$(patch_files | sed -n "${fix}p")")"

# run_repro DIR LOG: run the reproduction test; returns go test's exit code.
run_repro() {
  local dir="$1" logfile="$2"
  scratch_test "${dir}" -count=1 -v -run "${REPRO_RUN}" "./${UPSTREAM_PKG}/" >"${logfile}" 2>&1
}

# outcome LOG: the test's verdict lines and messages, indented (none with --brief).
outcome() {
  ((brief)) && return 0
  grep -E '^\s*(--- (PASS|FAIL)|[a-z_]+_test\.go:[0-9]+:)' "$1" | sed -e 's/^/    /' >&2 || true
}

# cases LOG VERDICT: how many cases (subtests) ended with VERDICT, of how many.
cases() {
  local n all
  n="$(grep -cE "^    --- $2: " "$1" || true)"
  all="$(grep -cE '^    --- (PASS|FAIL): ' "$1" || true)"
  printf '%s of %s cases' "${n}" "${all}"
}

failed=0
scratch_module "${work}/tree" "${work}/stock" baseline "${REPRO_DIR}"/mostrecentscheduletime_*_test.go
((brief)) || log "upstream-repro: ${UPSTREAM_MODULE} ${version} ${UPSTREAM_PKG}, stock"
if run_repro "${work}/stock" "${work}/stock.log"; then
  outcome "${work}/stock.log"
  log "upstream-repro: stock ${version} PASSES the reproduction test: the bug is not reproduced (unexpected)"
  failed=1
elif grep -qE '^--- FAIL: ' "${work}/stock.log" && ! grep -q 'setup error' "${work}/stock.log"; then
  outcome "${work}/stock.log"
  log "upstream-repro: stock ${UPSTREAM_MODULE} ${version} FAILS the reproduction test ($(cases "${work}/stock.log" FAIL) fail), as expected: this is the bug"
else
  tail -n 40 "${work}/stock.log" >&2
  log "upstream-repro: the reproduction test did not run on stock ${version} (see above)"
  failed=1
fi

scratch_module "${work}/tree" "${work}/patched" "$(series_ref "${work}/tree" "${fix}")" "${REPRO_DIR}"/mostrecentscheduletime_*_test.go
((brief)) || log "upstream-repro: ${UPSTREAM_MODULE} ${version} ${UPSTREAM_PKG} with ${fix_name} alone"
if run_repro "${work}/patched" "${work}/patched.log"; then
  outcome "${work}/patched.log"
  log "upstream-repro: ${version} with ${fix_name} alone PASSES the reproduction test ($(cases "${work}/patched.log" PASS) pass), as expected"
else
  tail -n 40 "${work}/patched.log" >&2
  log "upstream-repro: patched ${version} FAILS the reproduction test (unexpected)"
  failed=1
fi

# run_bench NAME DIR: the benchmark, its result lines only.
run_bench() {
  log "upstream-repro: BenchmarkReproMostRecentScheduleTime, $1"
  scratch_test "$2" -count="${BENCH_COUNT:-3}" -run XXX \
    -bench BenchmarkReproMostRecentScheduleTime -benchtime "${BENCH_TIME:-1s}" -benchmem "./${UPSTREAM_PKG}/" |
    grep -E '^(Benchmark|goos|goarch|cpu)' >&2
}
if ((bench)); then
  run_bench "stock ${version}" "${work}/stock"
  run_bench "${version} with ${fix_name}" "${work}/patched"
fi

((failed == 0)) || die "upstream-repro: unexpected outcome"

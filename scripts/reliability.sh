#!/usr/bin/env bash
# `make reliability`: the reliability suite (e2e/reliability) with its long
# variants, then each fuzz target of the schedule math and of the annotation
# parsing for FUZZTIME (default 10m), one core each. docs/reliability.md
# lists the scenarios and the figures.
#
# Environment:
#   E2E_RELIABILITY_N   CronJobs per burst (default 500 in the long variant)
#   E2E_RELIABILITY_RUNNING_N  CronJobs per concurrency policy whose Jobs keep
#                       running, in the failover test (default 300 in the long variant)
#   FUZZTIME            go test -fuzztime per target (default 10m; 0 skips fuzzing)
#   E2E_TIMEOUT         go test -timeout of the suite (default 60m)
#   and everything scripts/e2e.sh reads.
set -o errexit -o nounset -o pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"

E2E_RELIABILITY_LONG=true E2E_PKGS=./e2e/reliability/ E2E_TIMEOUT="${E2E_TIMEOUT:-60m}" scripts/e2e.sh "$@"

fuzztime="${FUZZTIME:-10m}"
if [[ "${fuzztime}" == "0" ]]; then
  exit 0
fi
for target in "FuzzMostRecentScheduleTime ./pkg/controller/cronjob/" \
  "FuzzJobTimeAnnotations ./pkg/controller/jobtracker/" \
  "FuzzAppContainer ./pkg/controller/jobtracker/"; do
  read -r name pkg <<<"${target}"
  echo "reliability: go test -run XXX -fuzz ^${name}\$ -fuzztime ${fuzztime} -parallel 1 ${pkg}" >&2
  go test -run XXX -fuzz "^${name}\$" -fuzztime "${fuzztime}" -parallel 1 "${pkg}"
done

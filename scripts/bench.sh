#!/usr/bin/env bash
# Runs the scale benchmark (docs/benchmarks.md): N CronJobs due at the
# same minute mark, in each mode on a fresh local control plane from
# _output/bin. Prints a table; writes _output/bench/<run-id>/results.json and
# each mode's process logs beside it. Extra arguments go to cronbench.
#
# Environment:
#   BENCH_N        number of CronJobs (default 1000)
#   BENCH_MODES    comma-separated: stock,steadycron,budget,raw (default: all four);
#                  or the pipeline modes, whose Jobs run pods (docs/benchmarks.md,
#                  "Pipeline"): pipe-stock,pipe-steadycron,pipe-fast,pipe-stock-fast
#   BENCH_WINDOW   how long after the mark to wait for all N Jobs (default 115s)
#   BENCH_MARKS    consecutive minute marks to measure (default 1; the later
#                  ones show CronJobs firing every minute in steady state)
#   BENCH_RUN_ID   output goes to _output/bench/<run-id> (default: a timestamp)
#   BENCH_MAX_LOAD refuse to start when the 1-minute load average is above
#                  this (default 1.5; 0 disables the check): the figures are
#                  timings on a shared machine
set -o errexit -o nounset -o pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

bench_preflight bench "the timings"

go build -o _output/bin/cronbench ./bench/cmd/cronbench
exec _output/bin/cronbench \
  -n "${BENCH_N:-1000}" \
  -modes "${BENCH_MODES:-stock,steadycron,budget,raw}" \
  -window "${BENCH_WINDOW:-115s}" \
  -marks "${BENCH_MARKS:-1}" \
  -run-id "${BENCH_RUN_ID:-$(date +%Y%m%d-%H%M%S)}" \
  "$@"

#!/usr/bin/env bash
# Runs the memory benchmark (docs/benchmarks.md, "Memory at size"): on one
# local control plane from _output/bin, 10,000 CronJobs with 30,000 finished
# Jobs and 10,000 pods of theirs, then 20,000 pods of other workloads;
# steadycron's RSS and CPU at steady state against the floor
# (bench/cmd/cachefloor: the same informers and transforms, nothing else),
# once without the foreign pods and MEMORY_ROUNDS times with them. Prints a
# table; writes _output/bench/<run-id>/memory.json and the processes' logs
# beside it. Extra arguments go to memorybench (-cronjobs, -foreign-pods,
# -profile, -variant NAME=FLAGS..., ...).
#
# Environment:
#   MEMORY_ROUNDS   measurements of each program with the foreign pods (default 3)
#   MEMORY_SETTLE   wait after the informers synced (default 60s)
#   MEMORY_WINDOW   measurement window (default 120s: the Go runtime forces a
#                   garbage collection every 2 minutes in an idle process, so
#                   each window holds one in each program)
#   BENCH_RUN_ID    output goes to _output/bench/<run-id> (default: a timestamp)
#   BENCH_MAX_LOAD  refuse to start when the 1-minute load average is above
#                   this (default 1.5; 0 disables the check)
set -o errexit -o nounset -o pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

bench_preflight bench-memory "CPU figures"

go build -o _output/bin/cachefloor ./bench/cmd/cachefloor
go build -o _output/bin/memorybench ./bench/cmd/memorybench
exec _output/bin/memorybench \
  -rounds "${MEMORY_ROUNDS:-3}" \
  -settle "${MEMORY_SETTLE:-60s}" \
  -window "${MEMORY_WINDOW:-120s}" \
  -run-id "${BENCH_RUN_ID:-memory-$(date +%Y%m%d-%H%M%S)}" \
  "$@"

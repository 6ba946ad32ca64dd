#!/usr/bin/env bash
# Runs the steady-state benchmark (docs/benchmarks.md, "Steady state"): on one
# local control plane from _output/bin (kube-scheduler and kwok nodes run the
# pods), STEADY_N CronJobs of a realistic mix of schedules, each with one
# finished Job of history, under steadycron for a window of STEADY_DURATION
# of real time. Checks that every scheduled time in the window got exactly one
# Job, prints the creation skew per minute mark and steadycron's RSS, CPU and
# queue depths by third of the window, and fails when the last third grew
# against the first. Writes _output/bench/<run-id>/steady.json (findings.txt
# when a time got no Job or two) and the processes' logs beside it. Extra
# arguments go to steadybench (-catch-up, -kcm-args, -pod-run-for,
# -max-rss-ratio, ...).
#
# To measure the top of an hour, start it so that the window (it begins on
# the first whole minute at least 60s, steadybench's -warmup, after
# steadycron is ready, or after the catch-up with -catch-up; 2-3 minutes after
# the start without it) spans minute 0: e.g. at hh:45 with the default
# duration, or give -window-from.
#
# Environment:
#   STEADY_N         CronJobs (default 2000)
#   STEADY_DURATION  the window (default 21m: thirds of 7 minutes, so that
#                    the first and last hold as many */5 marks when it starts
#                    at hh:48)
#   STEADY_INTERVAL  sampling interval (default 10s)
#   BENCH_RUN_ID     output goes to _output/bench/<run-id> (default: a timestamp)
#   BENCH_MAX_LOAD   refuse to start when the 1-minute load average is above
#                    this (default 1.5; 0 disables the check)
set -o errexit -o nounset -o pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

bench_preflight bench-steady "CPU figures"

go build -o _output/bin/steadybench ./bench/cmd/steadybench
exec _output/bin/steadybench \
  -cronjobs "${STEADY_N:-2000}" \
  -duration "${STEADY_DURATION:-21m}" \
  -interval "${STEADY_INTERVAL:-10s}" \
  -run-id "${BENCH_RUN_ID:-steady-$(date +%Y%m%d-%H%M%S)}" \
  "$@"

/*
Copyright 2026 The steadycron Authors.

Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software
distributed under the License is distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and
limitations under the License.
*/

// Command steadybench runs steadycron with N CronJobs of a realistic mix of
// schedules for a window of real time, on one local control plane whose
// kube-scheduler and kwok nodes run the Jobs' pods. It checks that every
// scheduled time in the window got exactly one Job, reports the creation
// skew per minute mark, and samples steadycron's RSS, CPU and workqueue
// depths to check they do not grow. It prints tables and writes
// _output/bench/<run>/steady.json. scripts/bench-steady.sh runs it;
// docs/benchmarks.md ("Steady state") explains the figures.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"k8s.io/klog/v2"

	"github.com/steadycron/steadycron/bench"
)

func main() {
	var (
		cronJobs   = flag.Int("cronjobs", 2000, "CronJobs, with the benchmark's mix of schedules")
		duration   = flag.Duration("duration", 21*time.Minute, "the window whose scheduled times are checked")
		catchUp    = flag.Bool("catch-up", false, "leave every CronJob's last scheduled time missed and, before the window, wait until steadycron ran them and their Jobs finished (every CronJob then ran once under this process)")
		warmup     = flag.Duration("warmup", 60*time.Second, "at least this long between steadycron's readiness (or, with -catch-up, the end of the catch-up) and the window, which starts on a whole minute")
		warmupMax  = flag.Duration("warmup-timeout", 20*time.Minute, "with -catch-up: give up when the catch-up takes longer")
		windowFrom = flag.String("window-from", "", "start the window at this time (RFC3339, or HH:MM UTC today) if the warm-up is over by then")
		settle     = flag.Duration("settle", 90*time.Second, "wait after the window for the Jobs of its last times")
		interval   = flag.Duration("interval", 10*time.Second, "sampling interval of steadycron's RSS, CPU and queues")
		runFor     = flag.Duration("pod-run-for", 5*time.Second, "how long each Job's pod runs")
		namespaces = flag.Int("namespaces", 10, "namespaces the CronJobs are spread over")
		inFlight   = flag.Int("in-flight", 32, "concurrent requests while populating")
		rssRatio   = flag.Float64("max-rss-ratio", bench.DefaultGrowthLimits.RSSRatio, "the last third's median RSS over the first's, at most")
		cpuRatio   = flag.Float64("max-cpu-ratio", bench.DefaultGrowthLimits.CPURatio, "the last third's CPU over the first's, at most")
		depthSlack = flag.Float64("max-depth-increase", bench.DefaultGrowthLimits.DepthSlack, "each queue's median depth in the last third over the first's, at most this many items more")
		out        = flag.String("out", "", "output dir (default _output/bench/<run-id>)")
		runID      = flag.String("run-id", "steady-"+time.Now().Format("20060102-150405"), "run id")
		scArgs     = flag.String("steadycron-args", "", "extra flags for steadycron (space-separated)")
		kcmArgs    = flag.String("kcm-args", "", "extra flags for kube-controller-manager (space-separated), e.g. \""+strings.Join(bench.KCMFastArgs, " ")+"\" (docs/operations.md); empty, kcm runs at its defaults")
	)
	klog.InitFlags(nil)
	flag.Parse()
	if *cronJobs < 1 || *namespaces < 1 || *inFlight < 1 || *duration < time.Minute || *interval <= 0 || *duration < 6**interval ||
		*settle < 0 || *warmup < 0 || *runFor <= 0 {
		fmt.Fprintln(os.Stderr, "steadybench: need -cronjobs, -namespaces, -in-flight >= 1, -duration >= 1m and >= 6 x -interval > 0, -settle, -warmup >= 0, -pod-run-for > 0")
		os.Exit(2)
	}
	cfg := bench.SteadyConfig{
		CronJobs: *cronJobs, Duration: *duration, Warmup: *warmup, Settle: *settle, Interval: *interval, RunFor: *runFor,
		Namespaces: *namespaces, InFlight: *inFlight,
		Limits:         bench.GrowthLimits{RSSRatio: *rssRatio, CPURatio: *cpuRatio, DepthSlack: *depthSlack},
		SteadycronArgs: strings.Fields(*scArgs),
		KCMArgs:        strings.Fields(*kcmArgs),
	}
	var err error
	if cfg.WindowFrom, err = parseWindowFrom(*windowFrom, time.Now()); err != nil {
		fmt.Fprintln(os.Stderr, "steadybench: -window-from:", err)
		os.Exit(2)
	}
	cfg.WarmupTimeout, cfg.CatchUp = *warmupMax, *catchUp
	if cfg.OutDir, err = bench.OutDir(*out, *runID); err != nil {
		fmt.Fprintln(os.Stderr, "steadybench:", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	res := &bench.SteadyResults{RunID: *runID, Started: time.Now().UTC(), Machine: bench.DescribeMachine()}
	res.Config.CronJobs, res.Config.Duration, res.Config.RunFor = cfg.CronJobs, cfg.Duration.String(), cfg.RunFor.String()
	res.Config.Interval, res.Config.Limits, res.Config.SteadycronArgs = cfg.Interval.String(), cfg.Limits, cfg.SteadycronArgs
	res.Config.CatchUp, res.Config.KCMArgs = cfg.CatchUp, cfg.KCMArgs
	fmt.Fprintf(os.Stderr, "steadybench: run %s, %d CronJobs, window %s, output %s, load %s\n",
		*runID, cfg.CronJobs, cfg.Duration, cfg.OutDir, res.Machine.LoadAvgPre)
	runErr := bench.RunSteady(ctx, cfg, res)
	res.Machine.LoadAvgPost = bench.LoadAvg()
	if runErr != nil {
		res.Incomplete = runErr.Error()
	}
	path, err := bench.WriteSteadyJSON(cfg.OutDir, res)
	if err != nil {
		fmt.Fprintln(os.Stderr, "steadybench: writing results:", err)
	}
	bench.PrintSteady(os.Stdout, res)
	fmt.Printf("\nresults: %s\n", path)
	if runErr != nil || err != nil || !res.OK() {
		os.Exit(1)
	}
}

// parseWindowFrom reads -window-from: empty (zero time), RFC3339, or HH:MM
// in UTC on now's day (UTC).
func parseWindowFrom(v string, now time.Time) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	hm, err := time.Parse("15:04", v)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is neither RFC3339 nor HH:MM", v)
	}
	y, m, d := now.UTC().Date()
	return time.Date(y, m, d, hm.Hour(), hm.Minute(), 0, 0, time.UTC), nil
}

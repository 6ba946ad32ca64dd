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

// Command memorybench measures steadycron's memory and CPU at size against a
// floor (bench/cmd/cachefloor: the same informers and transforms, nothing
// else) on one local control plane. It prints a table and writes
// _output/bench/<run>/memory.json. scripts/bench-memory.sh runs it;
// docs/benchmarks.md ("Memory at size") explains the figures.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"k8s.io/klog/v2"

	"github.com/steadycron/steadycron/bench"
)

func main() {
	var (
		cronJobs    = flag.Int("cronjobs", 10000, "CronJobs (each with -jobs-per-cronjob finished Jobs and one pod)")
		jobsPer     = flag.Int("jobs-per-cronjob", 3, "finished Jobs per CronJob (its successfulJobsHistoryLimit)")
		foreignPods = flag.Int("foreign-pods", 20000, "running pods of workloads that are not CronJobs")
		namespaces  = flag.Int("namespaces", 10, "namespaces for the CronJobs, and as many for the foreign pods")
		rounds      = flag.Int("rounds", 3, "measurements of each program with the foreign pods (medians)")
		settle      = flag.Duration("settle", 60*time.Second, "wait after the informers synced before the window")
		window      = flag.Duration("window", 120*time.Second, "measurement window (the Go runtime forces a garbage collection every 2 minutes in an idle process: a window of 120 s or more holds one in each program)")
		interval    = flag.Duration("interval", 2*time.Second, "RSS sampling interval in the window")
		inFlight    = flag.Int("in-flight", 64, "concurrent requests while populating")
		floorBin    = flag.String("floor", filepath.Join("_output", "bin", "cachefloor"), "the cachefloor binary")
		out         = flag.String("out", "", "output dir (default _output/bench/<run-id>)")
		runID       = flag.String("run-id", time.Now().Format("20060102-150405"), "run id")
		scArgs      = flag.String("steadycron-args", "", "extra flags for steadycron (space-separated)")
		profile     = flag.Bool("profile", false, "take a CPU profile of each program (steadycron and the floor) over each window and a goroutine dump and heap profile at its end, into <out>/profiles (the profiler costs CPU of its own)")
	)
	var variants []bench.Variant
	flag.Func("variant", "a steadycron variant to measure beside the default in every round with foreign pods, each after a window of the floor, e.g. -variant 'no-election=--leader-elect=false' or -variant 'gogc200=GOGC=200': NAME=WORDS, a word starting with - is a flag, KEY=value an environment variable; repeatable; not part of the verdict",
		func(s string) error {
			v, err := bench.ParseVariant(s)
			if err != nil {
				return err
			}
			for _, o := range variants {
				if o.Name == v.Name {
					return fmt.Errorf("variant %q given twice", v.Name)
				}
			}
			variants = append(variants, v)
			return nil
		})
	klog.InitFlags(nil)
	flag.Parse()
	if *cronJobs < 1 || *jobsPer < 1 || *foreignPods < 0 || *namespaces < 1 || *rounds < 1 || *inFlight < 1 ||
		*window < *interval || *interval <= 0 || *settle < 0 {
		fmt.Fprintln(os.Stderr, "memorybench: need -cronjobs, -jobs-per-cronjob, -namespaces, -rounds, -in-flight >= 1, -foreign-pods >= 0, -window >= -interval > 0, -settle >= 0")
		os.Exit(2)
	}
	cfg := bench.MemoryConfig{
		CronJobs: *cronJobs, JobsPerCronJob: *jobsPer, ForeignPods: *foreignPods, Namespaces: *namespaces,
		Rounds: *rounds, Settle: *settle, Window: *window, Interval: *interval, InFlight: *inFlight,
		SteadycronArgs: strings.Fields(*scArgs), Profile: *profile, Variants: variants,
	}
	var err error
	if cfg.FloorBinary, err = filepath.Abs(*floorBin); err != nil {
		fmt.Fprintln(os.Stderr, "memorybench:", err)
		os.Exit(1)
	}
	if cfg.OutDir, err = bench.OutDir(*out, *runID); err != nil {
		fmt.Fprintln(os.Stderr, "memorybench:", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	res := &bench.MemoryResults{RunID: *runID, Started: time.Now().UTC(), Machine: bench.DescribeMachine()}
	res.Config.CronJobs, res.Config.JobsPerCronJob, res.Config.ForeignPods, res.Config.Rounds = cfg.CronJobs, cfg.JobsPerCronJob, cfg.ForeignPods, cfg.Rounds
	res.Config.Settle, res.Config.Window, res.Config.SteadycronArgs = cfg.Settle.String(), cfg.Window.String(), cfg.SteadycronArgs
	res.Config.Variants = cfg.Variants
	fmt.Fprintf(os.Stderr, "memorybench: run %s, %d CronJobs, %d Jobs, %d foreign pods, output %s, load %s\n",
		*runID, cfg.CronJobs, cfg.CronJobs*cfg.JobsPerCronJob, cfg.ForeignPods, cfg.OutDir, res.Machine.LoadAvgPre)
	runErr := bench.RunMemory(ctx, cfg, res)
	res.Machine.LoadAvgPost = bench.LoadAvg()
	if runErr != nil {
		res.Incomplete = runErr.Error()
	}
	path, err := bench.WriteMemoryJSON(cfg.OutDir, res)
	if err != nil {
		fmt.Fprintln(os.Stderr, "memorybench: writing results:", err)
	}
	bench.PrintMemory(os.Stdout, res)
	fmt.Printf("\nresults: %s\n", path)
	if runErr != nil || err != nil {
		os.Exit(1)
	}
	if res.Summary != nil && !res.Summary.Met {
		// The run completed, and a target is missed.
		os.Exit(3)
	}
}

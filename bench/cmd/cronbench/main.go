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

// Command cronbench is steadycron's scale benchmark: N CronJobs due at the
// same minute mark, in up to four modes (stock kcm, steadycron, steadycron at
// kcm's client budget, the raw apiserver limit), each on a fresh local
// control plane. It prints a table and writes _output/bench/<run>/results.json.
// scripts/bench.sh runs it; docs/benchmarks.md explains the figures.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"k8s.io/klog/v2"

	"github.com/steadycron/steadycron/bench"
)

func main() {
	var (
		n        = flag.Int("n", 1000, "number of CronJobs due at the same minute mark")
		modes    = flag.String("modes", strings.Join(bench.AllModes, ","), "comma-separated modes: "+strings.Join(bench.AllModes, ", ")+"; pipeline modes (pods run): "+strings.Join(bench.PipelineModes, ", "))
		window   = flag.Duration("window", 115*time.Second, "how long after the mark to wait for all N Jobs")
		inFlight = flag.Int("in-flight", 64, "concurrent creates of the raw mode (and of the CronJob bulk load)")
		out      = flag.String("out", "", "output dir (default _output/bench/<run-id>)")
		runID    = flag.String("run-id", time.Now().Format("20060102-150405"), "run id")
		marks    = flag.Int("marks", 1, "consecutive minute marks to measure (the later ones show the steady state of CronJobs firing every minute)")
		kwokPar  = flag.Int("kwok-pod-parallelism", 0, "pipeline modes: pods kwok moves through their stages at once (0: kwok's default, 4)")
		scArgs   = flag.String("steadycron-args", "", "extra flags for steadycron in modes steadycron and budget (space-separated)")
		lead     = flag.Duration("create-lead", 0, "burst modes, with -marks=1: create the CronJobs at once, with a schedule naming only the mark, the first whole minute at least this far away (for N a loaded machine cannot create within the minute before the mark); 0: within the minute before the mark, \"* * * * *\"")
	)
	klog.InitFlags(nil)
	flag.Parse()

	cfg := bench.Config{N: *n, Window: *window, InFlight: *inFlight, SteadycronArgs: strings.Fields(*scArgs), Marks: *marks, KwokPodParallelism: *kwokPar, CreateLead: *lead}
	for _, m := range strings.Split(*modes, ",") {
		m = strings.TrimSpace(m)
		if !slices.Contains(bench.AllModes, m) && !bench.IsPipelineMode(m) {
			fmt.Fprintf(os.Stderr, "cronbench: unknown mode %q (want %s, or a pipeline mode: %s)\n", m, strings.Join(bench.AllModes, ", "), strings.Join(bench.PipelineModes, ", "))
			os.Exit(2)
		}
		cfg.Modes = append(cfg.Modes, m)
	}
	if cfg.N < 1 || cfg.InFlight < 1 || cfg.Window < 10*time.Second || cfg.Marks < 1 || cfg.CreateLead < 0 || (cfg.CreateLead > 0 && cfg.Marks != 1) {
		fmt.Fprintln(os.Stderr, "cronbench: need -n >= 1, -in-flight >= 1, -window >= 10s, -marks >= 1, -create-lead >= 0 and only with -marks=1")
		os.Exit(2)
	}
	outDir, err := bench.OutDir(*out, *runID)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cronbench:", err)
		os.Exit(1)
	}
	cfg.OutDir = outDir

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	res := &bench.Results{RunID: *runID, Started: time.Now().UTC(), N: cfg.N, Window: cfg.Window.String(), InFlight: cfg.InFlight,
		Machine: bench.DescribeMachine(), Method: bench.Method}
	fmt.Fprintf(os.Stderr, "cronbench: run %s, N=%d, modes %v, output %s, load %s\n", *runID, cfg.N, cfg.Modes, cfg.OutDir, res.Machine.LoadAvgPre)
	modesRes, runErr := bench.Run(ctx, cfg)
	res.Modes = modesRes
	res.Machine.LoadAvgPost = bench.LoadAvg()
	res.Ratios = bench.ComputeRatios(res.Modes)
	res.EstimateStockNet()
	if runErr != nil {
		res.Incomplete = runErr.Error()
	}
	path, err := bench.WriteJSON(cfg.OutDir, res)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cronbench: writing results:", err)
	}
	bench.PrintTable(os.Stdout, res)
	fmt.Printf("\nresults: %s\n", path)
	if runErr != nil || err != nil {
		os.Exit(1)
	}
	if missed := bench.MissedTargets(res); len(missed) > 0 {
		// The run completed, and a target is missed.
		fmt.Fprintf(os.Stderr, "cronbench: targets missed: %s\n", strings.Join(missed, "; "))
		os.Exit(3)
	}
}

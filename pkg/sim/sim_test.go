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

package sim

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

var (
	seeds     = flag.Int("sim.seeds", 8, "number of seeds TestSimulation runs")
	firstSeed = flag.Int64("sim.seed", 1, "first seed TestSimulation runs")
	steps     = flag.Int("sim.steps", 60, "random steps per seed before the faults stop")
	faultList = flag.String("sim.faults", strings.Join(AllFaults, ","), "fault kinds to inject")
)

// TestSimulation runs seeds firstSeed … firstSeed+seeds-1; a failing seed
// prints its trace and the command that replays it.
func TestSimulation(t *testing.T) {
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || strings.HasPrefix(f.Name, "sim.") })
	if !explicit && os.Getenv("STEADYCRON_SIM") == "" {
		// Not yet in make test: one of two runs of seeds 1-8 differed from
		// the recorded findings (the settling of the controllers is not yet
		// deterministic in every run). make sim, or STEADYCRON_SIM=1.
		t.Skip("set STEADYCRON_SIM=1 or a -sim.* flag (make sim) to run the simulation")
	}
	cfg := Config{Steps: *steps, Faults: strings.Split(*faultList, ",")}
	begin := time.Now()
	failed := 0
	for s := *firstSeed; s < *firstSeed+int64(*seeds); s++ {
		r := Run(s, cfg)
		known := ""
		if defaults() {
			known = strings.Join(knownFindings[s], "\n  ")
		}
		if got := strings.Join(r.Violations, "\n  "); got == known {
			if known != "" {
				t.Logf("seed %d: the known finding(s) of pkg/sim/sim_test.go:\n  %s", s, known)
			}
			continue
		}
		failed++
		t.Errorf("seed %d: %d violation(s):\n  %s\nrecorded for this seed: %q\nreplay: %s\ntrace:\n%s", s, len(r.Violations),
			strings.Join(r.Violations, "\n  "), known, replayCommand(s, cfg), strings.Join(r.Trace, "\n"))
	}
	t.Logf("%d seeds from %d, %d steps each, faults %s: %d failed, in %s", *seeds, *firstSeed, *steps, *faultList, failed, time.Since(begin).Round(time.Millisecond))
}

func replayCommand(seed int64, cfg Config) string {
	cmd := fmt.Sprintf("go test ./pkg/sim/ -run 'TestSimulation$' -count=1 -v -args -sim.seed=%d -sim.seeds=1 -sim.steps=%d -sim.faults=%s", seed, cfg.Steps, strings.Join(cfg.Faults, ","))
	if os.Getenv("STEADYCRON_WITHOUT") != "" {
		cmd = "make patch WITHOUT=" + os.Getenv("STEADYCRON_WITHOUT") + " && " + cmd
	}
	return cmd
}

// defaults reports whether the run uses the default steps and faults, the
// configuration the known findings were recorded with.
func defaults() bool {
	return *steps == 60 && *faultList == strings.Join(AllFaults, ",")
}

// knownFindings are the violations that seeds 1–8 (the seeds of make test)
// find in the series as it is; each is reported, none is fixed yet. A seed
// whose violations change fails TestSimulation: a new bug, or a fixed one (then
// remove its entry, and the seed stays as a regression test).
var knownFindings = map[int64][]string{
	// Decision counting: fewer outcomes than scheduled times across kills
	// and graceful handovers (tentative skips lost at a leader change?).
	2: {"team-b/cj1: 11 Jobs + 2 skips + 0 missed = 13 outcomes for 20 scheduled times (3 kills)"},
	5: {
		"default/cj0: 2 Jobs + 60 skips + 0 missed = 62 outcomes for 66 scheduled times (2 kills)",
		"default/cj2: 1 Jobs + 8 skips + 0 missed = 9 outcomes for 13 scheduled times (2 kills)",
	},
	// Replace on a stale CronJob view: the Jobs the controller does not
	// list in status.active are neither deleted nor adopted before the
	// next Job is created.
	6: {
		"Replace: L1 created Job default/cj0-29579085 for 2026-03-28T20:45:00-04:00 while Job default/cj0-29579056 for 2026-03-28T20:16:00-04:00 of the CronJob was unfinished (stale view in effect: L1 cronjobs)",
		"Replace: L1 created Job default/cj0-29579085 for 2026-03-28T20:45:00-04:00 while Job default/cj0-29579057 for 2026-03-28T20:17:00-04:00 of the CronJob was unfinished (stale view in effect: L1 cronjobs)",
	},
}

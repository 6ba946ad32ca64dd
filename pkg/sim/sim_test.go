package sim

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

var (
	seeds     = flag.Int("sim.seeds", 8, "number of seeds TestSimulation runs")
	firstSeed = flag.Int64("sim.seed", 1, "first seed TestSimulation runs")
	steps     = flag.Int("sim.steps", 60, "random steps per seed before the faults stop")
	faultList = flag.String("sim.faults", strings.Join(AllFaults, ","), "fault kinds to inject")
	traceDir  = flag.String("sim.tracedir", "", "if set, write each seed's trace to DIR/seed-N.trace")
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
		var r *Result
		synctest.Test(t, func(*testing.T) { r = Run(s, cfg) })
		if *traceDir != "" {
			if err := os.WriteFile(filepath.Join(*traceDir, fmt.Sprintf("seed-%d.trace", s)), []byte(strings.Join(r.Trace, "\n")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
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

// TestSimulationIsDeterministic runs a few seeds twice, with GOMAXPROCS 1
// and then 2, and wants byte-identical traces: a seed must replay exactly.
func TestSimulationIsDeterministic(t *testing.T) {
	cfg := Config{Steps: 60, Faults: AllFaults}
	traces := map[int64]string{}
	for _, procs := range []int{1, 2} {
		prev := runtime.GOMAXPROCS(procs)
		for s := int64(1); s <= 6; s++ {
			var r *Result
			synctest.Test(t, func(*testing.T) { r = Run(s, cfg) })
			got := strings.Join(r.Trace, "\n")
			if want, ok := traces[s]; ok && got != want {
				t.Errorf("seed %d: the trace with GOMAXPROCS=%d differs from the first run's:\n%s", s, procs, firstDifference(want, got))
			}
			traces[s] = got
		}
		runtime.GOMAXPROCS(prev)
	}
}

// firstDifference shows the first line where two traces differ.
func firstDifference(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n  first: %s\n  then:  %s", i+1, x, y)
		}
	}
	return "(none)"
}

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

package bench

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// Results is results.json.
type Results struct {
	RunID      string        `json:"runId"`
	Started    time.Time     `json:"started"`
	N          int           `json:"n"`
	Window     string        `json:"window"`
	InFlight   int           `json:"inFlight"`
	Machine    Machine       `json:"machine"`
	Modes      []*ModeResult `json:"modes"`
	Ratios     []Ratio       `json:"ratios"`
	Method     string        `json:"method"`
	Incomplete string        `json:"incomplete,omitempty"`
	// StockNetRequests estimates the requests of kcm's CronJob controller
	// alone in mode (a): kcm's total minus what kcm's other controllers (the
	// job controller, mostly) sent per Job in mode (b), times (a)'s Jobs.
	StockNetRequests *float64 `json:"stockNetRequests,omitempty"`
}

// EstimateStockNet fills StockNetRequests when modes (a) and (b) both ran.
func (r *Results) EstimateStockNet() {
	var a, b *ModeResult
	for _, m := range r.Modes {
		switch m.Mode {
		case ModeStock:
			a = m
		case ModeSteadycron:
			b = m
		}
	}
	if a == nil || b == nil || b.Created+b.OtherJobs == 0 {
		return
	}
	perJob := b.KCMRequests / float64(b.Created+b.OtherJobs)
	net := a.KCMRequests - perJob*float64(a.Created+a.OtherJobs)
	r.StockNetRequests = &net
}

// Machine describes where the run happened.
type Machine struct {
	NumCPU      int    `json:"numCpu"`
	MemTotal    string `json:"memTotal"`
	GoVersion   string `json:"goVersion"`
	LoadAvgPre  string `json:"loadAvgBefore"`
	LoadAvgPost string `json:"loadAvgAfter"`
}

// Method is recorded with the results.
const Method = "each mode on a fresh local control plane (e2e/framework); N CronJobs '* * * * *' with suspended Job templates created by an unthrottled client >10s before a minute mark; " +
	"skew = client receive time of the Job's ADDED watch event minus the mark; requests = delta of the controller's rest_client_requests_total from mark-3s to the end; " +
	"CPU = delta of utime+stime in /proc/<pid>/stat over the same span; peak RSS = VmHWM"

// LoadAvg returns the first three fields of /proc/loadavg.
func LoadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// DescribeMachine fills Machine but the after-run load.
func DescribeMachine() Machine {
	m := Machine{NumCPU: runtime.NumCPU(), GoVersion: runtime.Version(), LoadAvgPre: LoadAvg(), MemTotal: "?"}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				m.MemTotal = strings.TrimSpace(v)
			}
		}
	}
	return m
}

// ComputeRatios returns the ratios over the modes present.
func ComputeRatios(modes []*ModeResult) []Ratio {
	by := map[string]Completion{}
	for _, m := range modes {
		by[m.Mode] = m.Completion
	}
	var out []Ratio
	add := func(name, num, den string, cmp Cmp, target float64) {
		n, ok1 := by[num]
		d, ok2 := by[den]
		if ok1 && ok2 {
			out = append(out, ComputeRatio(name, n, d, cmp, target))
		}
	}
	add("(b)/(d) steadycron vs raw limit", ModeSteadycron, ModeRaw, AtMost, 1.3)
	add("(a)/(b) stock vs steadycron", ModeStock, ModeSteadycron, AtLeast, 20)
	add("(c)/(a) budget vs stock", ModeBudget, ModeStock, Below, 1)
	// The pipeline modes: time until every Job's pod runs.
	add("pipe-stock/pipe-steadycron, pods running", ModePipeStock, ModePipeSteadycron, NoTarget, 0)
	add("pipe-stock-fast/pipe-fast, pods running", ModePipeStockFast, ModePipeFast, NoTarget, 0)
	add("pipe-steadycron/pipe-fast, pods running", ModePipeSteadycron, ModePipeFast, NoTarget, 0)
	return out
}

// WriteJSON writes results.json into dir.
func WriteJSON(dir string, res *Results) (string, error) {
	return writeJSON(dir, "results.json", res)
}

// writeJSON writes v, indented, to dir/name (creating dir) and returns the
// file's path.
func writeJSON(dir, name string, v any) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("creating %s: %w", dir, err)
	}
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return "", fmt.Errorf("encoding the results: %w", err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return "", fmt.Errorf("writing %s: %w", path, err)
	}
	return path, nil
}

// OutDir returns the absolute output directory of a run: out, or
// _output/bench/<runID> when out is empty.
func OutDir(out, runID string) (string, error) {
	if out == "" {
		out = filepath.Join("_output", "bench", runID)
	}
	return filepath.Abs(out)
}

// PrintTable writes the human-readable summary.
func PrintTable(w io.Writer, res *Results) {
	fmt.Fprintf(w, "N=%d  window=%s  machine: %d CPUs, %s, %s, load %s -> %s\n\n", res.N, res.Window, res.Machine.NumCPU,
		res.Machine.MemTotal, res.Machine.GoVersion, res.Machine.LoadAvgPre, res.Machine.LoadAvgPost)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	if slices.ContainsFunc(res.Modes, func(m *ModeResult) bool { return m.Pipeline == nil }) {
		fmt.Fprintln(tw, "mode\tJobs@mark\t<60s\tother\tlast (s)\tp50 (s)\tp99 (s)\tJobs/s\tcreationTs last/p99 (s)\tctrl req\treq/Job\tctrl CPU (s)\tctrl peak RSS (MiB)\tapiserver CPU (s)\tetcd CPU (s)\t")
	}
	for _, m := range res.Modes {
		if m.Pipeline != nil {
			continue
		}
		jobs := m.Created + m.OtherJobs
		reqPerJob := 0.0
		if jobs > 0 {
			reqPerJob = m.ControllerRequests / float64(jobs)
		}
		fmt.Fprintf(tw, "%s\t%d/%d\t%d\t%d\t%.2f\t%.2f\t%.2f\t%.1f\t%.0f/%.0f\t%.0f\t%.2f\t%.2f\t%.0f\t%.2f\t%.2f\t\n",
			m.Mode, m.Created, m.N, m.InFirstMinute, m.OtherJobs, m.TimeToLastMs/1000, m.P50Ms/1000, m.P99Ms/1000, m.JobsPerSec,
			m.CreationTSLastS, m.CreationTSP99S, m.ControllerRequests, reqPerJob, m.ControllerCPUSecs,
			float64(m.ControllerPeakRSS)/(1<<20), m.APIServerCPUSecs, m.EtcdCPUSecs)
	}
	_ = tw.Flush()
	fmt.Fprintln(w)
	for _, m := range res.Modes {
		if m.Pipeline != nil {
			PrintPipeline(w, m)
		}
	}
	for _, m := range res.Modes {
		// The pipeline modes do not count the API server's Job POSTs.
		posts := ""
		if m.Pipeline == nil {
			posts = fmt.Sprintf("; apiserver Job POSTs %.0f", m.APIServerJobCreates)
		}
		fmt.Fprintf(w, "%-10s %s; controller=%s; kcm requests %.0f%s\n", m.Mode, m.Description, m.Controller, m.KCMRequests, posts)
		for _, logged := range m.LoggedMarks {
			fmt.Fprintf(w, "           mark %s from steadycron's log: %d Jobs, p50 %.3f s, p99 %.3f s, last %.3f s\n", logged.Mark.Format(time.TimeOnly),
				logged.Created, logged.P50Ms/1000, logged.P99Ms/1000, logged.LastMs/1000)
		}
		for _, later := range m.LaterMarks {
			fmt.Fprintf(w, "           mark %s: %d Jobs, p50 %.3f s, p99 %.3f s, last %.3f s\n", later.Mark.Format(time.TimeOnly),
				later.Created, later.P50Ms/1000, later.P99Ms/1000, later.LastMs/1000)
		}
		for _, warn := range m.Warnings {
			fmt.Fprintf(w, "           WARNING: %s\n", warn)
		}
	}
	fmt.Fprintln(w)
	for _, r := range res.Ratios {
		met := "undecided"
		if r.Target == "" {
			met = "no target"
		} else if r.Met != nil {
			met = map[bool]string{true: "met", false: "NOT met"}[*r.Met]
		}
		v := fmt.Sprintf("%.2f", r.Value)
		if r.Bound == "?" {
			v = "?"
		} else if r.Bound != "" {
			v = r.Bound + " " + v
		}
		fmt.Fprintf(w, "%-34s %10s   target %s: %s\n", r.Name, v, cmp.Or(r.Target, "-"), met)
	}
	if res.StockNetRequests != nil {
		fmt.Fprintf(w, "\n(a)'s kcm requests net of kcm's other controllers (per-Job background from (b) subtracted): ~%.0f\n", *res.StockNetRequests)
	}
	if res.Incomplete != "" {
		fmt.Fprintf(w, "\nINCOMPLETE: %s\n", res.Incomplete)
	}
}

// PrintPipeline writes one pipeline mode's stages, steps, start-delay check
// and annotation rates.
func PrintPipeline(w io.Writer, m *ModeResult) {
	p := m.Pipeline
	fmt.Fprintf(w, "%s (N=%d, mark %s, schedule %q): %s\n", m.Mode, m.N, m.Mark.Format(time.TimeOnly), p.Schedule, m.Description)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "stage (after the mark)\tJobs\tp50 (s)\tp99 (s)\tlast (s)\t")
	for _, s := range p.Stages {
		fmt.Fprintf(tw, "%s\t%d/%d\t%.2f\t%.2f\t%.2f\t\n", s.Stage, s.Jobs, m.N, s.P50Ms/1000, s.P99Ms/1000, s.LastMs/1000)
	}
	fmt.Fprintln(tw, "step (from the previous stage)\tJobs\tp50 (s)\tp99 (s)\tmax (s)\t")
	for _, s := range p.Steps {
		fmt.Fprintf(tw, "%s\t%d\t%.2f\t%.2f\t%.2f\t\n", s.Stage, s.Jobs, s.P50Ms/1000, s.P99Ms/1000, s.LastMs/1000)
	}
	_ = tw.Flush()
	fmt.Fprintf(w, "  requests: kcm %.0f, steadycron %.0f; client-side throttling (rate limiter waits summed): kcm %.1f s, steadycron %.1f s\n",
		m.KCMRequests, m.ControllerRequests*boolFloat(m.Controller == "steadycron"), p.KCMThrottledSeconds, p.SteadycronThrottledSeconds)
	fmt.Fprintf(w, "  CPU (s) over %.0f s:", m.MeasuredSeconds)
	for _, name := range sortedKeys(p.CPUSeconds) {
		fmt.Fprintf(w, " %s %.1f", name, p.CPUSeconds[name])
	}
	fmt.Fprintln(w)
	if c := p.StartDelay; c != nil {
		met := map[bool]string{true: "met", false: "NOT met"}[c.AgreesWithinOneSecond()]
		fmt.Fprintf(w, "  start-delay histogram vs watch truncated to the second: %d/%d Jobs within 1 s per Job: %s (%d without a series of one observation, %d later than the watch; to the millisecond: %d/%d within 1 s, max |diff| %.3f s, mean diff %+.3f s)\n",
			c.WithinOneSecondTruncated, c.Jobs, met, c.WithoutSeries, c.LaterThanWatch, c.WithinOneSecond, c.Jobs, c.MaxAbsDiffMs/1000, c.MeanDiffMs/1000)
		fmt.Fprintf(w, "  annotation mismatches %d; first-running = startedAt: %d/%d annotated Jobs (%d not verified: startedAt never seen); multi-observation series %d\n",
			c.AnnotationMismatches, c.Annotations-c.StartedAtMismatches, c.Annotations, c.StartedAtUnverified, c.MultiObservationSeries)
		fmt.Fprintf(w, "  histogram count %d sum %.1f s; annotations %d sum %.1f s\n", c.HistogramCount, c.HistogramSumSeconds, c.Annotations, c.AnnotationSumSeconds)
	}
	for _, r := range []*AnnotationRate{p.RawRate, p.TrackerRate} {
		if r != nil {
			fmt.Fprintf(w, "  annotation rate, %s: %d Jobs in %.2f s = %.0f/s\n", r.Writer, r.Jobs, r.SpanMs/1000, r.PerSecond)
		}
	}
	if p.RawOverTracker > 0 {
		met := map[bool]string{true: "met", false: "NOT met"}[p.RawOverTracker <= 1.3]
		fmt.Fprintf(w, "  unthrottled client / job tracker rate: %.2f (target <= 1.3: %s)\n", p.RawOverTracker, met)
	}
	fmt.Fprintln(w)
}

func boolFloat(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func sortedKeys(m map[string]float64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// MissedTargets lists the targets that res misses: a ratio whose target is
// not met, a pipeline mode whose start-delay histogram does not agree with
// the watch within 1 s per Job, or whose unthrottled client writes the
// annotations more than 1.3 x as fast as the job tracker. Undecidable ratios
// are not listed.
func MissedTargets(res *Results) []string {
	var out []string
	for _, r := range res.Ratios {
		if r.Met != nil && !*r.Met {
			out = append(out, fmt.Sprintf("%s %.2f, target %s", r.Name, r.Value, r.Target))
		}
	}
	for _, m := range res.Modes {
		p := m.Pipeline
		if p == nil {
			continue
		}
		if c := p.StartDelay; c != nil && !c.AgreesWithinOneSecond() {
			out = append(out, fmt.Sprintf("%s: start-delay histogram within 1 s of the watch (truncated to the second) for %d/%d Jobs", m.Mode, c.WithinOneSecondTruncated, c.Jobs))
		}
		if p.RawOverTracker > 1.3 {
			out = append(out, fmt.Sprintf("%s: unthrottled client / job tracker rate %.2f, target <= 1.3", m.Mode, p.RawOverTracker))
		}
	}
	return out
}

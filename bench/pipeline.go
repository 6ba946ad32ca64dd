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
	"context"
	"encoding/json"
	"fmt"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	dto "github.com/prometheus/client_model/go"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/klog/v2"
	"k8s.io/utils/ptr"

	"github.com/steadycron/steadycron/e2e/framework"
	"github.com/steadycron/steadycron/pkg/controller/jobtracker"
)

// The pipeline modes: N CronJobs due at one instant whose Jobs run pods that
// kube-scheduler binds and kwok runs. Not in AllModes: they are asked for by
// name (BENCH_MODES).
const (
	// ModePipeStock is kcm's own CronJob controller, kcm at its defaults.
	ModePipeStock = "pipe-stock"
	// ModePipeSteadycron is steadycron at its defaults, kcm at its defaults.
	ModePipeSteadycron = "pipe-steadycron"
	// ModePipeFast is steadycron at its defaults, kcm with KCMFastArgs.
	ModePipeFast = "pipe-fast"
	// ModePipeStockFast is kcm's own CronJob controller, kcm with KCMFastArgs.
	ModePipeStockFast = "pipe-stock-fast"
)

// PipelineModes in the order they run when all are asked for.
var PipelineModes = []string{ModePipeStock, ModePipeSteadycron, ModePipeFast, ModePipeStockFast}

// KCMFastArgs raise kcm's client budget and Job workers to steadycron's
// defaults (QPS 500, burst 1000, 50 workers): every kcm controller's client
// gets the higher QPS, and the job controller syncs 50 Jobs at once.
var KCMFastArgs = []string{"--kube-api-qps=500", "--kube-api-burst=1000", "--concurrent-job-syncs=50"}

func init() {
	ModeDescriptions[ModePipeStock] = "pipeline: stock kcm CronJob controller; kcm defaults (QPS 20, burst 30, 5 Job workers)"
	ModeDescriptions[ModePipeSteadycron] = "pipeline: steadycron, its defaults; kcm defaults (QPS 20, burst 30, 5 Job workers)"
	ModeDescriptions[ModePipeFast] = "pipeline: steadycron, its defaults; kcm " + strings.Join(KCMFastArgs, " ")
	ModeDescriptions[ModePipeStockFast] = "pipeline: stock kcm CronJob controller; kcm " + strings.Join(KCMFastArgs, " ")
}

// IsPipelineMode says whether mode is one of PipelineModes.
func IsPipelineMode(mode string) bool { return slices.Contains(PipelineModes, mode) }

func pipelineUsesSteadycron(mode string) bool {
	return mode == ModePipeSteadycron || mode == ModePipeFast
}

// The stages of a Job's way to a running app, in order, by their names in
// the results.
const (
	StageJob       = "job created"
	StagePod       = "pod created"
	StageBound     = "pod bound"
	StageRunning   = "pod running"
	StageAnnotated = "first-running written"
)

// Stages in pipeline order.
var Stages = []string{StageJob, StagePod, StageBound, StageRunning, StageAnnotated}

// JobTimeline is what the watches saw of one Job for the mark: receive times
// of the first event showing each stage (zero: not seen), and the times the
// objects carry.
type JobTimeline struct {
	CronJob string
	// Seen holds, by stage, the receive time of the first watch event that
	// showed the stage.
	Seen map[string]time.Time
	// StartedAt is the pod's app container's startedAt (1 s resolution).
	StartedAt time.Time
	// FirstRunning is the value of the Job's steadycron.io/first-running
	// annotation (1 s resolution).
	FirstRunning time.Time
}

// StageStats are the times of one stage after the mark, over the Jobs that
// reached it.
type StageStats struct {
	Stage  string  `json:"stage"`
	Jobs   int     `json:"jobs"`
	P50Ms  float64 `json:"p50Ms"`
	P99Ms  float64 `json:"p99Ms"`
	LastMs float64 `json:"lastMs"`
}

// newStageStats summarizes ds (durations after the mark, or between stages).
func newStageStats(stage string, ds []time.Duration) StageStats {
	return StageStats{Stage: stage, Jobs: len(ds), P50Ms: millis(Percentile(ds, 50)), P99Ms: millis(Percentile(ds, 99)), LastMs: millis(Percentile(ds, 100))}
}

// PipelineStages returns, for every stage, the times after mark at which the
// Jobs reached it; and, for every stage after the first, the time each Job
// took from the previous stage (over the Jobs that reached both), named
// "<previous> -> <stage>".
func PipelineStages(timelines map[string]*JobTimeline, mark time.Time) (stages, steps []StageStats) {
	for i, stage := range Stages {
		var at, step []time.Duration
		for _, tl := range timelines {
			t, ok := tl.Seen[stage]
			if !ok {
				continue
			}
			at = append(at, t.Sub(mark))
			if i > 0 {
				if prev, ok := tl.Seen[Stages[i-1]]; ok {
					step = append(step, t.Sub(prev))
				}
			}
		}
		stages = append(stages, newStageStats(stage, at))
		if i > 0 {
			steps = append(steps, newStageStats(Stages[i-1]+" -> "+stage, step))
		}
	}
	return stages, steps
}

// HistogramPoint is one series of a histogram: how many observations, and
// their sum.
type HistogramPoint struct {
	Count uint64
	Sum   float64
}

// StartDelayCheck compares steadycron's start-delay histogram
// (cronjob_job_start_delay_seconds, one series per CronJob with its default
// --metrics-per-cronjob) with what the benchmark's watches saw. With one Job
// per CronJob, a series' sum is that Job's start delay.
type StartDelayCheck struct {
	// Jobs that the watch saw running: each is compared with its CronJob's
	// series; one without a series of exactly one observation disagrees.
	Jobs int `json:"jobs"`
	// WithoutSeries counts Jobs the watch saw running whose CronJob has no
	// series, or one with other than one observation (part of Jobs, never of
	// WithinOneSecond).
	WithoutSeries int `json:"withoutSeries"`
	// WithinOneSecond counts those whose observed delay is within 1 s of the
	// watched one (the pod's Running event's receive time minus the mark),
	// to the millisecond. Reported, not judged: it mixes two resolutions.
	WithinOneSecond int `json:"withinOneSecond"`
	// WithinOneSecondTruncated counts those whose observed delay is within
	// 1 s of the watched one truncated to the whole second, the resolution
	// of what the histogram observes: the container's startedAt, an RFC 3339
	// time without fraction (the kubelet's, here kwok's, truncated). The
	// agreement rule is judged on it (AgreesWithinOneSecond). Since startedAt
	// precedes the Running event, it fails when that event reached the watch
	// 2 s or more after the start of the second startedAt names (so at least
	// 1 s after the container started).
	WithinOneSecondTruncated int `json:"withinOneSecondTruncated"`
	// LaterThanWatch counts those whose observed delay is later than the
	// watched one: the histogram cannot be right then (startedAt precedes
	// the Running event, and truncates to the second). Earlier by up to 1 s
	// plus the watch's delivery latency is expected.
	LaterThanWatch int `json:"laterThanWatch"`
	// MaxAbsDiffMs is the largest |observed - watched| delay.
	MaxAbsDiffMs float64 `json:"maxAbsDiffMs"`
	// MeanDiffMs is the mean of observed - watched (negative: the histogram
	// is earlier, as the 1 s resolution of startedAt truncates).
	MeanDiffMs float64 `json:"meanDiffMs"`
	// AnnotationMismatches counts Jobs whose observed delay is not their
	// first-running annotation minus the mark, exactly.
	AnnotationMismatches int `json:"annotationMismatches"`
	// StartedAtMismatches counts Jobs whose first-running annotation is not
	// shown equal to their pod's container startedAt: it differs, or the
	// watch never saw a startedAt (StartedAtUnverified of them).
	StartedAtMismatches int `json:"startedAtMismatches"`
	// StartedAtUnverified counts annotated Jobs whose pod's startedAt the
	// watch never captured (part of StartedAtMismatches).
	StartedAtUnverified int `json:"startedAtUnverified"`
	// MultiObservationSeries counts series with more than one observation
	// (not compared per Job).
	MultiObservationSeries int `json:"multiObservationSeries"`
	// The histogram's totals against the annotations the watch saw.
	HistogramCount       uint64  `json:"histogramCount"`
	HistogramSumSeconds  float64 `json:"histogramSumSeconds"`
	Annotations          int     `json:"annotations"`
	AnnotationSumSeconds float64 `json:"annotationSumSeconds"`
}

// CheckStartDelays compares the histogram's series (by CronJob name) with the
// timelines of the Jobs for mark.
func CheckStartDelays(timelines map[string]*JobTimeline, series map[string]HistogramPoint, mark time.Time) StartDelayCheck {
	var c StartDelayCheck
	for _, p := range series {
		c.HistogramCount += p.Count
		c.HistogramSumSeconds += p.Sum
		if p.Count > 1 {
			c.MultiObservationSeries++
		}
	}
	var diffSum time.Duration
	for _, tl := range timelines {
		if !tl.FirstRunning.IsZero() {
			c.Annotations++
			c.AnnotationSumSeconds += tl.FirstRunning.Sub(mark).Seconds()
			switch {
			case tl.StartedAt.IsZero():
				c.StartedAtUnverified++
				c.StartedAtMismatches++
			case !tl.StartedAt.Equal(tl.FirstRunning):
				c.StartedAtMismatches++
			}
		}
		running, seen := tl.Seen[StageRunning]
		if !seen {
			continue
		}
		c.Jobs++
		p, ok := series[tl.CronJob]
		if !ok || p.Count != 1 {
			c.WithoutSeries++
			continue
		}
		observed := time.Duration(p.Sum * float64(time.Second)).Round(time.Millisecond)
		watched := running.Sub(mark)
		diff := observed - watched
		diffSum += diff
		if diff.Abs() <= time.Second {
			c.WithinOneSecond++
		}
		if (observed - watched.Truncate(time.Second)).Abs() <= time.Second {
			c.WithinOneSecondTruncated++
		}
		if diff > 0 {
			c.LaterThanWatch++
		}
		c.MaxAbsDiffMs = max(c.MaxAbsDiffMs, millis(diff.Abs()))
		if tl.FirstRunning.IsZero() || (tl.FirstRunning.Sub(mark)-observed).Abs() > time.Millisecond {
			c.AnnotationMismatches++
		}
	}
	if compared := c.Jobs - c.WithoutSeries; compared > 0 {
		c.MeanDiffMs = millis(diffSum / time.Duration(compared))
	}
	return c
}

// AgreesWithinOneSecond is the rule for the start-delay histogram: every Job
// the watch saw running has its own observation within 1 s of the watched
// delay, compared at the histogram's resolution of a second
// (WithinOneSecondTruncated). No Jobs is no agreement.
func (c StartDelayCheck) AgreesWithinOneSecond() bool {
	return c.Jobs > 0 && c.WithinOneSecondTruncated == c.Jobs
}

// AnnotationRate is how fast one writer set steadycron.io/first-running on
// the N Jobs from a standing start: Jobs over the span from the first write
// the watch saw to the last.
type AnnotationRate struct {
	Writer    string  `json:"writer"`
	Jobs      int     `json:"jobs"`
	SpanMs    float64 `json:"spanMs"`
	PerSecond float64 `json:"perSecond"`
}

// NewAnnotationRate summarizes the receive times of one writer's annotations.
func NewAnnotationRate(writer string, seen []time.Time) AnnotationRate {
	r := AnnotationRate{Writer: writer, Jobs: len(seen)}
	if len(seen) < 2 {
		return r
	}
	first, last := seen[0], seen[0]
	for _, t := range seen[1:] {
		if t.Before(first) {
			first = t
		}
		if t.After(last) {
			last = t
		}
	}
	r.SpanMs = millis(last.Sub(first))
	if last.After(first) {
		// n writes span n-1 intervals.
		r.PerSecond = float64(len(seen)-1) / last.Sub(first).Seconds()
	}
	return r
}

// PipelineResult is a pipeline mode's own figures (ModeResult.Pipeline).
type PipelineResult struct {
	Schedule string `json:"schedule"`
	// Stages: time after the mark; Steps: time from the previous stage.
	Stages []StageStats `json:"stages"`
	Steps  []StageStats `json:"steps"`
	// RunningCompletion is the time until every Job's pod ran (a lower
	// bound, the window, when some did not within it).
	RunningCompletion Completion `json:"runningCompletion"`
	// StartDelay compares steadycron's histogram with the watches.
	StartDelay *StartDelayCheck `json:"startDelay,omitempty"`
	// TrackerRate and RawRate: the job tracker (steadycron restarted with
	// the annotations removed) and an unthrottled client writing the same
	// annotation on the same Jobs; RawOverTracker is RawRate/TrackerRate.
	TrackerRate    *AnnotationRate `json:"trackerRate,omitempty"`
	RawRate        *AnnotationRate `json:"rawRate,omitempty"`
	RawOverTracker float64         `json:"rawOverTracker,omitempty"`
	// Client-side rate-limiter waits (rest_client_rate_limiter_duration_seconds),
	// summed over requests, during the measured span.
	KCMThrottledSeconds        float64 `json:"kcmThrottledSeconds"`
	SteadycronThrottledSeconds float64 `json:"steadycronThrottledSeconds"`
	// CPU seconds per process over the measured span.
	CPUSeconds map[string]float64 `json:"cpuSeconds"`
	// KCMArgs are kcm's extra flags.
	KCMArgs []string `json:"kcmArgs,omitempty"`
	// KwokPodParallelism is kwok's podPlayStageParallelism (0: its default, 4).
	KwokPodParallelism int `json:"kwokPodParallelism,omitempty"`
}

// runPipelineMode runs one pipeline mode on a fresh control plane.
func runPipelineMode(ctx context.Context, cfg Config, mode string) (*ModeResult, error) {
	opts, err := framework.OptionsFromEnv(mode)
	if err != nil {
		return nil, err
	}
	opts.Kubeconfig = ""
	opts.Kwok, opts.FakeNode = true, ""
	opts.ArtifactsDir = filepath.Join(cfg.OutDir, mode)
	opts.KCMCronJobController = !pipelineUsesSteadycron(mode)
	opts.StartSteadycron = false
	opts.KwokPodParallelism = cfg.KwokPodParallelism
	if mode == ModePipeFast || mode == ModePipeStockFast {
		opts.KCMArgs = KCMFastArgs
	}
	cluster, err := framework.Start(ctx, opts)
	defer cluster.Stop()
	if err != nil {
		return nil, fmt.Errorf("starting the control plane: %w", err)
	}
	r := &ModeResult{Mode: mode, Description: ModeDescriptions[mode], N: cfg.N, ArtifactsDir: opts.ArtifactsDir,
		Pipeline: &PipelineResult{KCMArgs: opts.KCMArgs, KwokPodParallelism: cfg.KwokPodParallelism, CPUSeconds: map[string]float64{}}}
	r.Controller = "kube-controller-manager"

	var sc *framework.Steadycron
	if pipelineUsesSteadycron(mode) {
		r.Controller = "steadycron"
		if sc, err = cluster.NewSteadycron("steadycron", cfg.SteadycronArgs...); err != nil {
			return nil, err
		}
		if err := sc.Start(ctx); err != nil {
			return nil, err
		}
		if err := sc.WaitLeading(ctx, cluster, 90*time.Second); err != nil {
			return nil, err
		}
	}

	fast, client, err := benchClient(ctx, cluster)
	if err != nil {
		return nil, err
	}

	// A daily schedule at the mark: it fires once in the window, however
	// long the pipeline takes, and the stock controller creates its late
	// Jobs for the mark instead of skipping to the next minute.
	r.Mark = markFor(cfg.N)
	markUTC := r.Mark.UTC()
	r.Pipeline.Schedule = fmt.Sprintf("%d %d * * *", markUTC.Minute(), markUTC.Hour())
	tmpl := cluster.PodTemplate(framework.RunsForever)
	klog.InfoS("Creating CronJobs", "n", cfg.N, "mark", r.Mark.Format(time.RFC3339), "schedule", r.Pipeline.Schedule)
	begin := time.Now()
	if err := parallel(ctx, cfg.N, cfg.InFlight, func(ctx context.Context, i int) error {
		cj := &batchv1.CronJob{
			ObjectMeta: metav1.ObjectMeta{Name: cronJobName(i)},
			Spec: batchv1.CronJobSpec{
				Schedule:          r.Pipeline.Schedule,
				TimeZone:          ptr.To("Etc/UTC"),
				ConcurrencyPolicy: batchv1.ForbidConcurrent,
				JobTemplate: batchv1.JobTemplateSpec{Spec: batchv1.JobSpec{
					BackoffLimit: ptr.To[int32](0),
					Template:     tmpl,
				}},
			},
		}
		if _, err := client.BatchV1().CronJobs(namespace).Create(ctx, cj, metav1.CreateOptions{}); err != nil {
			return fmt.Errorf("creating CronJob %s: %w", cj.Name, err)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	r.CreateCronJobsSecs = time.Since(begin).Seconds()
	r.CreatedLeadSeconds = time.Until(r.Mark).Seconds()
	if r.CreatedLeadSeconds < 10 {
		r.Warnings = append(r.Warnings, fmt.Sprintf("CronJobs created only %.1fs before the mark", r.CreatedLeadSeconds))
	}

	w, err := startPipelineWatch(ctx, fast, r.Mark)
	if err != nil {
		return nil, err
	}
	defer w.stop()

	procs := map[string]int{}
	for _, name := range []string{framework.ComponentAPIServer, framework.ComponentEtcd, framework.ComponentKCM, framework.ComponentScheduler, framework.ComponentKwok} {
		if pid, err := cluster.PID(name); err == nil {
			procs[name] = pid
		} else {
			r.Warnings = append(r.Warnings, err.Error())
		}
	}
	if sc != nil {
		if pid, err := sc.PID(); err == nil {
			procs["steadycron"] = pid
		}
	}
	if err := sleepUntil(ctx, r.Mark.Add(-3*time.Second)); err != nil {
		return nil, err
	}
	before := pipelineSnapshot(ctx, cluster, sc, procs)
	measureStart := time.Now()

	last := StageRunning
	if sc != nil {
		last = StageAnnotated
	}
	if err := w.waitFor(ctx, last, cfg.N, r.Mark.Add(cfg.Window)); err != nil {
		return nil, err
	}
	_ = sleepUntil(ctx, time.Now().Add(2*time.Second))
	after := pipelineSnapshot(ctx, cluster, sc, procs)
	r.MeasuredSeconds = time.Since(measureStart).Seconds()

	p := r.Pipeline
	timelines := w.snapshot()
	p.Stages, p.Steps = PipelineStages(timelines, r.Mark)
	for _, s := range p.Stages {
		switch s.Stage {
		case StageJob:
			r.Created = s.Jobs
			r.TimeToLastMs, r.P50Ms, r.P99Ms = s.LastMs, s.P50Ms, s.P99Ms
		case StageRunning:
			p.RunningCompletion = Completion{Seconds: s.LastMs / 1000}
			if s.Jobs < cfg.N {
				p.RunningCompletion = Completion{Seconds: cfg.Window.Seconds(), LowerBound: true}
			}
		}
	}
	r.Complete = r.Created >= cfg.N
	r.Completion = p.RunningCompletion
	for name := range procs {
		p.CPUSeconds[name] = max(0, after.cpu[name]-before.cpu[name])
	}
	p.KCMThrottledSeconds = after.kcmThrottled - before.kcmThrottled
	p.SteadycronThrottledSeconds = after.scThrottled - before.scThrottled
	_, r.KCMRequests = Delta(before.kcmReqs, after.kcmReqs)
	if sc != nil {
		r.RequestsByMethod, r.ControllerRequests = Delta(before.scReqs, after.scReqs)
	} else {
		r.ControllerRequests = r.KCMRequests
	}
	r.Warnings = append(r.Warnings, before.errs...)
	r.Warnings = append(r.Warnings, after.errs...)

	if sc != nil {
		m, err := sc.Metrics(ctx)
		if err != nil {
			r.Warnings = append(r.Warnings, "steadycron /metrics: "+err.Error())
		} else {
			check := CheckStartDelays(timelines, StartDelaySeries(m, namespace), r.Mark)
			p.StartDelay = &check
		}
		if !sc.Running() {
			r.Warnings = append(r.Warnings, "steadycron EXITED during the run; its figures are void (see "+sc.LogPath()+")")
		}
		// With pods still coming (the window ended first), the job tracker
		// would annotate more Jobs during the rounds: measure only a
		// complete pipeline.
		if n := countStage(timelines, StageAnnotated); n < cfg.N {
			r.Warnings = append(r.Warnings, fmt.Sprintf("annotation rates not measured: %d of %d Jobs annotated within the window", n, cfg.N))
		} else if err := annotationRates(ctx, client, sc, w, cfg.InFlight, p); err != nil {
			r.Warnings = append(r.Warnings, "annotation rates: "+err.Error())
		}
	}
	r.Warnings = append(r.Warnings, w.warnings()...)
	return r, nil
}

// StartDelaySeries returns the series of cronjob_job_start_delay_seconds for
// the scheduled Jobs of namespace ns, by CronJob name.
func StartDelaySeries(families map[string]*dto.MetricFamily, ns string) map[string]HistogramPoint {
	out := map[string]HistogramPoint{}
	f, ok := families["cronjob_job_start_delay_seconds"]
	if !ok {
		return out
	}
	for _, m := range f.GetMetric() {
		l := map[string]string{}
		for _, lp := range m.GetLabel() {
			l[lp.GetName()] = lp.GetValue()
		}
		if l["namespace"] != ns || l["trigger"] != "scheduled" {
			continue
		}
		h := m.GetHistogram()
		p := out[l["cronjob"]]
		p.Count += h.GetSampleCount()
		p.Sum += h.GetSampleSum()
		out[l["cronjob"]] = p
	}
	return out
}

// HistogramSumTotal is the sum of every series' sample sums of histogram
// name (zero if absent).
func HistogramSumTotal(families map[string]*dto.MetricFamily, name string) float64 {
	f, ok := families[name]
	if !ok {
		return 0
	}
	var s float64
	for _, m := range f.GetMetric() {
		s += m.GetHistogram().GetSampleSum()
	}
	return s
}

type pipelineSample struct {
	cpu                       map[string]float64
	kcmReqs, scReqs           map[string]float64
	kcmThrottled, scThrottled float64
	errs                      []string
}

func pipelineSnapshot(ctx context.Context, c *framework.Cluster, sc *framework.Steadycron, procs map[string]int) pipelineSample {
	s := pipelineSample{cpu: map[string]float64{}}
	for name, pid := range procs {
		p, err := ReadProc(pid)
		if err != nil {
			s.errs = append(s.errs, name+" /proc: "+err.Error())
			continue
		}
		s.cpu[name] = p.CPUSeconds
	}
	if m, err := c.KCMMetrics(ctx); err != nil {
		s.errs = append(s.errs, "kcm /metrics: "+err.Error())
	} else {
		s.kcmReqs = CounterSum(m, "rest_client_requests_total", "method")
		s.kcmThrottled = HistogramSumTotal(m, "rest_client_rate_limiter_duration_seconds")
	}
	if sc != nil {
		if m, err := sc.Metrics(ctx); err != nil {
			s.errs = append(s.errs, "steadycron /metrics: "+err.Error())
		} else {
			s.scReqs = CounterSum(m, "rest_client_requests_total", "method")
			s.scThrottled = HistogramSumTotal(m, "rest_client_rate_limiter_duration_seconds")
		}
	}
	return s
}

// annotationRates measures, on the Jobs of the run, how fast the job tracker
// writes steadycron.io/first-running from a standing start, against an
// unthrottled client writing the same annotation with the same values:
// steadycron is stopped; the annotations are removed; the client writes them
// back (merge patches, inFlight at once); they are removed again; steadycron
// is started again and its job tracker writes them. Both rates come from the
// receive times of the Job watch.
func annotationRates(ctx context.Context, client kubernetes.Interface, sc *framework.Steadycron, w *pipelineWatch, inFlight int, p *PipelineResult) error {
	if err := sc.Stop(); err != nil {
		return fmt.Errorf("stopping steadycron: %w", err)
	}
	// Every annotation steadycron wrote before it stopped.
	timelines := w.snapshot()
	var names []string
	values := map[string]string{}
	for name, tl := range timelines {
		if !tl.FirstRunning.IsZero() {
			names = append(names, name)
			values[name] = tl.FirstRunning.UTC().Format(time.RFC3339)
		}
	}
	slices.Sort(names)
	if len(names) == 0 {
		return fmt.Errorf("no Job has its first-running annotation")
	}
	patchAll := func(value func(name string) *string) error {
		return parallel(ctx, len(names), inFlight, func(ctx context.Context, i int) error {
			patch, err := json.Marshal(map[string]any{"metadata": map[string]any{"annotations": map[string]*string{jobtracker.FirstRunningAnnotation: value(names[i])}}})
			if err != nil {
				return err
			}
			_, err = client.BatchV1().Jobs(namespace).Patch(ctx, names[i], types.MergePatchType, patch, metav1.PatchOptions{})
			if err != nil && !apierrors.IsNotFound(err) {
				return fmt.Errorf("patching Job %s: %w", names[i], err)
			}
			return nil
		})
	}
	remove := func() error {
		if err := patchAll(func(string) *string { return nil }); err != nil {
			return err
		}
		return w.waitAnnotations(ctx, 0, time.Now().Add(60*time.Second))
	}
	if err := remove(); err != nil {
		return err
	}
	w.resetRound()
	if err := patchAll(func(name string) *string { return ptr.To(values[name]) }); err != nil {
		return err
	}
	if err := w.waitAnnotations(ctx, len(names), time.Now().Add(60*time.Second)); err != nil {
		return err
	}
	raw := NewAnnotationRate("unthrottled client", w.round())
	p.RawRate = &raw
	if err := remove(); err != nil {
		return err
	}
	w.resetRound()
	if err := sc.Start(ctx); err != nil {
		return fmt.Errorf("restarting steadycron: %w", err)
	}
	if err := w.waitAnnotations(ctx, len(names), time.Now().Add(120*time.Second)); err != nil {
		return err
	}
	tracker := NewAnnotationRate("job tracker (restarted)", w.round())
	p.TrackerRate = &tracker
	if tracker.PerSecond > 0 {
		p.RawOverTracker = raw.PerSecond / tracker.PerSecond
	}
	return nil
}

// pipelineWatch watches the namespace's Jobs and pods, each on a connection
// of its own, and records every Job's stages.
type pipelineWatch struct {
	cancel context.CancelFunc
	wg     sync.WaitGroup
	mark   time.Time

	mu        sync.Mutex
	timelines map[string]*JobTimeline
	// annotated is the set of Jobs whose latest event carries the
	// first-running annotation, and roundSeen the receive times of its
	// appearance since resetRound.
	annotated map[string]bool
	roundSeen map[string]time.Time
	reopened  int
	errs      []string
}

func startPipelineWatch(ctx context.Context, base *rest.Config, mark time.Time) (*pipelineWatch, error) {
	newClient := func(agent string) (kubernetes.Interface, error) {
		c := rest.CopyConfig(base)
		c.UserAgent = agent
		c.ContentType = runtime.ContentTypeProtobuf
		c.AcceptContentTypes = runtime.ContentTypeProtobuf + "," + runtime.ContentTypeJSON
		c.Dial = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
		return kubernetes.NewForConfig(c)
	}
	jobsClient, err := newClient("cronbench-watch-jobs")
	if err != nil {
		return nil, err
	}
	podsClient, err := newClient("cronbench-watch-pods")
	if err != nil {
		return nil, err
	}
	jobs, err := jobsClient.BatchV1().Jobs(namespace).List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, fmt.Errorf("listing Jobs: %w", err)
	}
	pods, err := podsClient.CoreV1().Pods(namespace).List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, fmt.Errorf("listing pods: %w", err)
	}
	if len(jobs.Items)+len(pods.Items) > 0 {
		return nil, fmt.Errorf("%d Jobs and %d pods exist before the mark", len(jobs.Items), len(pods.Items))
	}
	ctx, cancel := context.WithCancel(ctx)
	w := &pipelineWatch{cancel: cancel, mark: mark, timelines: map[string]*JobTimeline{}, annotated: map[string]bool{}, roundSeen: map[string]time.Time{}}
	w.wg.Go(func() {
		w.loop(ctx, "Jobs", jobs.ResourceVersion, func(ctx context.Context, rv string) (watch.Interface, error) {
			return jobsClient.BatchV1().Jobs(namespace).Watch(ctx, metav1.ListOptions{ResourceVersion: rv, TimeoutSeconds: ptr.To[int64](1800)})
		})
	})
	w.wg.Go(func() {
		w.loop(ctx, "pods", pods.ResourceVersion, func(ctx context.Context, rv string) (watch.Interface, error) {
			return podsClient.CoreV1().Pods(namespace).Watch(ctx, metav1.ListOptions{ResourceVersion: rv, TimeoutSeconds: ptr.To[int64](1800)})
		})
	})
	return w, nil
}

// loop watches from rv, re-watching from the last resourceVersion when the
// API server ends the stream.
func (w *pipelineWatch) loop(ctx context.Context, what, rv string, open func(context.Context, string) (watch.Interface, error)) {
	for ctx.Err() == nil {
		wi, err := open(ctx, rv)
		if err != nil {
			w.note(fmt.Sprintf("watching %s: %v", what, err))
			time.Sleep(100 * time.Millisecond)
			continue
		}
		for ev := range wi.ResultChan() {
			now := time.Now()
			switch o := ev.Object.(type) {
			case *batchv1.Job:
				rv = o.ResourceVersion
				if ev.Type != watch.Deleted {
					w.job(o, now)
				}
			case *corev1.Pod:
				rv = o.ResourceVersion
				if ev.Type != watch.Deleted {
					w.pod(o, now)
				}
			default:
				if ev.Type == watch.Error {
					w.note(fmt.Sprintf("%s watch error event: %v", what, apierrors.FromObject(ev.Object)))
				}
			}
		}
		wi.Stop()
		if ctx.Err() == nil {
			klog.InfoS("A watch ended; reopening it", "resource", what, "resourceVersion", rv)
			w.mu.Lock()
			w.reopened++
			w.mu.Unlock()
		}
	}
}

func (w *pipelineWatch) note(s string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.errs) < 10 {
		w.errs = append(w.errs, s)
	}
}

// timeline returns the Job's timeline, creating it; the caller holds mu.
func (w *pipelineWatch) timeline(job string) *JobTimeline {
	tl, ok := w.timelines[job]
	if !ok {
		tl = &JobTimeline{Seen: map[string]time.Time{}}
		w.timelines[job] = tl
	}
	return tl
}

func seeFirst(tl *JobTimeline, stage string, at time.Time) {
	if _, ok := tl.Seen[stage]; !ok {
		tl.Seen[stage] = at
	}
}

func (w *pipelineWatch) job(job *batchv1.Job, now time.Time) {
	sched, err := framework.ScheduledTime(job)
	if err != nil || !sched.Equal(w.mark) {
		if err == nil {
			w.note(fmt.Sprintf("Job %s is for %s, not the mark", job.Name, sched.Format(time.RFC3339)))
		}
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	tl := w.timeline(job.Name)
	seeFirst(tl, StageJob, now)
	if ref := metav1.GetControllerOf(job); ref != nil {
		tl.CronJob = ref.Name
	}
	value, ok := job.Annotations[jobtracker.FirstRunningAnnotation]
	if !ok {
		delete(w.annotated, job.Name)
		return
	}
	if !w.annotated[job.Name] {
		w.annotated[job.Name] = true
		if _, seen := w.roundSeen[job.Name]; !seen {
			w.roundSeen[job.Name] = now
		}
	}
	seeFirst(tl, StageAnnotated, now)
	if tl.FirstRunning.IsZero() {
		if t, err := time.Parse(time.RFC3339, value); err == nil {
			tl.FirstRunning = t
		}
	}
}

func (w *pipelineWatch) pod(pod *corev1.Pod, now time.Time) {
	jobName := pod.Labels[batchv1.JobNameLabel]
	if jobName == "" {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	tl := w.timeline(jobName)
	seeFirst(tl, StagePod, now)
	if pod.Spec.NodeName != "" {
		seeFirst(tl, StageBound, now)
	}
	if pod.Status.Phase == corev1.PodRunning {
		seeFirst(tl, StageRunning, now)
		for _, cs := range pod.Status.ContainerStatuses {
			if cs.State.Running != nil && tl.StartedAt.IsZero() {
				tl.StartedAt = cs.State.Running.StartedAt.Time
			}
		}
	}
}

// countStage returns how many of timelines reached stage.
func countStage(timelines map[string]*JobTimeline, stage string) int {
	n := 0
	for _, tl := range timelines {
		if _, ok := tl.Seen[stage]; ok {
			n++
		}
	}
	return n
}

// count returns how many Jobs reached stage; the caller holds mu.
func (w *pipelineWatch) count(stage string) int { return countStage(w.timelines, stage) }

// waitFor returns once n Jobs reached stage, or at deadline.
func (w *pipelineWatch) waitFor(ctx context.Context, stage string, n int, deadline time.Time) error {
	return waitUntil(ctx, deadline, func() bool {
		w.mu.Lock()
		defer w.mu.Unlock()
		return w.count(stage) >= n
	})
}

// waitAnnotations returns once exactly n Jobs carry the annotation, or at
// deadline (an error).
func (w *pipelineWatch) waitAnnotations(ctx context.Context, n int, deadline time.Time) error {
	if err := waitUntil(ctx, deadline, func() bool {
		w.mu.Lock()
		defer w.mu.Unlock()
		return len(w.annotated) == n
	}); err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.annotated) != n {
		return fmt.Errorf("%d Jobs carry %s, want %d", len(w.annotated), jobtracker.FirstRunningAnnotation, n)
	}
	return nil
}

func waitUntil(ctx context.Context, deadline time.Time, done func() bool) error {
	for !done() && time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return nil
}

// resetRound starts a new round of annotation receive times.
func (w *pipelineWatch) resetRound() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.roundSeen = map[string]time.Time{}
}

// round returns the receive times of the annotations seen since resetRound.
func (w *pipelineWatch) round() []time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]time.Time, 0, len(w.roundSeen))
	for _, t := range w.roundSeen {
		out = append(out, t)
	}
	return out
}

// snapshot copies the timelines.
func (w *pipelineWatch) snapshot() map[string]*JobTimeline {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make(map[string]*JobTimeline, len(w.timelines))
	for name, tl := range w.timelines {
		c := *tl
		c.Seen = map[string]time.Time{}
		for k, v := range tl.Seen {
			c.Seen[k] = v
		}
		out[name] = &c
	}
	return out
}

func (w *pipelineWatch) warnings() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := append([]string(nil), w.errs...)
	if w.reopened > 0 {
		out = append(out, fmt.Sprintf("the watches were reopened %d times", w.reopened))
	}
	return out
}

func (w *pipelineWatch) stop() {
	w.cancel()
	w.wg.Wait()
}

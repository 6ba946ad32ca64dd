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
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/assert"
	"k8s.io/utils/ptr"
)

var pipeMark = time.Date(2026, 11, 29, 21, 31, 0, 0, time.UTC)

// at is the mark plus ms milliseconds.
func at(ms int) time.Time { return pipeMark.Add(time.Duration(ms) * time.Millisecond) }

// timeline builds a Job's timeline from the stages' times in ms after the
// mark, in pipeline order; fewer values leave the later stages unseen.
func timeline(cronjob string, ms ...int) *JobTimeline {
	tl := &JobTimeline{CronJob: cronjob, Seen: map[string]time.Time{}}
	for i, v := range ms {
		tl.Seen[Stages[i]] = at(v)
	}
	return tl
}

func TestPipelineStages(t *testing.T) {
	tests := []struct {
		name      string
		timelines map[string]*JobTimeline
		wantStage []StageStats
		wantStep  []StageStats
	}{
		{
			name: "no Jobs",
			wantStage: []StageStats{
				{Stage: StageJob}, {Stage: StagePod}, {Stage: StageBound}, {Stage: StageRunning}, {Stage: StageAnnotated},
			},
			wantStep: []StageStats{
				{Stage: StageJob + " -> " + StagePod}, {Stage: StagePod + " -> " + StageBound},
				{Stage: StageBound + " -> " + StageRunning}, {Stage: StageRunning + " -> " + StageAnnotated},
			},
		},
		{
			name: "two Jobs through every stage",
			timelines: map[string]*JobTimeline{
				"a": timeline("a", 100, 1000, 1010, 1030, 1100),
				"b": timeline("b", 200, 3000, 3500, 3600, 3650),
			},
			wantStage: []StageStats{
				{Stage: StageJob, Jobs: 2, P50Ms: 100, P99Ms: 200, LastMs: 200},
				{Stage: StagePod, Jobs: 2, P50Ms: 1000, P99Ms: 3000, LastMs: 3000},
				{Stage: StageBound, Jobs: 2, P50Ms: 1010, P99Ms: 3500, LastMs: 3500},
				{Stage: StageRunning, Jobs: 2, P50Ms: 1030, P99Ms: 3600, LastMs: 3600},
				{Stage: StageAnnotated, Jobs: 2, P50Ms: 1100, P99Ms: 3650, LastMs: 3650},
			},
			wantStep: []StageStats{
				{Stage: StageJob + " -> " + StagePod, Jobs: 2, P50Ms: 900, P99Ms: 2800, LastMs: 2800},
				{Stage: StagePod + " -> " + StageBound, Jobs: 2, P50Ms: 10, P99Ms: 500, LastMs: 500},
				{Stage: StageBound + " -> " + StageRunning, Jobs: 2, P50Ms: 20, P99Ms: 100, LastMs: 100},
				{Stage: StageRunning + " -> " + StageAnnotated, Jobs: 2, P50Ms: 50, P99Ms: 70, LastMs: 70},
			},
		},
		{
			name: "a Job whose pod is not yet created counts only in the first stage",
			timelines: map[string]*JobTimeline{
				"a": timeline("a", 100, 1000, 1010, 1030),
				"b": timeline("b", 300),
			},
			wantStage: []StageStats{
				{Stage: StageJob, Jobs: 2, P50Ms: 100, P99Ms: 300, LastMs: 300},
				{Stage: StagePod, Jobs: 1, P50Ms: 1000, P99Ms: 1000, LastMs: 1000},
				{Stage: StageBound, Jobs: 1, P50Ms: 1010, P99Ms: 1010, LastMs: 1010},
				{Stage: StageRunning, Jobs: 1, P50Ms: 1030, P99Ms: 1030, LastMs: 1030},
				{Stage: StageAnnotated},
			},
			wantStep: []StageStats{
				{Stage: StageJob + " -> " + StagePod, Jobs: 1, P50Ms: 900, P99Ms: 900, LastMs: 900},
				{Stage: StagePod + " -> " + StageBound, Jobs: 1, P50Ms: 10, P99Ms: 10, LastMs: 10},
				{Stage: StageBound + " -> " + StageRunning, Jobs: 1, P50Ms: 20, P99Ms: 20, LastMs: 20},
				{Stage: StageRunning + " -> " + StageAnnotated},
			},
		},
		{
			name: "a pod seen before its Job (the watches race) has a step but no Job stage",
			timelines: map[string]*JobTimeline{
				"a": {Seen: map[string]time.Time{StagePod: at(50), StageBound: at(80)}},
			},
			wantStage: []StageStats{
				{Stage: StageJob},
				{Stage: StagePod, Jobs: 1, P50Ms: 50, P99Ms: 50, LastMs: 50},
				{Stage: StageBound, Jobs: 1, P50Ms: 80, P99Ms: 80, LastMs: 80},
				{Stage: StageRunning}, {Stage: StageAnnotated},
			},
			wantStep: []StageStats{
				{Stage: StageJob + " -> " + StagePod},
				{Stage: StagePod + " -> " + StageBound, Jobs: 1, P50Ms: 30, P99Ms: 30, LastMs: 30},
				{Stage: StageBound + " -> " + StageRunning}, {Stage: StageRunning + " -> " + StageAnnotated},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stages, steps := PipelineStages(tt.timelines, pipeMark)
			assert.Equal(t, tt.wantStage, stages)
			assert.Equal(t, tt.wantStep, steps)
		})
	}
}

func TestCheckStartDelays(t *testing.T) {
	// running returns a timeline whose pod ran runningMs after the mark, with
	// startedAt and the first-running annotation at annotatedS seconds.
	running := func(cronjob string, runningMs, annotatedS int) *JobTimeline {
		tl := timeline(cronjob, 0, 0, 0, runningMs)
		tl.FirstRunning = pipeMark.Add(time.Duration(annotatedS) * time.Second)
		tl.StartedAt = tl.FirstRunning
		return tl
	}
	tests := []struct {
		name      string
		timelines map[string]*JobTimeline
		series    map[string]HistogramPoint
		want      StartDelayCheck
	}{
		{
			name: "agreement: startedAt truncates to the second",
			timelines: map[string]*JobTimeline{
				"cj-1-1": running("cj-1", 2400, 2),
				"cj-2-1": running("cj-2", 5010, 5),
			},
			series: map[string]HistogramPoint{"cj-1": {Count: 1, Sum: 2}, "cj-2": {Count: 1, Sum: 5}},
			want: StartDelayCheck{Jobs: 2, WithinOneSecond: 2, WithinOneSecondTruncated: 2, MaxAbsDiffMs: 400, MeanDiffMs: -205,
				HistogramCount: 2, HistogramSumSeconds: 7, Annotations: 2, AnnotationSumSeconds: 7},
		},
		{
			// The container started late in second 2 (startedAt 2 s); its
			// Running event reached the watch 3.024 s after the mark.
			name:      "more than a second apart to the millisecond, within at the second's resolution",
			timelines: map[string]*JobTimeline{"cj-1-1": running("cj-1", 3024, 2)},
			series:    map[string]HistogramPoint{"cj-1": {Count: 1, Sum: 2}},
			want: StartDelayCheck{Jobs: 1, WithinOneSecondTruncated: 1, MaxAbsDiffMs: 1024, MeanDiffMs: -1024,
				HistogramCount: 1, HistogramSumSeconds: 2, Annotations: 1, AnnotationSumSeconds: 2},
		},
		{
			name:      "more than a second apart at the second's resolution",
			timelines: map[string]*JobTimeline{"cj-1-1": running("cj-1", 4000, 2)},
			series:    map[string]HistogramPoint{"cj-1": {Count: 1, Sum: 2}},
			want: StartDelayCheck{Jobs: 1, MaxAbsDiffMs: 2000, MeanDiffMs: -2000,
				HistogramCount: 1, HistogramSumSeconds: 2, Annotations: 1, AnnotationSumSeconds: 2},
		},
		{
			name:      "later than the watch by more than a second",
			timelines: map[string]*JobTimeline{"cj-1-1": running("cj-1", 900, 2)},
			series:    map[string]HistogramPoint{"cj-1": {Count: 1, Sum: 2.1}},
			want: StartDelayCheck{Jobs: 1, LaterThanWatch: 1, MaxAbsDiffMs: 1200, MeanDiffMs: 1200, AnnotationMismatches: 1,
				HistogramCount: 1, HistogramSumSeconds: 2.1, Annotations: 1, AnnotationSumSeconds: 2},
		},
		{
			name:      "the histogram observed something else than the annotation",
			timelines: map[string]*JobTimeline{"cj-1-1": running("cj-1", 2100, 2)},
			series:    map[string]HistogramPoint{"cj-1": {Count: 1, Sum: 3}},
			want: StartDelayCheck{Jobs: 1, WithinOneSecond: 1, WithinOneSecondTruncated: 1, LaterThanWatch: 1, MaxAbsDiffMs: 900, MeanDiffMs: 900, AnnotationMismatches: 1,
				HistogramCount: 1, HistogramSumSeconds: 3, Annotations: 1, AnnotationSumSeconds: 2},
		},
		{
			name: "an annotation that is not the pod's startedAt",
			timelines: map[string]*JobTimeline{"cj-1-1": func() *JobTimeline {
				tl := running("cj-1", 2100, 2)
				tl.StartedAt = tl.StartedAt.Add(-time.Second)
				return tl
			}()},
			series: map[string]HistogramPoint{"cj-1": {Count: 1, Sum: 2}},
			want: StartDelayCheck{Jobs: 1, WithinOneSecond: 1, WithinOneSecondTruncated: 1, MaxAbsDiffMs: 100, MeanDiffMs: -100, StartedAtMismatches: 1,
				HistogramCount: 1, HistogramSumSeconds: 2, Annotations: 1, AnnotationSumSeconds: 2},
		},
		{
			name: "a running Job whose series has two observations or is missing disagrees; a Job not running is not compared",
			timelines: map[string]*JobTimeline{
				"cj-1-1": running("cj-1", 2100, 2),
				"cj-2-1": running("cj-2", 2100, 2),
				"cj-3-1": timeline("cj-3", 0, 0, 0),
			},
			series: map[string]HistogramPoint{"cj-1": {Count: 2, Sum: 4}, "cj-3": {Count: 1, Sum: 9}},
			want: StartDelayCheck{Jobs: 2, WithoutSeries: 2, MultiObservationSeries: 1,
				HistogramCount: 3, HistogramSumSeconds: 13, Annotations: 2, AnnotationSumSeconds: 4},
		},
		{
			name:      "a running Job the histogram never observed disagrees with the watch",
			timelines: map[string]*JobTimeline{"cj-1-1": running("cj-1", 2400, 2)},
			series:    map[string]HistogramPoint{},
			want:      StartDelayCheck{Jobs: 1, WithoutSeries: 1, Annotations: 1, AnnotationSumSeconds: 2},
		},
		{
			name: "an annotation whose pod's startedAt the watch never saw is not shown equal to it",
			timelines: map[string]*JobTimeline{"cj-1-1": func() *JobTimeline {
				tl := running("cj-1", 2400, 2)
				tl.StartedAt = time.Time{}
				return tl
			}()},
			series: map[string]HistogramPoint{"cj-1": {Count: 1, Sum: 2}},
			want: StartDelayCheck{Jobs: 1, WithinOneSecond: 1, WithinOneSecondTruncated: 1, MaxAbsDiffMs: 400, MeanDiffMs: -400, StartedAtMismatches: 1, StartedAtUnverified: 1,
				HistogramCount: 1, HistogramSumSeconds: 2, Annotations: 1, AnnotationSumSeconds: 2},
		},
		{
			name: "a Job the histogram observed but whose annotation the watch did not see",
			timelines: map[string]*JobTimeline{
				"cj-1-1": timeline("cj-1", 0, 0, 0, 2500),
			},
			series: map[string]HistogramPoint{"cj-1": {Count: 1, Sum: 2}},
			want: StartDelayCheck{Jobs: 1, WithinOneSecond: 1, WithinOneSecondTruncated: 1, MaxAbsDiffMs: 500, MeanDiffMs: -500, AnnotationMismatches: 1,
				HistogramCount: 1, HistogramSumSeconds: 2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, CheckStartDelays(tt.timelines, tt.series, pipeMark))
		})
	}
}

func TestNewAnnotationRate(t *testing.T) {
	tests := []struct {
		name string
		seen []time.Time
		want AnnotationRate
	}{
		{"none", nil, AnnotationRate{Writer: "w"}},
		{"one write has no span", []time.Time{at(5)}, AnnotationRate{Writer: "w", Jobs: 1}},
		{"all at the same instant", []time.Time{at(5), at(5)}, AnnotationRate{Writer: "w", Jobs: 2}},
		{"five writes over two seconds, unsorted", []time.Time{at(1500), at(500), at(2500), at(1000), at(2000)},
			AnnotationRate{Writer: "w", Jobs: 5, SpanMs: 2000, PerSecond: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, NewAnnotationRate("w", tt.seen))
		})
	}
}

func histogram(labels map[string]string, count uint64, sum float64) *dto.Metric {
	m := &dto.Metric{Histogram: &dto.Histogram{SampleCount: ptr.To(count), SampleSum: ptr.To(sum)}}
	for k, v := range labels {
		m.Label = append(m.Label, &dto.LabelPair{Name: ptr.To(k), Value: ptr.To(v)})
	}
	return m
}

func TestStartDelaySeries(t *testing.T) {
	fam := func(ms ...*dto.Metric) map[string]*dto.MetricFamily {
		return map[string]*dto.MetricFamily{"cronjob_job_start_delay_seconds": {Metric: ms}}
	}
	l := func(ns, cj, trigger string) map[string]string {
		return map[string]string{"namespace": ns, "cronjob": cj, "trigger": trigger}
	}
	tests := []struct {
		name     string
		families map[string]*dto.MetricFamily
		want     map[string]HistogramPoint
	}{
		{"family absent", map[string]*dto.MetricFamily{}, map[string]HistogramPoint{}},
		{"scheduled Jobs of the namespace, by CronJob", fam(
			histogram(l("bench", "cj-1", "scheduled"), 1, 2.5),
			histogram(l("bench", "cj-2", "scheduled"), 2, 7),
			histogram(l("bench", "cj-1", "manual"), 1, 0.5),
			histogram(l("other", "cj-1", "scheduled"), 1, 9),
		), map[string]HistogramPoint{"cj-1": {Count: 1, Sum: 2.5}, "cj-2": {Count: 2, Sum: 7}}},
		{"--metrics-per-cronjob=false: one series with empty labels does not match", fam(
			histogram(l("", "", "scheduled"), 5, 10),
		), map[string]HistogramPoint{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, StartDelaySeries(tt.families, "bench"))
		})
	}
}

func TestHistogramSumTotal(t *testing.T) {
	tests := []struct {
		name     string
		families map[string]*dto.MetricFamily
		want     float64
	}{
		{"absent", map[string]*dto.MetricFamily{}, 0},
		{"sums every series", map[string]*dto.MetricFamily{"h": {Metric: []*dto.Metric{
			histogram(map[string]string{"verb": "POST"}, 3, 1.5), histogram(map[string]string{"verb": "GET"}, 1, 0.25),
		}}}, 1.75},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.InDelta(t, tt.want, HistogramSumTotal(tt.families, "h"), 1e-9)
		})
	}
}

func TestPrintPipeline(t *testing.T) {
	stages, steps := PipelineStages(map[string]*JobTimeline{"cj-1-1": timeline("cj-1", 100, 1000, 1010, 1030, 1100)}, pipeMark)
	common := []string{
		"pod running 1/2 1.03 1.03 1.03",
		"job created -> pod created 1 0.90 0.90 0.90",
		"CPU (s) over 0 s: etcd 2.0 kwok 1.0",
		"unthrottled client: 1000 Jobs in 2.00 s = 500/s",
		"unthrottled client / job tracker rate: 1.25 (target <= 1.3: met)",
	}
	tests := []struct {
		name       string
		startDelay StartDelayCheck
		want       []string
	}{
		{
			name:       "every Job within 1 s: the agreement is met",
			startDelay: StartDelayCheck{Jobs: 1, WithinOneSecond: 1, WithinOneSecondTruncated: 1, Annotations: 1},
			want:       []string{"truncated to the second: 1/1 Jobs within 1 s per Job: met", "first-running = startedAt: 1/1 annotated Jobs (0 not verified"},
		},
		{
			name:       "some Jobs more than 1 s apart: the agreement is not met",
			startDelay: StartDelayCheck{Jobs: 1000, WithinOneSecond: 844, WithinOneSecondTruncated: 990, MaxAbsDiffMs: 1700, MeanDiffMs: -650},
			want:       []string{"990/1000 Jobs within 1 s per Job: NOT met", "to the millisecond: 844/1000 within 1 s"},
		},
		{
			name:       "every Job within 1 s at the second's resolution: met, whatever the millisecond comparison",
			startDelay: StartDelayCheck{Jobs: 1000, WithinOneSecond: 963, WithinOneSecondTruncated: 1000, MaxAbsDiffMs: 1024, MeanDiffMs: -535},
			want:       []string{"1000/1000 Jobs within 1 s per Job: met", "to the millisecond: 963/1000 within 1 s"},
		},
		{
			name:       "no Job compared: the agreement is not met",
			startDelay: StartDelayCheck{},
			want:       []string{"0/0 Jobs within 1 s per Job: NOT met"},
		},
		{
			name:       "unverified startedAt counted apart",
			startDelay: StartDelayCheck{Jobs: 2, WithinOneSecond: 2, WithinOneSecondTruncated: 2, Annotations: 2, StartedAtMismatches: 1, StartedAtUnverified: 1},
			want:       []string{"first-running = startedAt: 1/2 annotated Jobs (1 not verified: startedAt never seen)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &ModeResult{Mode: ModePipeSteadycron, N: 2, Mark: pipeMark, Controller: "steadycron", Pipeline: &PipelineResult{
				Schedule: "31 21 * * *", Stages: stages, Steps: steps, CPUSeconds: map[string]float64{"kwok": 1, "etcd": 2},
				StartDelay:     &tt.startDelay,
				RawRate:        &AnnotationRate{Writer: "unthrottled client", Jobs: 1000, SpanMs: 2000, PerSecond: 500},
				TrackerRate:    &AnnotationRate{Writer: "job tracker (restarted)", Jobs: 1000, SpanMs: 2500, PerSecond: 400},
				RawOverTracker: 1.25,
			}}
			var b bytes.Buffer
			PrintPipeline(&b, m)
			out := strings.Join(strings.Fields(b.String()), " ") // columns are padded
			for _, want := range append(slices.Clone(common), tt.want...) {
				assert.Contains(t, out, want)
			}
		})
	}
}

func TestCountStage(t *testing.T) {
	timelines := map[string]*JobTimeline{
		"a": timeline("a", 100, 1000, 1010, 1030, 1100),
		"b": timeline("b", 100, 1000),
		"c": timeline("c", 100),
	}
	tests := []struct {
		stage string
		want  int
	}{
		{StageJob, 3}, {StagePod, 2}, {StageBound, 1}, {StageAnnotated, 1},
	}
	for _, tt := range tests {
		t.Run(tt.stage, func(t *testing.T) {
			assert.Equal(t, tt.want, countStage(timelines, tt.stage))
		})
	}
	assert.Zero(t, countStage(nil, StageJob))
}

func TestPrintTableJobPOSTs(t *testing.T) {
	tests := []struct {
		name    string
		mode    *ModeResult
		want    string
		notWant string
	}{
		{
			name: "a creation mode prints the API server's Job POSTs",
			mode: &ModeResult{Mode: ModeSteadycron, N: 200, Created: 200, Mark: pipeMark, Controller: "steadycron", APIServerJobCreates: 200},
			want: "apiserver Job POSTs 200",
		},
		{
			name:    "a pipeline mode, which does not count them, leaves them out",
			mode:    &ModeResult{Mode: ModePipeSteadycron, N: 200, Created: 200, Mark: pipeMark, Controller: "steadycron", Pipeline: &PipelineResult{}},
			notWant: "apiserver Job POSTs",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			PrintTable(&b, &Results{N: 200, Modes: []*ModeResult{tt.mode}})
			if tt.want != "" {
				assert.Contains(t, b.String(), tt.want)
			}
			if tt.notWant != "" {
				assert.NotContains(t, b.String(), tt.notWant)
			}
		})
	}
}

func TestMissedTargets(t *testing.T) {
	met, missed := ptr.To(true), ptr.To(false)
	pipe := func(c StartDelayCheck, rawOverTracker float64) *ModeResult {
		return &ModeResult{Mode: ModePipeSteadycron, Pipeline: &PipelineResult{StartDelay: &c, RawOverTracker: rawOverTracker}}
	}
	agree := StartDelayCheck{Jobs: 10, WithinOneSecond: 9, WithinOneSecondTruncated: 10}
	tests := []struct {
		name string
		res  *Results
		want int
	}{
		{name: "every target met", res: &Results{Ratios: []Ratio{{Name: "r", Met: met}}, Modes: []*ModeResult{pipe(agree, 1.2)}}},
		{name: "an undecidable ratio is not a miss", res: &Results{Ratios: []Ratio{{Name: "r"}}}},
		{name: "a ratio missed", res: &Results{Ratios: []Ratio{{Name: "r", Met: missed}}}, want: 1},
		{name: "start delays not within 1 s for every Job", res: &Results{Modes: []*ModeResult{pipe(StartDelayCheck{Jobs: 10, WithinOneSecond: 10, WithinOneSecondTruncated: 9}, 1.2)}}, want: 1},
		{name: "annotation rate ratio above 1.3", res: &Results{Modes: []*ModeResult{pipe(agree, 1.99)}}, want: 1},
		{name: "annotation rate not measured", res: &Results{Modes: []*ModeResult{pipe(agree, 0)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Len(t, MissedTargets(tt.res), tt.want)
		})
	}
}

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
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// The kinds of schedule in the steady-state benchmark's mix.
const (
	KindHourly       = "hourly at minute 0"
	KindTwoHourly    = "every 2 hours at minute 0"
	KindDaily        = "daily at minute 0"
	KindEvery5       = "every 5 minutes"
	KindHourlySpread = "hourly at minute 1-59"
	KindEvery10      = "every 10 minutes from minute 0-9"
)

// SteadySchedule returns the schedule of CronJob i of the steady-state
// benchmark's mix and its kind, by i mod 20: hourly at minute 0 (9 in 20),
// every other hour at minute 0 (2), daily at minute 0 of hour i/20 mod 24
// (1), every 5 minutes (5), hourly at a minute spread over 1-59 (2), every
// 10 minutes from a minute spread over 0-9 (1). So 12 in 20 run at minute 0
// of their hour, 5 in 20 every 5 minutes, the rest spread.
func SteadySchedule(i int) (schedule, kind string) {
	switch k := i % 20; {
	case k <= 8:
		return "0 * * * *", KindHourly
	case k <= 10:
		return "0 */2 * * *", KindTwoHourly
	case k == 11:
		return fmt.Sprintf("0 %d * * *", (i/20)%24), KindDaily
	case k <= 16:
		return "*/5 * * * *", KindEvery5
	case k <= 18:
		return fmt.Sprintf("%d * * * *", 1+(i*7)%59), KindHourlySpread
	default:
		return fmt.Sprintf("%d/10 * * * *", (i/20)%10), KindEvery10
	}
}

// ScheduledTimesBetween returns the times schedule (five fields, as the
// CronJob controller parses them with robfig/cron's ParseStandard) names in
// [from, to], evaluated in loc (the CronJob's time zone; the controller's
// local zone when it sets none).
func ScheduledTimesBetween(schedule string, loc *time.Location, from, to time.Time) ([]time.Time, error) {
	s, err := cron.ParseStandard(schedule)
	if err != nil {
		return nil, fmt.Errorf("parsing schedule %q: %w", schedule, err)
	}
	var out []time.Time
	// Next returns the first time strictly after its argument, in whole seconds.
	for t := s.Next(from.In(loc).Add(-time.Second)); !t.IsZero() && !t.After(to); t = s.Next(t) {
		out = append(out, t)
	}
	return out, nil
}

// SpansTopOfHour reports whether [from, to] holds minute 0 of an hour of
// UTC (the zone of the CronJobs' schedules where the benchmark runs them).
func SpansTopOfHour(from, to time.Time) bool {
	top := from.UTC().Truncate(time.Hour)
	if top.Before(from) {
		top = top.Add(time.Hour)
	}
	return !top.After(to)
}

// LastScheduledTime returns the last time schedule names at or before now
// (looking back at most 25 hours), in loc; zero when there is none.
func LastScheduledTime(schedule string, loc *time.Location, now time.Time) (time.Time, error) {
	ts, err := ScheduledTimesBetween(schedule, loc, now.Add(-25*time.Hour), now)
	if err != nil || len(ts) == 0 {
		return time.Time{}, err
	}
	return ts[len(ts)-1], nil
}

// SteadyCronJob is one CronJob of the benchmark and its schedule.
type SteadyCronJob struct {
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	Schedule  string `json:"schedule"`
}

// ObservedJob is a Job of a CronJob as the benchmark's watch saw it first.
type ObservedJob struct {
	Namespace string `json:"namespace"`
	// CronJob is the name of the CronJob that controls the Job.
	CronJob string `json:"cronJob"`
	Name    string `json:"name"`
	UID     string `json:"uid"`
	// Scheduled is the Job's batch.kubernetes.io/cronjob-scheduled-timestamp.
	Scheduled time.Time `json:"scheduled"`
	// Created is metadata.creationTimestamp (whole seconds, truncated).
	Created time.Time `json:"created"`
	// Received is when the benchmark's watch delivered the Job.
	Received time.Time `json:"received"`
}

// Finding kinds of CheckExactlyOnce.
const (
	FindingMissing    = "missing"    // a scheduled time with no Job
	FindingDuplicate  = "duplicate"  // a scheduled time with more than one Job
	FindingUnexpected = "unexpected" // a Job for a time the schedule does not name
)

// Finding is one violation of "every scheduled time gets exactly one Job".
type Finding struct {
	Kind      string    `json:"kind"`
	Namespace string    `json:"namespace"`
	CronJob   string    `json:"cronJob"`
	Schedule  string    `json:"schedule"`
	Time      time.Time `json:"time"`
	// Jobs are the Jobs for that time: "name (uid, created ...)".
	Jobs []string `json:"jobs,omitempty"`
}

func (f Finding) String() string {
	s := fmt.Sprintf("%s: CronJob %s/%s (%q) at %s", f.Kind, f.Namespace, f.CronJob, f.Schedule, f.Time.UTC().Format(time.RFC3339))
	if len(f.Jobs) > 0 {
		s += ": " + strings.Join(f.Jobs, ", ")
	}
	return s
}

// CheckExactlyOnce compares the Jobs seen with the times the CronJobs'
// schedules name in [from, to] (evaluated in loc): every such time must have
// exactly one Job (by UID) whose scheduled-timestamp annotation names it, and
// no Job may name a time in [from, to] its schedule does not. Jobs of other
// CronJobs and Jobs for times outside [from, to] are not judged. It returns
// how many times were expected and the findings, ordered by time, CronJob
// and kind.
func CheckExactlyOnce(cronjobs []SteadyCronJob, jobs []ObservedJob, loc *time.Location, from, to time.Time) (int, []Finding, error) {
	type key struct {
		ns, name string
		t        int64
	}
	byKey := map[key][]ObservedJob{}
	for _, j := range jobs {
		if j.Scheduled.Before(from) || j.Scheduled.After(to) {
			continue
		}
		k := key{j.Namespace, j.CronJob, j.Scheduled.Unix()}
		byKey[k] = append(byKey[k], j)
	}
	describe := func(js []ObservedJob) []string {
		var out []string
		for _, j := range js {
			out = append(out, fmt.Sprintf("%s (uid %s, created %s)", j.Name, j.UID, j.Created.UTC().Format(time.RFC3339)))
		}
		sort.Strings(out)
		return out
	}
	expected := 0
	findings := []Finding{}
	for _, cj := range cronjobs {
		times, err := ScheduledTimesBetween(cj.Schedule, loc, from, to)
		if err != nil {
			return 0, nil, fmt.Errorf("CronJob %s/%s: %w", cj.Namespace, cj.Name, err)
		}
		expected += len(times)
		for _, t := range times {
			k := key{cj.Namespace, cj.Name, t.Unix()}
			js := byKey[k]
			delete(byKey, k)
			switch {
			case len(js) == 0:
				findings = append(findings, Finding{Kind: FindingMissing, Namespace: cj.Namespace, CronJob: cj.Name, Schedule: cj.Schedule, Time: t})
			case len(js) > 1:
				findings = append(findings, Finding{Kind: FindingDuplicate, Namespace: cj.Namespace, CronJob: cj.Name, Schedule: cj.Schedule, Time: t, Jobs: describe(js)})
			}
		}
	}
	known := map[[2]string]string{}
	for _, cj := range cronjobs {
		known[[2]string{cj.Namespace, cj.Name}] = cj.Schedule
	}
	for k, js := range byKey {
		schedule, ok := known[[2]string{k.ns, k.name}]
		if !ok {
			continue
		}
		findings = append(findings, Finding{Kind: FindingUnexpected, Namespace: k.ns, CronJob: k.name, Schedule: schedule,
			Time: time.Unix(k.t, 0), Jobs: describe(js)})
	}
	sort.Slice(findings, func(a, b int) bool {
		fa, fb := findings[a], findings[b]
		if !fa.Time.Equal(fb.Time) {
			return fa.Time.Before(fb.Time)
		}
		if fa.Namespace+"/"+fa.CronJob != fb.Namespace+"/"+fb.CronJob {
			return fa.Namespace+"/"+fa.CronJob < fb.Namespace+"/"+fb.CronJob
		}
		return fa.Kind < fb.Kind
	})
	return expected, findings, nil
}

// MarkSkew is the creation skew of the Jobs for one scheduled minute.
type MarkSkew struct {
	Mark time.Time `json:"mark"`
	Jobs int       `json:"jobs"`
	// From metadata.creationTimestamp minus the scheduled time, in seconds
	// (the timestamp has whole seconds, truncated: 0 means within the
	// first second).
	CreatedP50S float64 `json:"createdP50Seconds"`
	CreatedP99S float64 `json:"createdP99Seconds"`
	CreatedMaxS float64 `json:"createdMaxSeconds"`
	// From the watch's receive time minus the scheduled time, in ms.
	ReceivedP50Ms float64 `json:"receivedP50Ms"`
	ReceivedP99Ms float64 `json:"receivedP99Ms"`
	ReceivedMaxMs float64 `json:"receivedMaxMs"`
}

// MarkSkews groups the Jobs scheduled in [from, to] by scheduled time and
// returns each group's skews (nearest-rank percentiles), in time order.
func MarkSkews(jobs []ObservedJob, from, to time.Time) []MarkSkew {
	created := map[int64][]time.Duration{}
	received := map[int64][]time.Duration{}
	for _, j := range jobs {
		if j.Scheduled.Before(from) || j.Scheduled.After(to) {
			continue
		}
		k := j.Scheduled.Unix()
		created[k] = append(created[k], j.Created.Sub(j.Scheduled))
		received[k] = append(received[k], j.Received.Sub(j.Scheduled))
	}
	var out []MarkSkew
	for k, c := range created {
		r := received[k]
		out = append(out, MarkSkew{
			Mark: time.Unix(k, 0).UTC(), Jobs: len(c),
			CreatedP50S: Percentile(c, 50).Seconds(), CreatedP99S: Percentile(c, 99).Seconds(), CreatedMaxS: Percentile(c, 100).Seconds(),
			ReceivedP50Ms: millis(Percentile(r, 50)), ReceivedP99Ms: millis(Percentile(r, 99)), ReceivedMaxMs: millis(Percentile(r, 100)),
		})
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Mark.Before(out[b].Mark) })
	return out
}

// SteadySample is one sample of steadycron and the cluster during the window.
type SteadySample struct {
	At time.Time `json:"at"`
	// RSSBytes is VmRSS of /proc/<pid>/status; CPUSeconds is utime+stime so far.
	RSSBytes   int64   `json:"rssBytes"`
	CPUSeconds float64 `json:"cpuSeconds"`
	// Depth is workqueue_depth by queue name (cronjob, cronjob_status, jobtracker).
	Depth map[string]float64 `json:"depth"`
	// HeapGoalBytes is go_memstats_next_gc_bytes: twice the heap that was
	// live at the last GC (GOGC=100), a steadier view of the live heap than RSS.
	HeapGoalBytes float64 `json:"heapGoalBytes"`
	Goroutines    float64 `json:"goroutines"`
	// Requests is rest_client_requests_total so far.
	Requests float64 `json:"requests"`
	// Series is how many series steadycron's /metrics served (a histogram
	// counts once).
	Series int `json:"series"`
	// Jobs and Pods are how many the benchmark's informers held.
	Jobs int `json:"jobs"`
	Pods int `json:"pods"`
}

// Third summarizes the samples of one third of the window.
type Third struct {
	From    time.Time `json:"from"`
	To      time.Time `json:"to"`
	Samples int       `json:"samples"`
	// RSSMedianBytes and HeapGoalMedianBytes are medians over the samples.
	RSSMedianBytes      int64   `json:"rssMedianBytes"`
	RSSMaxBytes         int64   `json:"rssMaxBytes"`
	HeapGoalMedianBytes float64 `json:"heapGoalMedianBytes"`
	GoroutinesMedian    float64 `json:"goroutinesMedian"`
	SeriesMedian        float64 `json:"seriesMedian"`
	// CPUMillicores is the CPU time between the third's first and last
	// samples over the time between them.
	CPUMillicores float64 `json:"cpuMillicores"`
	// Requests is the API requests steadycron made between those samples.
	Requests float64 `json:"requests"`
	// DepthMedian and DepthMax are per queue.
	DepthMedian map[string]float64 `json:"depthMedian"`
	DepthMax    map[string]float64 `json:"depthMax"`
	// DepthTailMedian is per queue the median over the third's last quarter
	// of samples (at least one): a backlog building late in the third shows
	// there before it moves the third's median.
	DepthTailMedian map[string]float64 `json:"depthTailMedian"`
	JobsMedian      float64            `json:"jobsMedian"`
	PodsMedian      float64            `json:"podsMedian"`
}

// Thirds splits [from, to] into three equal spans and summarizes the
// samples of each. The sampler reads the clock after each tick, so its
// samples are a few milliseconds late; the last third therefore holds every
// sample from its start on, including the one of the tick at to.
func Thirds(samples []SteadySample, from, to time.Time) [3]Third {
	var out [3]Third
	span := to.Sub(from) / 3
	for i := range out {
		th := &out[i]
		th.From, th.To = from.Add(time.Duration(i)*span), from.Add(time.Duration(i+1)*span)
		if i == 2 {
			th.To = to
		}
		var in []SteadySample
		for _, s := range samples {
			if !s.At.Before(th.From) && (s.At.Before(th.To) || i == 2) {
				in = append(in, s)
			}
		}
		th.Samples = len(in)
		th.DepthMedian, th.DepthMax, th.DepthTailMedian = map[string]float64{}, map[string]float64{}, map[string]float64{}
		if len(in) == 0 {
			continue
		}
		var rss []int64
		var goal, gr, jobs, pods, series []float64
		depths := map[string][]float64{}
		for _, s := range in {
			rss = append(rss, s.RSSBytes)
			goal, gr = append(goal, s.HeapGoalBytes), append(gr, s.Goroutines)
			jobs, pods = append(jobs, float64(s.Jobs)), append(pods, float64(s.Pods))
			series = append(series, float64(s.Series))
			for q, d := range s.Depth {
				depths[q] = append(depths[q], d)
				th.DepthMax[q] = max(th.DepthMax[q], d)
			}
		}
		sort.Slice(rss, func(a, b int) bool { return rss[a] < rss[b] })
		th.RSSMedianBytes, th.RSSMaxBytes = medianInt(rss), rss[len(rss)-1]
		th.HeapGoalMedianBytes, th.GoroutinesMedian = medianFloat(goal), medianFloat(gr)
		th.JobsMedian, th.PodsMedian, th.SeriesMedian = medianFloat(jobs), medianFloat(pods), medianFloat(series)
		for q, ds := range depths {
			th.DepthMedian[q] = medianFloat(ds)
			th.DepthTailMedian[q] = medianFloat(ds[len(ds)-max(1, len(ds)/4):])
		}
		first, last := in[0], in[len(in)-1]
		if dt := last.At.Sub(first.At).Seconds(); dt > 0 {
			th.CPUMillicores = (last.CPUSeconds - first.CPUSeconds) / dt * 1000
		}
		th.Requests = last.Requests - first.Requests
	}
	return out
}

// GrowthLimits are the checks' thresholds (docs/benchmarks.md, "Steady
// state", says why these).
type GrowthLimits struct {
	// RSSRatio: the last third's median RSS over the first's, at most.
	RSSRatio float64 `json:"rssRatio"`
	// CPURatio: the last third's CPU over the first's, at most.
	CPURatio float64 `json:"cpuRatio"`
	// DepthSlack: each queue's median depth in the last third, and over the
	// last third's final quarter, may exceed the first third's median by at
	// most this many items.
	DepthSlack float64 `json:"depthSlack"`
}

// DefaultGrowthLimits are the limits make bench-steady applies.
var DefaultGrowthLimits = GrowthLimits{RSSRatio: 1.10, CPURatio: 1.5, DepthSlack: 1}

// GrowthCheck is one comparison of the first and last thirds.
type GrowthCheck struct {
	Name  string  `json:"name"`
	First float64 `json:"first"`
	Last  float64 `json:"last"`
	Rule  string  `json:"rule"`
	OK    bool    `json:"ok"`
}

// CheckGrowth compares the first and the last third: RSS median and CPU by
// ratio, each queue's median depth by difference, where the last third's is
// the larger of its median and its final quarter's (so that a backlog that
// builds late in the window is growth). A third without samples fails every
// check.
func CheckGrowth(th [3]Third, l GrowthLimits) []GrowthCheck {
	first, last := th[0], th[2]
	sampled := first.Samples > 1 && last.Samples > 1
	var out []GrowthCheck
	out = append(out, GrowthCheck{
		Name: "RSS median (MiB)", First: float64(first.RSSMedianBytes) / (1 << 20), Last: float64(last.RSSMedianBytes) / (1 << 20),
		Rule: fmt.Sprintf("last <= %.2f x first", l.RSSRatio),
		OK:   sampled && float64(last.RSSMedianBytes) <= l.RSSRatio*float64(first.RSSMedianBytes),
	})
	out = append(out, GrowthCheck{
		Name: "CPU (millicores)", First: first.CPUMillicores, Last: last.CPUMillicores,
		Rule: fmt.Sprintf("last <= %.2f x first", l.CPURatio),
		OK:   sampled && last.CPUMillicores <= l.CPURatio*first.CPUMillicores,
	})
	queues := map[string]bool{}
	for q := range first.DepthMedian {
		queues[q] = true
	}
	for q := range last.DepthMedian {
		queues[q] = true
	}
	names := make([]string, 0, len(queues))
	for q := range queues {
		names = append(names, q)
	}
	sort.Strings(names)
	for _, q := range names {
		lastDepth := max(last.DepthMedian[q], last.DepthTailMedian[q])
		out = append(out, GrowthCheck{
			Name: "workqueue_depth{name=" + q + "} median", First: first.DepthMedian[q], Last: lastDepth,
			Rule: fmt.Sprintf("last (the larger of the third's median and its final quarter's) <= first + %g", l.DepthSlack),
			OK:   sampled && lastDepth <= first.DepthMedian[q]+l.DepthSlack,
		})
	}
	return out
}

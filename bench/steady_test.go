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
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSteadySchedule checks the mix: every schedule parses as the controller
// parses it, 12 in 20 run at minute 0 only, 5 in 20 every 5 minutes.
func TestSteadySchedule(t *testing.T) {
	const n = 2000
	minuteZero, every5 := 0, 0
	kinds := map[string]int{}
	for i := range n {
		s, kind := SteadySchedule(i)
		kinds[kind]++
		_, err := cron.ParseStandard(s)
		require.NoError(t, err, "%d: %q", i, s)
		switch {
		case s == "*/5 * * * *":
			every5++
		case strings.HasPrefix(s, "0 "):
			minuteZero++
		}
	}
	assert.Equal(t, n*12/20, minuteZero)
	assert.Equal(t, n*5/20, every5)
	assert.Equal(t, map[string]int{KindHourly: 900, KindTwoHourly: 200, KindDaily: 100, KindEvery5: 500, KindHourlySpread: 200, KindEvery10: 100}, kinds)
}

func TestScheduledTimesBetween(t *testing.T) {
	at := func(h, m int) time.Time { return time.Date(2026, 11, 29, h, m, 0, 0, time.UTC) }
	tests := []struct {
		schedule string
		from, to time.Time
		want     []time.Time
	}{
		{"*/5 * * * *", at(22, 48), at(23, 9), []time.Time{at(22, 50), at(22, 55), at(23, 0), at(23, 5)}},
		{"*/5 * * * *", at(22, 50), at(23, 0), []time.Time{at(22, 50), at(22, 55), at(23, 0)}}, // both ends included
		{"0 * * * *", at(22, 48), at(23, 9), []time.Time{at(23, 0)}},
		{"0 */2 * * *", at(22, 48), at(23, 9), nil},
		{"0 23 * * *", at(22, 48), at(23, 9), []time.Time{at(23, 0)}},
		{"3/10 * * * *", at(22, 48), at(23, 9), []time.Time{at(22, 53), at(23, 3)}},
	}
	for _, tt := range tests {
		got, err := ScheduledTimesBetween(tt.schedule, time.UTC, tt.from, tt.to)
		require.NoError(t, err)
		assert.Equal(t, tt.want, got, tt.schedule)
	}
	_, err := ScheduledTimesBetween("61 * * * *", time.UTC, at(0, 0), at(1, 0))
	assert.Error(t, err)

	last, err := LastScheduledTime("0 5 * * *", time.UTC, at(4, 59))
	require.NoError(t, err)
	assert.Equal(t, time.Date(2026, 11, 28, 5, 0, 0, 0, time.UTC), last)
	last, err = LastScheduledTime("*/5 * * * *", time.UTC, at(22, 50))
	require.NoError(t, err)
	assert.Equal(t, at(22, 50), last)
}

func TestSpansTopOfHour(t *testing.T) {
	at := func(h, m int) time.Time { return time.Date(2026, 11, 29, h, m, 0, 0, time.UTC) }
	assert.True(t, SpansTopOfHour(at(22, 48), at(23, 9)))
	assert.True(t, SpansTopOfHour(at(23, 0), at(23, 9)))
	assert.True(t, SpansTopOfHour(at(22, 48), at(23, 0)))
	assert.False(t, SpansTopOfHour(at(22, 1), at(22, 59)))
}

func TestCheckExactlyOnce(t *testing.T) {
	at := func(h, m int) time.Time { return time.Date(2026, 11, 29, h, m, 0, 0, time.UTC) }
	cjs := []SteadyCronJob{
		{Namespace: "a", Name: "hourly", Schedule: "0 * * * *"},
		{Namespace: "a", Name: "five", Schedule: "*/5 * * * *"},
	}
	job := func(cj, name string, sched time.Time) ObservedJob {
		return ObservedJob{Namespace: "a", CronJob: cj, Name: name, UID: name, Scheduled: sched, Created: sched.Add(time.Second)}
	}
	from, to := at(22, 55), at(23, 5)
	complete := []ObservedJob{
		job("hourly", "h-23", at(23, 0)),
		job("five", "f-55", at(22, 55)), job("five", "f-00", at(23, 0)), job("five", "f-05", at(23, 5)),
		job("five", "f-50", at(22, 50)),                                              // before the window: not judged
		job("other", "o-1", at(23, 1)),                                               // not one of ours: not judged
		job("hourly", "h-22", at(22, 0)),                                             // history
		{Namespace: "b", CronJob: "five", Name: "b", UID: "b", Scheduled: at(23, 0)}, // same name, other namespace
	}
	tests := []struct {
		name  string
		jobs  []ObservedJob
		kinds []string
	}{
		{name: "one Job for each time", jobs: complete, kinds: []string{}},
		{name: "a time with none", jobs: complete[1:], kinds: []string{FindingMissing}},
		{name: "a time with two", jobs: append(append([]ObservedJob(nil), complete...), job("five", "f-00-again", at(23, 0))), kinds: []string{FindingDuplicate}},
		{name: "a time the schedule does not name", jobs: append(append([]ObservedJob(nil), complete...), job("hourly", "h-2301", at(23, 1))), kinds: []string{FindingUnexpected}},
		{name: "nothing at all", kinds: []string{FindingMissing, FindingMissing, FindingMissing, FindingMissing}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			expected, findings, err := CheckExactlyOnce(cjs, tt.jobs, time.UTC, from, to)
			require.NoError(t, err)
			assert.Equal(t, 4, expected)
			kinds := []string{}
			for _, f := range findings {
				kinds = append(kinds, f.Kind)
			}
			assert.Equal(t, tt.kinds, kinds, "%v", findings)
		})
	}

	_, findings, err := CheckExactlyOnce(cjs, append(append([]ObservedJob(nil), complete...), job("five", "f-00-again", at(23, 0))), time.UTC, from, to)
	require.NoError(t, err)
	require.Len(t, findings, 1)
	assert.Equal(t, "duplicate: CronJob a/five (\"*/5 * * * *\") at 2026-11-29T23:00:00Z: f-00 (uid f-00, created 2026-11-29T23:00:01Z), f-00-again (uid f-00-again, created 2026-11-29T23:00:01Z)",
		findings[0].String())
}

func TestMarkSkews(t *testing.T) {
	mark := time.Date(2026, 11, 29, 23, 0, 0, 0, time.UTC)
	var jobs []ObservedJob
	for i := range 100 {
		d := time.Duration(i) * 100 * time.Millisecond // 0 .. 9.9s
		jobs = append(jobs, ObservedJob{Scheduled: mark, Received: mark.Add(d), Created: mark.Add(d).Truncate(time.Second)})
	}
	jobs = append(jobs, ObservedJob{Scheduled: mark.Add(-time.Minute), Received: mark, Created: mark}) // outside
	got := MarkSkews(jobs, mark, mark.Add(time.Minute))
	require.Len(t, got, 1)
	assert.Equal(t, MarkSkew{Mark: mark, Jobs: 100, CreatedP50S: 4, CreatedP99S: 9, CreatedMaxS: 9,
		ReceivedP50Ms: 4900, ReceivedP99Ms: 9800, ReceivedMaxMs: 9900}, got[0])
}

func TestThirdsAndCheckGrowth(t *testing.T) {
	from := time.Date(2026, 11, 29, 22, 48, 0, 0, time.UTC)
	to := from.Add(21 * time.Minute)
	// samples every 10s; rss and cpu rate by third, depth by third
	series := func(rss [3]int64, cpuRate [3]float64, depth [3]float64) []SteadySample {
		var out []SteadySample
		cpu := 0.0
		for at := from; !at.After(to); at = at.Add(10 * time.Second) {
			k := min(2, int(at.Sub(from)/(7*time.Minute)))
			out = append(out, SteadySample{At: at, RSSBytes: rss[k], CPUSeconds: cpu, Depth: map[string]float64{"cronjob": depth[k]}})
			cpu += cpuRate[k] * 10
		}
		return out
	}
	// lateBacklog: flat, until a backlog starts 3m40s into the last third
	// and grows by ten items every sample (the last third's median stays 0).
	lateBacklog := func() []SteadySample {
		var out []SteadySample
		var backlog float64
		for at, i := from, 0; !at.After(to); at, i = at.Add(10*time.Second), i+1 {
			if at.After(from.Add(14*time.Minute + 220*time.Second)) {
				backlog += 10
			}
			out = append(out, SteadySample{At: at, RSSBytes: 100 << 20, CPUSeconds: float64(i) * 0.2, Depth: map[string]float64{"cronjob": backlog}})
		}
		return out
	}
	tests := []struct {
		name   string
		s      []SteadySample
		failed []string
	}{
		{name: "flat", s: series([3]int64{100 << 20, 150 << 20, 105 << 20}, [3]float64{0.02, 0.2, 0.025}, [3]float64{0, 40, 1})},
		{name: "RSS grew", s: series([3]int64{100 << 20, 150 << 20, 111 << 20}, [3]float64{0.02, 0.2, 0.02}, [3]float64{0, 40, 0}), failed: []string{"RSS median (MiB)"}},
		{name: "CPU grew", s: series([3]int64{100 << 20, 100 << 20, 100 << 20}, [3]float64{0.02, 0.02, 0.031}, [3]float64{0, 0, 0}), failed: []string{"CPU (millicores)"}},
		{name: "a backlog", s: series([3]int64{100 << 20, 100 << 20, 100 << 20}, [3]float64{0.02, 0.02, 0.02}, [3]float64{0, 5, 2}), failed: []string{"workqueue_depth{name=cronjob} median"}},
		{name: "a backlog building late in the last third", s: lateBacklog(), failed: []string{"workqueue_depth{name=cronjob} median"}},
		{name: "no samples", failed: []string{"RSS median (MiB)", "CPU (millicores)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			th := Thirds(tt.s, from, to)
			var failed []string
			for _, g := range CheckGrowth(th, DefaultGrowthLimits) {
				if !g.OK {
					failed = append(failed, g.Name)
				}
			}
			assert.Equal(t, tt.failed, failed)
		})
	}

	for _, late := range []time.Duration{0, 5 * time.Millisecond} {
		var s []SteadySample
		for tick := from; !tick.After(to); tick = tick.Add(10 * time.Second) {
			s = append(s, SteadySample{At: tick.Add(late), RSSBytes: 100 << 20})
		}
		th := Thirds(s, from, to)
		assert.Equal(t, []int{42, 42, 43}, []int{th[0].Samples, th[1].Samples, th[2].Samples},
			"samples %s after their tick: the last sample, of the tick at the window's end, is in the last third", late)
	}
	th := Thirds(series([3]int64{100 << 20, 150 << 20, 105 << 20}, [3]float64{0.02, 0.2, 0.025}, [3]float64{0, 40, 1}), from, to)
	assert.InDelta(t, 20, th[0].CPUMillicores, 0.01)
	assert.InDelta(t, 25, th[2].CPUMillicores, 0.01)
	assert.Equal(t, int64(150<<20), th[1].RSSMedianBytes)
	assert.Equal(t, 40.0, th[1].DepthMax["cronjob"])
}

func TestSaveHeapProfile(t *testing.T) {
	profile := []byte("\x1f\x8b a profile")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/debug/pprof/heap" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(profile)
	}))
	defer srv.Close()

	tests := []struct {
		name    string
		path    string
		wantErr string
	}{
		{name: "served", path: "/debug/pprof/heap"},
		{name: "profiling off", path: "/debug/pprof/nothing", wantErr: "404 Not Found"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "heap-0.pb.gz")
			err := saveHeapProfile(context.Background(), srv.URL+tc.path, out)
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				assert.NoFileExists(t, out)
				return
			}
			require.NoError(t, err)
			got, err := os.ReadFile(out)
			require.NoError(t, err)
			assert.Equal(t, profile, got)
		})
	}
}

func TestMarkOnlySchedule(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	tests := []struct {
		name string
		mark time.Time
		loc  *time.Location
		want string
	}{
		{name: "UTC", mark: time.Date(2026, 11, 30, 1, 7, 0, 0, time.UTC), loc: time.UTC, want: "7 1 * * *"},
		{name: "the controller's zone is not UTC", mark: time.Date(2026, 11, 30, 23, 59, 0, 0, time.UTC), loc: berlin, want: "59 0 * * *"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := MarkOnlySchedule(tc.mark, tc.loc)
			assert.Equal(t, tc.want, got)
			sched, err := cron.ParseStandard(got)
			require.NoError(t, err)
			// Created long before the mark, it fires first at the mark, then a day later.
			assert.True(t, sched.Next(tc.mark.Add(-23*time.Hour).In(tc.loc)).Equal(tc.mark))
			assert.True(t, sched.Next(tc.mark.In(tc.loc)).Equal(tc.mark.Add(24*time.Hour)))
		})
	}
}

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
	"testing"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestScheduleFor checks the memory benchmark's schedules against the cron
// parser the controller uses: the recent times are consecutive scheduled
// times, the newest is the last one before now (so the controller finds
// nothing missed), and the next is more than 2 hours away (so none fires
// during a run).
func TestScheduleFor(t *testing.T) {
	nows := []time.Time{
		time.Date(2026, 11, 29, 18, 7, 0, 0, time.UTC),
		time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),      // month start, midnight
		time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC), // year end
	}
	suspended := 0
	for _, now := range nows {
		for i := range 40 {
			s := ScheduleFor(i, now, 3)
			sched, err := cron.ParseStandard(s.Cron)
			require.NoError(t, err, s.Cron)
			require.Len(t, s.Recent, 3)
			assert.False(t, s.Recent[0].After(now), "%d %q: newest %s after now %s", i, s.Cron, s.Recent[0], now)
			assert.Equal(t, s.Recent[0], sched.Next(s.Recent[0].Add(-time.Second)), "%d %q: %s is not a scheduled time", i, s.Cron, s.Recent[0])
			next := sched.Next(s.Recent[0])
			assert.True(t, next.After(now), "%d %q: %s, between the newest and now, was missed", i, s.Cron, next)
			assert.Greater(t, next.Sub(now), 2*time.Hour, "%d %q fires at %s, within 2 hours of %s", i, s.Cron, next, now)
			for k := 1; k < len(s.Recent); k++ {
				assert.Equal(t, s.Recent[k-1], sched.Next(s.Recent[k]), "%d %q: %s does not follow %s", i, s.Cron, s.Recent[k-1], s.Recent[k])
			}
			if s.Suspend {
				suspended++
			}
		}
	}
	assert.Equal(t, 2*4*len(nows), suspended, "two in ten suspended")
}

func TestSummarize(t *testing.T) {
	const mib = 1 << 20
	// rounds returns a run's measurements: one without foreign pods, one with,
	// for each program, with the job tracker's cached pods as given.
	// The CPU figures are given apart (cpu) and are 2 and 2.5 millicores
	// unless a case changes them.
	rounds := func(floorNo, scNo, floorWith, scWith int64, cachedPods float64) []Measurement {
		return []Measurement{
			{Program: ProgramFloor, Phase: PhaseCronJobsOnly, Round: 1, RSSMedianBytes: floorNo * mib, CPUMillicores: 2, CachedPods: -1, CronJobPods: 300},
			{Program: ProgramSteadycron, Phase: PhaseCronJobsOnly, Round: 1, RSSMedianBytes: scNo * mib, CPUMillicores: 2.5, CachedPods: cachedPods, CronJobPods: 300},
			{Program: ProgramFloor, Phase: PhaseWithForeign, Round: 1, RSSMedianBytes: floorWith * mib, CPUMillicores: 2, CachedPods: -1, CronJobPods: 300},
			{Program: ProgramSteadycron, Phase: PhaseWithForeign, Round: 1, RSSMedianBytes: scWith * mib, CPUMillicores: 2.5, CachedPods: cachedPods, CronJobPods: 300},
		}
	}
	cpu := func(ms []Measurement, floor, steadycron float64) []Measurement {
		for i := range ms {
			ms[i].CPUMillicores = map[string]float64{ProgramFloor: floor, ProgramSteadycron: steadycron}[ms[i].Program]
		}
		return ms
	}
	tests := []struct {
		name         string
		ms           []Measurement
		wantRatio    float64
		wantCostMiB  int64
		wantCPUOK    bool
		wantCostOK   bool
		wantCachedOK bool
		wantMet      bool
	}{
		{
			name: "within the ratio, foreign pods cost nothing, only CronJob pods cached",
			ms:   rounds(653, 730, 626, 702, 300), wantRatio: 1.12, wantCostMiB: -28,
			wantCPUOK: true, wantCostOK: true, wantCachedOK: true, wantMet: true,
		},
		{
			name: "CPU above the ratio (memory-1: 7.6 m against 1.1 m)",
			ms:   cpu(rounds(653, 730, 626, 702, 300), 1.1, 7.6), wantRatio: 1.12, wantCostMiB: -28,
			wantCostOK: true, wantCachedOK: true,
		},
		{
			name: "a floor without measurable CPU",
			ms:   cpu(rounds(653, 730, 626, 702, 300), 0, 6.6), wantRatio: 1.12, wantCostMiB: -28,
			wantCostOK: true, wantCachedOK: true,
		},
		{
			name: "the ratio missed",
			ms:   rounds(300, 400, 300, 400, 300), wantRatio: 1.33, wantCostMiB: 0,
			wantCPUOK: true, wantCostOK: true, wantCachedOK: true,
		},
		{
			name: "foreign pods that double steadycron's RSS cost something, whatever the ratio",
			ms:   rounds(300, 350, 600, 700, 300), wantRatio: 1.17, wantCostMiB: 350,
			wantCPUOK: true, wantCachedOK: true,
		},
		{
			name: "the job tracker caches foreign pods",
			ms:   rounds(300, 350, 300, 350, 900), wantRatio: 1.17, wantCostMiB: 0,
			wantCPUOK: true, wantCostOK: true,
		},
		{
			name: "the job tracker's gauge not read",
			ms:   rounds(300, 350, 300, 350, -1), wantRatio: 1.17, wantCostMiB: 0,
			wantCPUOK: true, wantCostOK: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Summarize(tt.ms, 1.3)
			assert.InDelta(t, tt.wantRatio, s.RSSRatio, 0.005)
			assert.Equal(t, tt.wantCostMiB*mib, s.ForeignPodCostBytes)
			assert.Equal(t, tt.wantCPUOK, s.CPUOK, "CPU")
			assert.Equal(t, tt.wantCostOK, s.ForeignPodCostOK, "foreign pod cost")
			assert.Equal(t, tt.wantCachedOK, s.CachedPodsOK, "cached pods")
			assert.Equal(t, tt.wantMet, s.Met, "met")
		})
	}
}

func TestParseVariant(t *testing.T) {
	tests := []struct {
		in      string
		want    Variant
		wantErr bool
	}{
		{in: "no-election=--leader-elect=false", want: Variant{Name: "no-election", Args: []string{"--leader-elect=false"}}},
		{
			in: "long-lease=--leader-elect-retry-period=10s  --leader-elect-renew-deadline=15s GOGC=200 GODEBUG=gctrace=1,scavtrace=1",
			want: Variant{Name: "long-lease", Args: []string{"--leader-elect-retry-period=10s", "--leader-elect-renew-deadline=15s"},
				Env: []string{"GOGC=200", "GODEBUG=gctrace=1,scavtrace=1"}},
		},
		{in: "gomemlimit=GOMEMLIMIT=300MiB", want: Variant{Name: "gomemlimit", Env: []string{"GOMEMLIMIT=300MiB"}}},
		{in: "no-words=", wantErr: true},
		{in: "no-equals", wantErr: true},
		{in: "=--v=4", wantErr: true},
		{in: "default=--v=4", wantErr: true},
		{in: "Upper=--v=4", wantErr: true},
		{in: "a/b=--v=4", wantErr: true},
		{in: "bare=leader-elect=false", wantErr: true},
		{in: "lower-env=gogc=200", wantErr: true},
		{in: "digit-env=1GOGC=200", wantErr: true},
		{in: "word=--v=4 fast", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseVariant(tt.in)
			if tt.wantErr {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestLeaderElects(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want bool
	}{
		{nil, true},
		{[]string{"--leader-elect-retry-period=10s"}, true},
		{[]string{"--leader-elect=false"}, false},
		{[]string{"-leader-elect=false"}, false},
		{[]string{"--leader-elect=false", "--leader-elect"}, true},
		{[]string{"--leader-elect=false", "--leader-elect=true"}, true},
	} {
		assert.Equal(t, tt.want, leaderElects(tt.args), "%q", tt.args)
	}
}

// TestSummarizeVariants checks that variants are compared with all the
// floor's windows and leave the verdict to the default.
func TestSummarizeVariants(t *testing.T) {
	const mib = 1 << 20
	w := func(program, variant, phase string, round int, rssMiB int64, cpu, reqs float64) Measurement {
		cached := -1.0
		if program == ProgramSteadycron {
			cached = 300
		}
		return Measurement{Program: program, Variant: variant, Phase: phase, Round: round, RSSMedianBytes: rssMiB * mib,
			CPUMillicores: cpu, APIRequests: reqs, CachedPods: cached, CronJobPods: 300}
	}
	ms := []Measurement{
		w(ProgramFloor, "", PhaseCronJobsOnly, 1, 200, 1, -1),
		w(ProgramSteadycron, "", PhaseCronJobsOnly, 1, 240, 6, 60),
	}
	for round := 1; round <= 2; round++ {
		ms = append(ms,
			w(ProgramFloor, "", PhaseWithForeign, round, 200, 1.5, -1),
			w(ProgramSteadycron, "", PhaseWithForeign, round, 240, 6, 60),
			w(ProgramFloor, "no-election", PhaseWithForeign, round, 190, 1.5+float64(round), -1),
			// The variant uses less than the verdict allows: it does not
			// change the verdict.
			w(ProgramSteadycron, "no-election", PhaseWithForeign, round, 230, 1+float64(round), 0),
		)
	}
	s := Summarize(ms, 1.3)
	assert.InDelta(t, 6, s.SteadycronCPU, 1e-9, "the default's windows only")
	assert.InDelta(t, 2, s.FloorCPU, 1e-9, "every floor window: 1.5, 1.5, 2.5, 3.5")
	assert.False(t, s.CPUOK)
	assert.False(t, s.Met)
	require.Len(t, s.Variants, 2)
	assert.Equal(t, VariantSummary{Name: DefaultVariant, Windows: 2, CPUMillicoresMedian: 6, CPURatio: 3,
		RSSMedianBytes: 240 * mib, RSSRatio: 240.0 / 195, APIRequestsMedian: 60}, s.Variants[0])
	assert.Equal(t, VariantSummary{Name: "no-election", Windows: 2, CPUMillicoresMedian: 2.5, CPURatio: 1.25,
		RSSMedianBytes: 230 * mib, RSSRatio: 230.0 / 195, APIRequestsMedian: 0}, s.Variants[1])

	assert.Nil(t, Summarize(ms[:4], 1.3).Variants, "no variant, no comparison")
}

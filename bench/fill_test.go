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
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFill(t *testing.T) {
	mark := time.Date(2026, 11, 22, 21, 0, 0, 0, time.UTC)
	obs := func(recvMs int, sched time.Time) observed {
		recv := mark.Add(time.Duration(recvMs) * time.Millisecond)
		return observed{received: recv, created: recv.Truncate(time.Second), scheduled: sched}
	}
	tests := []struct {
		name         string
		n            int
		seen         []observed
		wantCreated  int
		wantFirstMin int
		wantOther    int
		wantComplete bool
		wantLastMs   float64
		wantP50Ms    float64
		wantCompl    Completion
	}{
		{
			name:        "all on time",
			n:           3,
			seen:        []observed{obs(300, mark), obs(100, mark), obs(200, mark)},
			wantCreated: 3, wantFirstMin: 3, wantComplete: true,
			wantLastMs: 300, wantP50Ms: 200, wantCompl: Completion{Seconds: 0.3},
		},
		{
			name:        "stock: late ones skipped to the next minute",
			n:           4,
			seen:        []observed{obs(30_000, mark), obs(59_000, mark), obs(61_000, mark.Add(time.Minute)), obs(62_000, mark.Add(time.Minute))},
			wantCreated: 2, wantFirstMin: 2, wantOther: 2,
			wantLastMs: 59_000, wantP50Ms: 30_000, wantCompl: Completion{Seconds: 115, LowerBound: true},
		},
		{
			name:        "after the first minute",
			n:           2,
			seen:        []observed{obs(10_000, mark), obs(70_000, mark)},
			wantCreated: 2, wantFirstMin: 1, wantComplete: true,
			wantLastMs: 70_000, wantP50Ms: 10_000, wantCompl: Completion{Seconds: 70},
		},
		{
			name:      "nothing",
			n:         2,
			wantCompl: Completion{Seconds: 115, LowerBound: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := &jobWatch{seen: map[string]observed{}}
			for i, o := range tt.seen {
				w.seen[cronJobName(i)] = o
			}
			r := &ModeResult{N: tt.n, Mark: mark}
			w.fill(r, 115*time.Second)
			assert.Equal(t, tt.wantCreated, r.Created)
			assert.Equal(t, tt.wantFirstMin, r.InFirstMinute)
			assert.Equal(t, tt.wantOther, r.OtherJobs)
			assert.Equal(t, tt.wantComplete, r.Complete)
			assert.InDelta(t, tt.wantLastMs, r.TimeToLastMs, 1e-6)
			assert.InDelta(t, tt.wantP50Ms, r.P50Ms, 1e-6)
			assert.InDelta(t, tt.wantCompl.Seconds, r.Completion.Seconds, 1e-9)
			assert.Equal(t, tt.wantCompl.LowerBound, r.Completion.LowerBound)
		})
	}
}

func TestMarkStats(t *testing.T) {
	mark := time.Date(2026, 11, 22, 21, 0, 0, 0, time.UTC)
	next := mark.Add(time.Minute)
	w := &jobWatch{seen: map[string]observed{}}
	for i, o := range []struct {
		ms    int
		sched time.Time
	}{{100, mark}, {60_120, next}, {60_140, next}, {60_180, next}} {
		recv := mark.Add(time.Duration(o.ms) * time.Millisecond)
		w.seen[fmt.Sprint(i)] = observed{received: recv, scheduled: o.sched}
	}
	got := w.markStats(next)
	assert.Equal(t, MarkStats{Mark: next, Created: 3, LastMs: 180, P50Ms: 140, P99Ms: 180}, got)
	assert.Equal(t, MarkStats{Mark: next.Add(time.Minute)}, w.markStats(next.Add(time.Minute)), "no Job for a mark")
}

func TestLoggedMarks(t *testing.T) {
	mark := time.Date(2026, 11, 22, 21, 0, 0, 0, time.UTC)
	minutes := mark.Unix() / 60
	log := fmt.Sprintf(`I1122 21:00:00.120000   123 cronjob_controllerv2.go:785] "Created Job" job="bench/cj-00001-%d" cronjob="bench/cj-00001"
I1122 21:00:00.150000   123 cronjob_controllerv2.go:785] "Created Job" job="bench/cj-00002-%d" cronjob="bench/cj-00002"
I1122 21:00:00.200000   123 other.go:1] "Something else" job="bench/x-1"
I1122 21:01:00.015000   123 cronjob_controllerv2.go:785] "Created Job" job="bench/cj-00001-%d" cronjob="bench/cj-00001"
`, minutes, minutes, minutes+1)
	path := filepath.Join(t.TempDir(), "steadycron.log")
	require.NoError(t, os.WriteFile(path, []byte(log), 0o600))
	got, err := loggedMarks(path, time.UTC, mark, 3)
	require.NoError(t, err)
	assert.Equal(t, []MarkStats{
		{Mark: mark, Created: 2, LastMs: 150, P50Ms: 120, P99Ms: 150},
		{Mark: mark.Add(time.Minute), Created: 1, LastMs: 15, P50Ms: 15, P99Ms: 15},
		{Mark: mark.Add(2 * time.Minute)},
	}, got)
}

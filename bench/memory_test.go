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

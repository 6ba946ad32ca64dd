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

package plugin

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestReviewS8bNextGapLostRunsAfterOtherTimes: "*/30 1-3 * * *" (a wall-clock
// schedule with times in the gap) loses 02:00 and 02:30 on 2027-03-14: the
// note on 03:00 must say they do not run, as it does for "*/30 2 * * *";
// it only does when the time before happens to have a wall time in the gap.
// Likewise "30 2,5 * * *": its 02:30 runs at 03:00, and the note says only
// "clocks forward 1h".
func TestReviewS8bNextGapLostRunsAfterOtherTimes(t *testing.T) {
	for schedule, want := range map[string]string{
		"*/30 1-3 * * *": "does not exist that day: no run then",
		"0 1-3 * * *":    "does not exist that day: no run then",
		// 02:30 runs at 03:00; the time before it (05:00) is outside the gap.
		"30 2,5 * * *": "it runs at 03:00 instead",
	} {
		t.Run(schedule, func(t *testing.T) {
			o, out := newTestOptions(time.Date(2027, 3, 14, 1, 10, 0, 0, nyc))
			if !assert.NoError(t, execute(t, o, "next", schedule, "--time-zone", "America/New_York", "--count", "3", "-o", "json")) {
				return
			}
			var report NextTimes
			if !assert.NoError(t, json.Unmarshal(out.Bytes(), &report)) {
				return
			}
			for _, tm := range report.Times {
				if tm.Time == "2027-03-14T03:00:00-04:00" {
					assert.Contains(t, tm.Note, want)
					return
				}
			}
			t.Errorf("03:00 EDT not listed: %+v", report.Times)
		})
	}
}

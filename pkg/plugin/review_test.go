//go:build review

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

// Adversarial review of the kubectl plugin: each test reproduces a defect
// (it fails on the branch it was written against). Run with
// go test -tags review ./pkg/plugin/ -run Review

package plugin

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReviewNextCronTZShownInUTC (LOW: times not in the CronJob's zone). A
// legacy CronJob whose schedule carries its zone ("CRON_TZ=America/New_York
// 30 2 * * *", still served for objects created before the API server
// rejected it) is evaluated in New York by the controller, and the instants
// next prints are right; but the zone column and timeZone say UTC, times are
// printed in UTC rather than the CronJob's zone, and the spring-forward day
// gets no note (lint's dst-transition check skips six-field schedules too).
// Cause: scheduleCache.parse (schedule.go) sets loc to UTC when the zone is
// in the schedule.
func TestReviewNextCronTZShownInUTC(t *testing.T) {
	o, _ := newTestOptions(time.Date(2027, 3, 13, 12, 0, 0, 0, nyc))
	report, err := o.next(t.Context(), "CRON_TZ=America/New_York 30 2 * * *", "", 2)
	require.NoError(t, err)
	require.Equal(t, "2027-03-14T07:00:00Z", report.Times[0].UTC, "the instant is the controller's")
	assert.Equal(t, "America/New_York", report.TimeZone)
	assert.NotEmpty(t, report.Times[0].Note, "the spring-forward day")
}

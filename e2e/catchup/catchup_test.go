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

package catchup

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/steadycron/steadycron/e2e/framework"
)

// A CronJob starts three times an hour, a minute apart, and its last run was
// an hour ago: the three start times of this hour have passed. The controller
// creates a Job for the most recent one at once, and none for the two before.
//
// The first interval of the schedule (a minute) says nothing about the others
// (an hour): the stock v1.37.2 controller extrapolates it over the downtime,
// lands after the most recent start time, and creates no Job until the next
// hour.
func TestCronJobRunsMostRecentMissedStartTimeOfNonUniformSchedule(t *testing.T) {
	testCases := map[string]struct {
		timeZone string
	}{
		"without a time zone":               {},
		"in a time zone half an hour ahead": {timeZone: "Asia/Kolkata"},
	}
	for name, tc := range testCases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx, ns := t.Context(), cluster.NewNamespace(t)
			loc := time.UTC
			if tc.timeZone != "" {
				var err error
				loc, err = time.LoadLocation(tc.timeZone)
				require.NoError(t, err)
			}

			// Start times 4, 3 and 2 minutes before the current minute, then an hour later.
			minute := time.Now().Truncate(time.Minute)
			startTimes := []time.Time{minute.Add(-4 * time.Minute), minute.Add(-3 * time.Minute), minute.Add(-2 * time.Minute)}
			var minutes []string
			for _, s := range startTimes {
				minutes = append(minutes, strconv.Itoa(s.In(loc).Minute()))
			}
			mostRecent := startTimes[len(startTimes)-1]
			cj := cluster.NewCronJob("catchup", strings.Join(minutes, ",")+" * * * *", framework.Succeeds)
			if tc.timeZone != "" {
				cj.Spec.TimeZone = &tc.timeZone
			}
			cj, err := cluster.CreateCronJob(ctx, ns, cj)
			require.NoError(t, err)

			// As if the controller had been down for an hour since the last run.
			_, err = cluster.UpdateCronJobStatus(ctx, ns, cj.Name, func(c *batchv1.CronJob) {
				c.Status.LastScheduleTime = &metav1.Time{Time: mostRecent.Add(-time.Hour)}
			})
			require.NoError(t, err)

			jobs, err := cluster.WaitForJobs(ctx, cj, 1, 30*time.Second)
			require.NoError(t, err, "no Job for the most recent start time %v", mostRecent)
			scheduled, err := framework.ScheduledTime(&jobs[0])
			require.NoError(t, err)
			assert.True(t, scheduled.Equal(mostRecent), "the Job is for %v, want the most recent start time %v", scheduled, mostRecent)

			_, err = cluster.WaitForCronJob(ctx, ns, cj.Name, "status.lastScheduleTime at the most recent start time", 30*time.Second,
				func(c *batchv1.CronJob) bool {
					return c.Status.LastScheduleTime != nil && c.Status.LastScheduleTime.Time.Equal(mostRecent)
				})
			require.NoError(t, err)

			// The two earlier start times get no Job.
			err = framework.Consistently(ctx, "exactly one Job", time.Now().Add(5*time.Second), func(ctx context.Context) (bool, error) {
				jobs, err := cluster.JobsOf(ctx, cj)
				return len(jobs) == 1, err
			})
			assert.NoError(t, err)
		})
	}
}

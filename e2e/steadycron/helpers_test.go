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

package steadycron

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/steadycron/steadycron/e2e/framework"
)

const (
	// scrapesMetrics is why a test needs the local cluster
	// (Cluster.RequireLocal): it reads steadycron's plain-HTTP /metrics.
	scrapesMetrics = "scrapes steadycron's plain-HTTP metrics endpoint"

	expectedStartAnnotation = "steadycron.io/expected-start"
	firstRunningAnnotation  = "steadycron.io/first-running"

	decisionsMetric    = "cronjob_controller_scheduling_decisions_total"
	missedMetric       = "cronjob_controller_missed_schedules_total"
	startedMetric      = "cronjob_job_started_total"
	finishedMetric     = "cronjob_job_finished_total"
	startDelayMetric   = "cronjob_job_start_delay_seconds"
	appDurationMetric  = "cronjob_app_container_duration_seconds"
	scheduleWaitMargin = 30 * time.Second
)

// untilTwoMinuteMarks is long enough for a minutely CronJob created now to
// reach two scheduled times.
func untilMinuteMarks(n int) time.Duration {
	return framework.UntilNextMinute(0) + time.Duration(n-1)*time.Minute + scheduleWaitMargin
}

// waitAnnotation waits until the Job has the annotation and returns its value.
func waitAnnotation(t *testing.T, ns, job, key string, timeout time.Duration) string {
	t.Helper()
	var value string
	err := framework.WaitFor(t.Context(), fmt.Sprintf("Job %s/%s to have %s", ns, job, key), timeout, func(ctx context.Context) (bool, error) {
		j, err := cluster.Client.BatchV1().Jobs(ns).Get(ctx, job, metav1.GetOptions{})
		if err != nil {
			return false, nil //nolint:nilerr // retried until the timeout
		}
		value = j.Annotations[key]
		return value != "", nil
	})
	require.NoError(t, err)
	return value
}

// appStartedAt returns the earliest startedAt of the "app" container among the
// Job's pods, as the kubelet (kwok) reported it.
func appStartedAt(ctx context.Context, job *batchv1.Job) (time.Time, error) {
	pods, err := cluster.Client.CoreV1().Pods(job.Namespace).List(ctx, metav1.ListOptions{LabelSelector: batchv1.ControllerUidLabel + "=" + string(job.UID)})
	if err != nil {
		return time.Time{}, err
	}
	var earliest time.Time
	for _, p := range pods.Items {
		for _, s := range p.Status.ContainerStatuses {
			if s.Name != "app" {
				continue
			}
			var started metav1.Time
			for _, st := range []corev1.ContainerState{s.State, s.LastTerminationState} {
				switch {
				case st.Running != nil:
					started = st.Running.StartedAt
				case st.Terminated != nil:
					started = st.Terminated.StartedAt
				}
				if !started.IsZero() && (earliest.IsZero() || started.Before(&metav1.Time{Time: earliest})) {
					earliest = started.Time
				}
			}
		}
	}
	return earliest, nil
}

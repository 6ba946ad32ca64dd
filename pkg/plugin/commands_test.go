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
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	batchv1 "k8s.io/api/batch/v1"
	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/kubernetes/scheme"
	clienttesting "k8s.io/client-go/testing"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/yaml"

	"github.com/steadycron/steadycron/pkg/controller/cronjob"
)

func TestNext(t *testing.T) {
	now := at(12, 0, 12)                                          // Friday 2027-03-12, two days before the clocks go forward
	autumn := time.Date(2027, time.November, 6, 12, 0, 0, 0, nyc) // the day before the clocks go back
	tests := map[string]struct {
		args   []string
		objs   []runtime.Object
		now    time.Time
		golden string
	}{
		"a schedule across the spring gap": {
			args:   []string{"next", "30 2 * * *", "--time-zone", "America/New_York", "--count", "4"},
			golden: "next-gap.txt",
		},
		"a CronJob, as yaml": {
			args:   []string{"next", "report", "--count", "4", "-o", "yaml"},
			objs:   []runtime.Object{cronJob("report", "30 2 * * *")},
			golden: "next-cronjob.yaml",
		},
		"a time that happens twice in the autumn, without headers": {
			args:   []string{"next", "30 1 * * *", "--time-zone", "America/New_York", "--count", "2", "--no-headers"},
			now:    autumn,
			golden: "next-overlap.txt",
		},
		"a suspended CronJob: each time says so": {
			args:   []string{"next", "report", "--count", "2"},
			objs:   []runtime.Object{cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) { cj.Spec.Suspend = ptr.To(true) })},
			golden: "next-suspended.txt",
		},
		// A resume without a deadline runs the most recent missed time at
		// once, however late: not "only if resumed by then".
		"a suspended CronJob without startingDeadlineSeconds": {
			args: []string{"next", "report", "--count", "1"},
			objs: []runtime.Object{cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
				cj.Spec.Suspend = ptr.To(true)
				cj.Spec.StartingDeadlineSeconds = nil
			})},
			golden: "next-suspended-no-deadline.txt",
		},
		"a schedule edited after the last run: the first time after the edit, as the controller": {
			args: []string{"next", "report", "--count", "2", "-o", "json"},
			objs: []runtime.Object{cronJob("report", "30 * * * *", func(cj *batchv1.CronJob) {
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(9, 0, 12)))
				cj.ManagedFields = []metav1.ManagedFieldsEntry{{
					Manager: "kubectl-edit", Operation: metav1.ManagedFieldsOperationUpdate, Time: ptr.To(metav1.NewTime(at(11, 40, 12))),
					FieldsType: "FieldsV1", FieldsV1: &metav1.FieldsV1{Raw: []byte(`{"f:spec":{"f:schedule":{}}}`)},
				}}
			})},
			now:    at(11, 50, 12),
			golden: "next-edited.json",
		},
		// 17:00:00Z ran; 17:00:20Z and 17:00:40Z find its Job's name taken.
		"@every 20s: the later times of a minute get no Job": {
			args: []string{"next", "report", "--count", "4"},
			objs: []runtime.Object{cronJob("report", "@every 20s", func(cj *batchv1.CronJob) {
				cj.Spec.TimeZone = nil
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(12, 0, 12)))
			})},
			now:    at(12, 0, 12).Add(5 * time.Second),
			golden: "next-every-20s.txt",
		},
		// Asked after 17:00:20Z: 17:00:40Z's name is still 17:00:00Z's Job's.
		"@every 20s, asked in the middle of a minute": {
			args: []string{"next", "report", "--count", "2"},
			objs: []runtime.Object{cronJob("report", "@every 20s", func(cj *batchv1.CronJob) {
				cj.Spec.TimeZone = nil
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(12, 0, 12).Add(20 * time.Second)))
			})},
			now:    at(12, 0, 12).Add(25 * time.Second),
			golden: "next-every-20s-mid.txt",
		},
		"every 30 minutes of the hour that happens twice": {
			args:   []string{"next", "*/30 1 * * *", "--time-zone", "America/New_York", "--count", "5"},
			now:    autumn,
			golden: "next-overlap-wildcard.txt",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			n := now
			if !tc.now.IsZero() {
				n = tc.now
			}
			o, out := newTestOptions(n, tc.objs...)
			require.NoError(t, execute(t, o, tc.args...))
			golden(t, tc.golden, out.Bytes())
		})
	}
}

func TestNextErrors(t *testing.T) {
	o, _ := newTestOptions(at(12, 0, 12))
	assert.ErrorContains(t, execute(t, o, "next", "missing"), `cronjob "missing" not found in namespace "team-a"`)
	assert.ErrorContains(t, execute(t, o, "next", "30 2 * *"), "unparseable schedule")
	// A schedule without a space is still a schedule, not a CronJob's name.
	assert.ErrorContains(t, execute(t, o, "next", "*"), "unparseable schedule")
	assert.NoError(t, execute(t, o, "next", "30\t2\t*\t*\t*"))
	assert.ErrorContains(t, execute(t, o, "next", "0 * * * *", "--time-zone", "Mars/Olympus"), "invalid timeZone")
	assert.ErrorContains(t, execute(t, o, "next", "59 23 31 2 *"), "no time in the next five years")
	assert.ErrorContains(t, execute(t, o, "next", "0 * * * *", "--count", "0"), "--count must be from 1 to 1000, got 0")
	assert.ErrorContains(t, execute(t, o, "next", "0 * * * *", "--count", "1001"), "--count must be from 1 to 1000, got 1001")
	// Two zones: the API server refuses spec.timeZone with a TZ= schedule.
	assert.ErrorContains(t, execute(t, o, "next", "TZ=Asia/Tokyo 0 9 * * *", "--time-zone", "Europe/Berlin"), "the API server refuses a CronJob with both")
	assert.ErrorContains(t, execute(t, o, "next", "CRON_TZ=Asia/Tokyo 0 9 * * *", "--time-zone", "Europe/Berlin"), "the API server refuses a CronJob with both")
}

// TestFlagErrors: a flag's value the plugin cannot use is the flag's error,
// before any CronJob is read or blamed for it.
func TestFlagErrors(t *testing.T) {
	cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) { cj.Spec.TimeZone = nil })
	tests := map[string]struct {
		args []string
		want string
	}{
		"why, a mistyped --controller-time-zone":    {args: []string{"why", "report", "--controller-time-zone", "Europe/Berln"}, want: `invalid argument "Europe/Berln" for "--controller-time-zone" flag`},
		"lint, a mistyped --controller-time-zone":   {args: []string{"lint", "--controller-time-zone", "Europe/Berln"}, want: `invalid argument "Europe/Berln" for "--controller-time-zone" flag`},
		"status, a mistyped --controller-time-zone": {args: []string{"status", "report", "--controller-time-zone", "Europe/Berln"}, want: `"--controller-time-zone" flag`},
		"why, --controller-time-zone Local":         {args: []string{"why", "report", "--controller-time-zone", "Local"}, want: `invalid argument "Local" for "--controller-time-zone" flag`},
		"lint, --controller-time-zone local":        {args: []string{"lint", "--controller-time-zone", "local"}, want: `invalid argument "local" for "--controller-time-zone" flag`},
		"next, --time-zone Local":                   {args: []string{"next", "30 2 * * *", "--time-zone", "Local"}, want: `the API server refuses "Local"`},
		"run, a negative --timeout":                 {args: []string{"run", "report", "--wait", "--timeout=-1s"}, want: `--timeout -1s: must be 0 (no limit) or more`},
		"next, --time-zone local":                   {args: []string{"next", "30 2 * * *", "--time-zone", "local"}, want: `the API server refuses "local"`},
		// The CronJob has no spec.timeZone: its times are the controller's zone's.
		"next NAME, --time-zone": {args: []string{"next", "report", "--time-zone", "Asia/Tokyo"}, want: `--time-zone is for a SCHEDULE, not a CronJob: CronJob "report"'s times are in its spec.timeZone or, without one, in the controller's zone (--controller-time-zone)`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			o, out := newTestOptions(at(9, 0, 16), cj, lease("steadycron-0", at(9, 0, 16)))
			assert.ErrorContains(t, execute(t, o, tc.args...), tc.want)
			assert.Empty(t, out.String(), "nothing is answered with a flag the plugin cannot use")
		})
	}
}

func TestWhy(t *testing.T) {
	now := at(9, 0, 16) // Tuesday 2027-03-16 09:00 EDT
	sched := at(2, 30, 16)
	yesterday := at(2, 30, 15)
	fresh := lease("steadycron-0", now.Add(-2*time.Second))
	withStatus := func(cj *batchv1.CronJob) {
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(yesterday))
	}
	tests := map[string]struct {
		cj     *batchv1.CronJob
		objs   func(cj *batchv1.CronJob) []runtime.Object
		args   []string
		golden string
	}{
		"ran, with its start delay": {
			cj: cronJob("report", "30 2 * * *"),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				j := job(cj, sched, 12*time.Millisecond, 4*time.Second, 64*time.Second, false)
				return []runtime.Object{j, pod(j, sched.Add(4*time.Second), sched.Add(63*time.Second)), fresh}
			},
			golden: "why-ran.txt",
		},
		"skipped by Forbid": {
			cj: cronJob("report", "30 2 * * *", withStatus, func(cj *batchv1.CronJob) { cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent }),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				return []runtime.Object{
					job(cj, yesterday, 10*time.Millisecond, 3*time.Second, 0, false),
					event(cj, corev1.EventTypeNormal, "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid", sched.Add(10*time.Millisecond), sched.Add(40*time.Second), 3),
					fresh,
				}
			},
			golden: "why-forbid.txt",
		},
		"past its deadline, with the event": {
			cj: cronJob("report", "30 2 * * *", withStatus),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				return []runtime.Object{
					event(cj, corev1.EventTypeWarning, "MissSchedule", "Missed scheduled time to start a job: "+sched.UTC().Format(time.RFC1123Z), sched.Add(6*time.Minute), sched.Add(6*time.Minute), 1),
					fresh,
				}
			},
			golden: "why-deadline-event.txt",
		},
		"past its deadline, with steadycron's event": {
			cj: cronJob("report", "30 2 * * *", withStatus),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				return []runtime.Object{
					event(cj, corev1.EventTypeWarning, "MissSchedule", "Missed 1 scheduled time up to "+sched.UTC().Format(time.RFC3339)+": older than startingDeadlineSeconds (60s) when the controller got to them", sched.Add(6*time.Minute), sched.Add(6*time.Minute), 1),
					fresh,
				}
			},
			golden: "why-deadline-steadycron-event.txt",
		},
		"jumped over by a catch-up, with steadycron's event": {
			cj: cronJob("report", "30 2 * * *", withStatus),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				return []runtime.Object{
					event(cj, corev1.EventTypeWarning, "MissSchedule", "Missed 1 scheduled time up to "+sched.UTC().Format(time.RFC3339)+": a catch-up starts only the most recent scheduled time, "+sched.Add(24*time.Hour).UTC().Format(time.RFC3339), sched.Add(24*time.Hour), sched.Add(24*time.Hour), 1),
					fresh,
				}
			},
			golden: "why-catchup-steadycron-event.txt",
		},
		"refused by the API server until its deadline": {
			cj: cronJob("report", "30 2 * * *", withStatus),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				missed := sched.Add(5*time.Minute + 5*time.Second)
				return []runtime.Object{
					event(cj, corev1.EventTypeWarning, "FailedCreate", `Error creating job: jobs.batch "`+cronjob.JobName(cronJob("report", ""), sched)+`" is forbidden: exceeded quota: jobs, requested: count/jobs.batch=1, used: count/jobs.batch=10, limited: count/jobs.batch=10`, sched, sched.Add(4*time.Minute), 6),
					event(cj, corev1.EventTypeWarning, "MissSchedule", "Missed 1 scheduled time up to "+sched.UTC().Format(time.RFC3339)+": older than startingDeadlineSeconds (300s) when the controller got to them", missed, missed, 1),
					fresh,
				}
			},
			golden: "why-failed-create.txt",
		},
		"past its deadline, without an event": {
			cj:     cronJob("report", "30 2 * * *", withStatus),
			objs:   func(*batchv1.CronJob) []runtime.Object { return []runtime.Object{fresh} },
			golden: "why-deadline.txt",
		},
		"suspended": {
			cj: cronJob("report", "30 2 * * *", withStatus, func(cj *batchv1.CronJob) {
				cj.Spec.Suspend = ptr.To(true)
				cj.ManagedFields = []metav1.ManagedFieldsEntry{{
					Manager: "kubectl-patch", Operation: metav1.ManagedFieldsOperationUpdate, Time: ptr.To(metav1.NewTime(at(18, 0, 15))),
					FieldsType: "FieldsV1", FieldsV1: &metav1.FieldsV1{Raw: []byte(`{"f:spec":{"f:suspend":{}}}`)},
				}}
			}),
			objs:   func(*batchv1.CronJob) []runtime.Object { return []runtime.Object{fresh} },
			golden: "why-suspended.txt",
		},
		// The controller's events from 07:30 on are kept: no FailedCreate
		// of 07:30's Job (a create refused and retried until 08:30).
		"superseded by a catch-up": {
			cj: cronJob("report", "30 * * * *", func(cj *batchv1.CronJob) { cj.Spec.StartingDeadlineSeconds = nil }),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				return []runtime.Object{job(cj, at(8, 30, 16), 5*time.Minute, 5*time.Minute+3*time.Second, 6*time.Minute, false), fresh}
			},
			args:   []string{"--at", "2027-03-16T07:30:00-04:00"},
			golden: "why-superseded.txt",
		},
		// The same a day later: the events that would show a refused
		// create have expired.
		"superseded by a catch-up, the events expired": {
			cj: cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) { cj.Spec.StartingDeadlineSeconds = nil }),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				return []runtime.Object{job(cj, sched, 5*time.Hour, 5*time.Hour+3*time.Second, 5*time.Hour+time.Minute, false), fresh}
			},
			args:   []string{"--at", "2027-03-15T02:30:00-04:00"},
			golden: "why-superseded-events-expired.txt",
		},
		"not a scheduled time, day-of-month or day-of-week": {
			cj:     cronJob("report", "0 9 1 * 1"),
			objs:   func(*batchv1.CronJob) []runtime.Object { return []runtime.Object{fresh} },
			args:   []string{"--at", "2027-03-16T09:00:00-04:00"},
			golden: "why-not-scheduled.txt",
		},
		"no decision on record, as json": {
			cj:     cronJob("report", "30 2 * * *", withStatus, func(cj *batchv1.CronJob) { cj.Spec.StartingDeadlineSeconds = nil }),
			objs:   func(*batchv1.CronJob) []runtime.Object { return []runtime.Object{lease("steadycron-1", at(23, 0, 15))} },
			args:   []string{"-o", "json"},
			golden: "why-no-decision.json",
		},
		"stock kube-controller-manager: facts missing": {
			cj: cronJob("report", "30 2 * * *"),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				j := job(cj, sched, 90*time.Millisecond, 0, 20*time.Second, true)
				delete(j.Annotations, "steadycron.io/expected-start")
				return []runtime.Object{j}
			},
			golden: "why-stock.txt",
		},
		"an unknown time zone": {
			cj: cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) { cj.Spec.TimeZone = ptr.To("Mars/Olympus") }),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				return []runtime.Object{fresh, event(cj, corev1.EventTypeWarning, "UnknownTimeZone", `invalid timeZone: "Mars/Olympus": unknown time zone Mars/Olympus`, at(0, 0, 2), now, 400)}
			},
			golden: "why-unknown-zone.txt",
		},
		// spec.timeZone set at 08:00 to a zone the API server's tzdata has
		// and the controller's (and this machine's) does not: the 02:30 Job,
		// made before, is still what happened at 02:30.
		"an unknown time zone set after the time, --at the time of a Job": {
			cj: cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(sched))
				cj.ManagedFields = []metav1.ManagedFieldsEntry{{
					Manager: "kubectl-edit", Operation: metav1.ManagedFieldsOperationUpdate, Time: ptr.To(metav1.NewTime(at(8, 0, 16))),
					FieldsType: "FieldsV1", FieldsV1: &metav1.FieldsV1{Raw: []byte(`{"f:spec":{"f:timeZone":{}}}`)},
				}}
			}),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				j := job(cj, sched, 10*time.Millisecond, time.Second, 5*time.Minute, false)
				cj.Spec.TimeZone = ptr.To("Mars/Olympus")
				return []runtime.Object{j, fresh, event(cj, corev1.EventTypeWarning, "UnknownTimeZone", `invalid timeZone: "Mars/Olympus": unknown time zone Mars/Olympus`, at(8, 0, 16), now, 60)}
			},
			args:   []string{"--at", "2027-03-16T02:30:00-04:00"},
			golden: "why-unknown-zone-job-of-the-time.txt",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			o, out := newTestOptions(now, append(tc.objs(tc.cj), tc.cj)...)
			require.NoError(t, execute(t, o, append([]string{"why", "report"}, tc.args...)...))
			golden(t, tc.golden, out.Bytes())
		})
	}
}

func TestStatus(t *testing.T) {
	now := at(9, 0, 16)
	cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
		cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 15)))
	})
	j1 := job(cj, at(2, 30, 13), 10*time.Millisecond, 2*time.Second, 3*time.Minute, false)
	j2 := job(cj, at(2, 30, 15), 10*time.Millisecond, 5*time.Second, 0, false)
	cj.Status.Active = []corev1.ObjectReference{{Kind: "Job", Name: j2.Name, Namespace: ns, UID: j2.UID}}
	objs := []runtime.Object{cj, j1, j2, pod(j1, at(2, 30, 13).Add(2*time.Second), at(2, 33, 13)),
		event(cj, corev1.EventTypeNormal, "SuccessfulCreate", "Created job "+j2.Name, at(2, 30, 15), at(2, 30, 15), 1),
		event(cj, corev1.EventTypeNormal, "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid", at(2, 30, 16), at(8, 59, 16), 12),
		lease("steadycron-0", now.Add(-time.Second)),
	}
	for _, output := range []string{"txt", "json"} {
		t.Run(output, func(t *testing.T) {
			o, out := newTestOptions(now, objs...)
			args := []string{"status", "report"}
			if output != "txt" {
				args = append(args, "-o", output)
			}
			require.NoError(t, execute(t, o, args...))
			golden(t, "status."+output, out.Bytes())
		})
	}
}

// TestControllerLineOfTheLease: the Controller line of why and status names
// the holder of a Lease renewed within its duration as holding it, and the
// last holder of an expired one as such, not as holding it (review 18g).
//
// why's explanation of a time no controller decided on says the same of the
// Lease: "held by" only for a Lease held now (review 18m). At 10:05 of an
// hourly CronJob, the stock controller, which took over after steadycron's
// Lease expired at 08:20, ran 09:00 and has not decided on 10:00.
func TestControllerLineOfTheLease(t *testing.T) {
	now := at(9, 0, 16)
	daily := cronJob("report", "30 2 * * *")
	hourly := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
		cj.Spec.StartingDeadlineSeconds = nil
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(9, 0, 16)))
	})
	for name, tc := range map[string]struct {
		now              time.Time // default now
		objs             []runtime.Object
		want, notContain string
		// why, whyNot: in and not in why's Why line.
		why, whyNot string
	}{
		"held":    {objs: []runtime.Object{daily, lease("steadycron-0", now)}, want: "Lease kube-system/steadycron held by steadycron-0, renewed 2027-03-16T13:00:00Z", notContain: "expired"},
		"expired": {objs: []runtime.Object{daily, lease("steadycron-0", at(1, 0, 16))}, want: "Lease kube-system/steadycron expired: its last holder, steadycron-0, renewed it 2027-03-16T05:00:00Z; no controller holds the Lease now", notContain: "held by"},
		"held, no decision on a time": {now: at(10, 5, 16), objs: []runtime.Object{hourly, job(hourly, at(9, 0, 16), 0, time.Second, time.Minute, false), lease("steadycron-0", at(10, 5, 16))},
			want: "held by steadycron-0", why: "steadycron's Lease is held by steadycron-0, last renewed 2027-03-16T14:05:00Z."},
		"expired, another controller since, no decision on a time": {now: at(10, 5, 16), objs: []runtime.Object{hourly, stockJob(hourly, at(9, 0, 16), time.Minute), lease("steadycron-0", at(8, 20, 16))},
			want: "expired: its last holder, steadycron-0", notContain: "held by",
			why: "steadycron's Lease has expired: its last holder, steadycron-0, renewed it 2027-03-16T12:20:00Z.", whyNot: "held by"},
	} {
		for _, cmd := range []string{"why", "status"} {
			t.Run(name+"/"+cmd, func(t *testing.T) {
				asked := now
				if !tc.now.IsZero() {
					asked = tc.now
				}
				o, out := newTestOptions(asked, tc.objs...)
				require.NoError(t, execute(t, o, cmd, "report"))
				var line, why string
				for _, l := range strings.Split(out.String(), "\n") {
					if strings.HasPrefix(l, "Controller:") {
						line = l
					}
					if strings.HasPrefix(l, "Why:") {
						why = l
					}
				}
				assert.Contains(t, line, tc.want)
				if tc.notContain != "" {
					assert.NotContains(t, line, tc.notContain)
				}
				if cmd == "why" {
					assert.Contains(t, why, tc.why)
					if tc.whyNot != "" {
						assert.NotContains(t, why, tc.whyNot)
					}
				}
			})
		}
	}
}

// TestReportKindsAreNotKubernetesKinds: Kubernetes' decoders match an
// unversioned kind (Status, APIGroup, ...) by its name whatever the
// apiVersion, so a report of kind Status is read as metav1.Status, an API
// error. No report's kind is one of the client-go scheme's: decoding one
// fails as not registered.
func TestReportKindsAreNotKubernetesKinds(t *testing.T) {
	now := at(9, 0, 16)
	cj := cronJob("report", "30 2 * * *")
	for kind, args := range map[string][]string{
		"Why":          {"why", "report"},
		"StatusReport": {"status", "report"},
		"NextTimes":    {"next", "report"},
		"LintReport":   {"lint", "report"},
	} {
		t.Run(kind, func(t *testing.T) {
			o, out := newTestOptions(now, cj, lease("steadycron-0", now))
			require.NoError(t, execute(t, o, append(args, "-o", "json")...))
			var meta metav1.TypeMeta
			require.NoError(t, json.Unmarshal(out.Bytes(), &meta))
			assert.Equal(t, metav1.TypeMeta{APIVersion: APIVersion, Kind: kind}, meta)
			obj, _, err := scheme.Codecs.UniversalDeserializer().Decode(out.Bytes(), nil, nil)
			assert.True(t, runtime.IsNotRegisteredError(err), "decoded as %T (%v)", obj, err)
		})
	}
}

// TestStatusClock: status lists the signs of a controller clock ahead of the
// API server's, with the controller's warnings about them.
func TestStatusClock(t *testing.T) {
	now := at(9, 0, 16)
	s := at(2, 30, 16)
	earlyEvent := func(cj *batchv1.CronJob, j *batchv1.Job) *corev1.Event {
		return event(cj, corev1.EventTypeWarning, "JobCreatedEarly", "Job "+j.Name+" was created at "+j.CreationTimestamp.UTC().Format(time.RFC3339)+" by the API server's clock, 2s before its scheduled time "+s.UTC().Format(time.RFC3339)+": the controller's clock is ahead of the API server's", s, s, 1)
	}
	tests := map[string]struct {
		mutate func(*batchv1.CronJob)
		objs   func(*batchv1.CronJob) []runtime.Object
		want   []string // substrings, one per sign
	}{
		"a Job created on time": {
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				return []runtime.Object{job(cj, s, 10*time.Millisecond, time.Second, time.Minute, false)}
			},
		},
		"a Job created half a second early: within the truncation to the second": {
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				return []runtime.Object{job(cj, s, -500*time.Millisecond, time.Second, time.Minute, false)}
			},
		},
		"a Job created 2s early, with the controller's warning": {
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				j := job(cj, s, -2*time.Second, time.Second, time.Minute, false)
				return []runtime.Object{j, earlyEvent(cj, j)}
			},
			want: []string{"was created 2s before its scheduled time 2027-03-16T02:30:00-04:00", "event Warning JobCreatedEarly"},
		},
		"a status.lastScheduleTime ahead of now, with the controller's warning": {
			mutate: func(cj *batchv1.CronJob) { cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 17))) },
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				return []runtime.Object{event(cj, corev1.EventTypeWarning, "FutureLastScheduleTime", "status.lastScheduleTime "+at(2, 30, 17).UTC().Format(time.RFC3339)+" is 17h30m0s later than the controller's clock", now, now, 1)}
			},
			want: []string{"status.lastScheduleTime 2027-03-17T02:30:00-04:00 is 17h30m0s later than now", "event Warning FutureLastScheduleTime"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			cj := cronJob("report", "30 2 * * *")
			if tc.mutate != nil {
				tc.mutate(cj)
			}
			o, out := newTestOptions(now, append(tc.objs(cj), cj, lease("steadycron-0", now))...)
			require.NoError(t, execute(t, o, "status", "report", "-o", "json"))
			var got StatusReport
			require.NoError(t, json.Unmarshal(out.Bytes(), &got))
			require.Len(t, got.Clock, len(tc.want), got.Clock)
			for i, w := range tc.want {
				assert.Contains(t, got.Clock[i], w)
			}
		})
	}
}

func TestRun(t *testing.T) {
	now := at(9, 0, 16)
	forbid := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) { cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent })
	replace := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) { cj.Spec.ConcurrencyPolicy = batchv1.ReplaceConcurrent })
	running := func(cj *batchv1.CronJob) *batchv1.Job { return job(cj, at(2, 30, 16), 0, time.Second, 0, false) }
	finished := func(cj *batchv1.CronJob) *batchv1.Job {
		return job(cj, at(2, 30, 16), 0, time.Second, time.Minute, false)
	}
	// A Job deleted with --cascade=foreground: it stays in status.active
	// while its pods stop, and the controller's Forbid check sees it.
	stopping := func(cj *batchv1.CronJob) *batchv1.Job {
		j := running(cj)
		j.DeletionTimestamp = ptr.To(metav1.NewTime(at(8, 59, 16)))
		j.Finalizers = []string{metav1.FinalizerDeleteDependents}
		return j
	}
	forbidStopping := forbid.DeepCopy()
	forbidStopping.Status.Active = []corev1.ObjectReference{{Kind: "Job", Name: stopping(forbid).Name, Namespace: ns, UID: stopping(forbid).UID}}

	tests := map[string]struct {
		cj        *batchv1.CronJob
		job       func(*batchv1.CronJob) *batchv1.Job
		force     bool
		wantErr   string
		wantJobs  int // Jobs after the run
		wantGone  bool
		wantLines string
	}{
		"Forbid refuses while a Job is active":                           {cj: forbid, job: running, wantErr: "concurrencyPolicy Forbid and Job report-", wantJobs: 1},
		"Forbid runs with --force":                                       {cj: forbid, job: running, force: true, wantJobs: 2},
		"Forbid runs once the Job finished":                              {cj: forbid, job: finished, wantJobs: 2},
		"Forbid refuses while a Job being deleted is in status.active":   {cj: forbidStopping, job: stopping, wantErr: "is being deleted and still in status.active", wantJobs: 1},
		"Forbid runs beside a Job being deleted that left status.active": {cj: forbid, job: stopping, wantJobs: 2},
		"Replace deletes the active Job, then runs":                      {cj: replace, job: running, wantJobs: 1, wantGone: true},
		"Replace leaves a finished Job":                                  {cj: replace, job: finished, wantJobs: 2},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			existing := tc.job(tc.cj)
			o, out := newTestOptions(now, tc.cj, existing)
			args := []string{"run", "report"}
			if tc.force {
				args = append(args, "--force")
			}
			err := execute(t, o, args...)
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
			} else {
				require.NoError(t, err)
				assert.Contains(t, out.String(), "created")
			}
			jobs, err := o.Client.BatchV1().Jobs(ns).List(t.Context(), metav1.ListOptions{})
			require.NoError(t, err)
			assert.Len(t, jobs.Items, tc.wantJobs)
			for _, j := range jobs.Items {
				if j.Name == existing.Name {
					assert.False(t, tc.wantGone, "the active Job was not replaced")
					continue
				}
				assert.Equal(t, "manual", j.Annotations["cronjob.kubernetes.io/instantiate"])
				ref := metav1.GetControllerOf(&j)
				require.NotNil(t, ref)
				assert.Equal(t, tc.cj.UID, ref.UID)
				assert.Equal(t, "report-", j.GenerateName)
				assert.Equal(t, tc.cj.Spec.JobTemplate.Spec.Template.Spec.Containers, j.Spec.Template.Spec.Containers)
			}
		})
	}
}

// TestRunOutputAndWait: run -o json|yaml prints the Job created, as
// kubectl create -o does, and refuses another -o before creating anything;
// --wait says when the Job is suspended (jobTemplate.spec.suspend, a queue
// controller's admission) rather than waiting silently.
func TestRunOutputAndWait(t *testing.T) {
	now := at(9, 0, 16)
	plain := cronJob("report", "30 2 * * *")
	queued := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) { cj.Spec.JobTemplate.Spec.Suspend = ptr.To(true) })
	replace := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) { cj.Spec.ConcurrencyPolicy = batchv1.ReplaceConcurrent })
	tests := map[string]struct {
		cj       *batchv1.CronJob
		objs     []runtime.Object
		args     []string
		wantErr  string
		wantJobs int
		noWrites bool // no create or delete is sent, not even a dry-run one
		check    func(t *testing.T, out string)
	}{
		"-o json prints the Job": {
			cj: plain, args: []string{"-o", "json"}, wantJobs: 1,
			check: func(t *testing.T, out string) {
				var j batchv1.Job
				require.NoError(t, json.Unmarshal([]byte(out), &j), out)
				assert.Equal(t, "Job", j.Kind)
				assert.Equal(t, "batch/v1", j.APIVersion)
				assert.Equal(t, "report-x7k2p", j.Name)
			},
		},
		"-o yaml prints the Job": {
			cj: plain, args: []string{"-o", "yaml"}, wantJobs: 1,
			check: func(t *testing.T, out string) { assert.Contains(t, out, "kind: Job\n") },
		},
		"-o wide is refused, and nothing is created": {cj: plain, args: []string{"-o", "wide"}, wantErr: "-o wide"},
		"-o name prints the Job's name": {
			cj: plain, args: []string{"-o", "name"}, wantJobs: 1,
			check: func(t *testing.T, out string) { assert.Equal(t, "job.batch/report-x7k2p\n", out) },
		},
		"--dry-run=server: the API server checks the create, nothing is created": {
			cj: plain, args: []string{"--dry-run=server"},
			check: func(t *testing.T, out string) {
				assert.Equal(t, "job.batch/report-x7k2p created (server dry run)\n", out)
			},
		},
		"--dry-run=client: nothing is sent, the Job is printed": {
			cj: plain, args: []string{"--dry-run=client", "-o", "yaml"},
			check: func(t *testing.T, out string) {
				assert.Contains(t, out, "generateName: report-\n")
				assert.Contains(t, out, "cronjob.kubernetes.io/instantiate: manual\n")
			},
		},
		"--dry-run=client: the line names the Job by its generateName": {
			cj: plain, args: []string{"--dry-run=client"},
			check: func(t *testing.T, out string) {
				assert.Equal(t, "job.batch/report-<generated> created (dry run)\n", out)
			},
		},
		"--dry-run=client -o name: the name is its generateName's": {
			cj: plain, args: []string{"--dry-run=client", "-o", "name"},
			check: func(t *testing.T, out string) { assert.Equal(t, "job.batch/report-<generated>\n", out) },
		},
		"--dry-run=client with Replace: nothing is sent": {
			cj: replace, objs: []runtime.Object{job(replace, at(2, 30, 16), 0, time.Second, 0, false)}, args: []string{"--dry-run=client"}, wantJobs: 1, noWrites: true,
			check: func(t *testing.T, out string) {
				assert.Contains(t, out, "deleted (concurrencyPolicy Replace) (dry run)\n")
				assert.Contains(t, out, "job.batch/report-<generated> created (dry run)\n")
			},
		},
		"--dry-run=server with Replace: the active Job is not deleted": {
			cj: replace, objs: []runtime.Object{job(replace, at(2, 30, 16), 0, time.Second, 0, false)}, args: []string{"--dry-run=server"}, wantJobs: 1,
			check: func(t *testing.T, out string) {
				assert.Contains(t, out, "deleted (concurrencyPolicy Replace) (server dry run)\n")
				assert.Contains(t, out, "created (server dry run)\n")
			},
		},
		"--dry-run with another value is refused": {cj: plain, args: []string{"--dry-run=true"}, wantErr: `must be "none", "server", or "client"`},
		"--wait with --dry-run is refused":        {cj: plain, args: []string{"--dry-run=server", "--wait"}, wantErr: "--wait cannot follow"},
		"--wait on a suspended Job says so": {
			cj: queued, args: []string{"--wait", "--timeout", "1s"}, wantErr: "still suspended", wantJobs: 1,
			check: func(t *testing.T, out string) { assert.Contains(t, out, "suspended (spec.suspend is true)") },
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			o, out := newTestOptions(now, append([]runtime.Object{tc.cj}, tc.objs...)...)
			o.ErrOut = out // the Replace progress line
			dryRunHonoured(o)
			nameGenerated(o)
			err := execute(t, o, append([]string{"run", "report"}, tc.args...)...)
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
			} else {
				require.NoError(t, err)
			}
			if tc.noWrites {
				for _, a := range o.Client.(*fake.Clientset).Actions() {
					assert.Contains(t, []string{"get", "list", "watch"}, a.GetVerb(), "%s %s sent", a.GetVerb(), a.GetResource().Resource)
				}
			}
			jobs, err := o.Client.BatchV1().Jobs(ns).List(t.Context(), metav1.ListOptions{})
			require.NoError(t, err)
			assert.Len(t, jobs.Items, tc.wantJobs)
			if tc.check != nil {
				tc.check(t, out.String())
			}
		})
	}
}

// dryRunHonoured makes the fake carry out no create or delete of a Job with
// DryRun, as the API server does.
func dryRunHonoured(o *Options) {
	client := o.Client.(*fake.Clientset)
	client.PrependReactor("create", "jobs", func(action clienttesting.Action) (bool, runtime.Object, error) {
		if a := action.(clienttesting.CreateActionImpl); len(a.CreateOptions.DryRun) > 0 {
			return true, a.GetObject(), nil
		}
		return false, nil, nil
	})
	client.PrependReactor("delete", "jobs", func(action clienttesting.Action) (bool, runtime.Object, error) {
		return len(action.(clienttesting.DeleteActionImpl).DeleteOptions.DryRun) > 0, nil, nil
	})
}

// nameGenerated makes the fake fill in metadata.name from generateName, as
// the API server does.
func nameGenerated(o *Options) {
	o.Client.(*fake.Clientset).PrependReactor("create", "jobs", func(action clienttesting.Action) (bool, runtime.Object, error) {
		if j, ok := action.(clienttesting.CreateAction).GetObject().(*batchv1.Job); ok && j.Name == "" {
			j.Name = j.GenerateName + "x7k2p"
		}
		return false, nil, nil
	})
}

// TestStatusFacts: what status says beside the runs: a suspended CronJob's
// next times carry next's "suspended" note; a start annotation that does not
// parse is listed among the missing facts, so "-" is not read as "not yet".
// TestMissingExpectedStartLooksAtScheduledJobsOnly: steadycron writes
// steadycron.io/expected-start on the Jobs it creates for scheduled times,
// never on a Job made by hand (kubectl create job --from, kubectl cronjob run):
// a CronJob whose only Jobs are manual ones shows no sign of a controller
// without steadycron's patches; one whose scheduled Jobs lack it does.
func TestMissingExpectedStartLooksAtScheduledJobsOnly(t *testing.T) {
	now := at(9, 0, 16)
	cj := cronJob("report", "0 0 1 1 *")
	stock := job(cj, at(0, 0, 16), 0, time.Second, time.Minute, false)
	delete(stock.Annotations, "steadycron.io/expected-start")
	tests := map[string]struct {
		jobs    []runtime.Object
		missing bool
	}{
		"only a manual Job":                            {jobs: []runtime.Object{manualJob(cj, now.Add(-time.Minute))}},
		"only a Job from k9s":                          {jobs: []runtime.Object{k9sJob(cj, now.Add(-time.Minute))}},
		"a scheduled Job with expected-start":          {jobs: []runtime.Object{job(cj, at(0, 0, 16), 0, time.Second, time.Minute, false), manualJob(cj, now.Add(-time.Minute))}},
		"a scheduled Job without it, and a manual one": {jobs: []runtime.Object{stock, manualJob(cj, now.Add(-time.Minute))}, missing: true},
	}
	for name, tc := range tests {
		for _, cmd := range []string{"why", "status"} {
			t.Run(name+"/"+cmd, func(t *testing.T) {
				o, out := newTestOptions(now, append([]runtime.Object{cj, lease("steadycron-0", now)}, tc.jobs...)...)
				require.NoError(t, execute(t, o, cmd, "report", "-o", "json"))
				var got struct {
					Missing []string `json:"missing"`
				}
				require.NoError(t, json.Unmarshal(out.Bytes(), &got))
				said := strings.Contains(strings.Join(got.Missing, "\n"), "without steadycron's patches")
				assert.Equal(t, tc.missing, said, "%q", got.Missing)
			})
		}
	}
}

// TestStatusSaysWhatItCouldNotRead: Jobs, events or a Lease that status may
// not read (a user with get/list/watch on cronjobs only) are not known, not
// none: the table says so instead of "none", -o json has runs and events
// null, and controller.leading absent rather than false.
func TestStatusSaysWhatItCouldNotRead(t *testing.T) {
	now := at(9, 0, 16)
	cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) { cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 16))) })
	tests := map[string]struct {
		forbidden   []func(*fake.Clientset)
		table       []string
		notTable    []string
		runsNull    bool
		eventsNull  bool
		leadingNull bool
	}{
		"everything readable": {
			table: []string{"Last runs:\nSCHEDULED", "Events:\n  none"},
		},
		"no Jobs, events or Lease": {
			forbidden: []func(*fake.Clientset){forbid("list", "jobs"), forbid("list", "events"), forbid("get", "leases")},
			table:     []string{"Last runs:\n  not known: they could not be read (see missing facts)", "Events:\n  not known: they could not be read (see missing facts)"},
			notTable:  []string{"Last runs:\n  none", "Events:\n  none"},
			runsNull:  true, eventsNull: true, leadingNull: true,
		},
		"no Lease": {
			forbidden:   []func(*fake.Clientset){forbid("get", "leases")},
			table:       []string{"whether a controller leads is not known"},
			leadingNull: true,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			for _, output := range []string{"", "json"} {
				o, out := newTestOptions(now, cj, job(cj, at(2, 30, 16), 0, time.Second, time.Minute, false), lease("steadycron-0", now))
				for _, f := range tc.forbidden {
					f(o.Client.(*fake.Clientset))
				}
				args := []string{"status", "report"}
				if output != "" {
					args = append(args, "-o", output)
				}
				require.NoError(t, execute(t, o, args...))
				if output == "" {
					for _, s := range tc.table {
						assert.Contains(t, out.String(), s)
					}
					for _, s := range tc.notTable {
						assert.NotContains(t, out.String(), s)
					}
					continue
				}
				var got map[string]any
				require.NoError(t, json.Unmarshal(out.Bytes(), &got))
				assert.Equal(t, tc.runsNull, got["runs"] == nil, "runs: %v", got["runs"])
				assert.Equal(t, tc.eventsNull, got["events"] == nil, "events: %v", got["events"])
				leading, ok := got["controller"].(map[string]any)["leading"]
				assert.Equal(t, tc.leadingNull, !ok, "leading: %v", leading)
			}
		})
	}
}

// TestStatusShowsTheFindingsOfLintName: status's Lint section is what `lint
// NAME` reports for the CronJob, crowded-minute among the CronJobs of its
// namespace included (12 CronJobs due at 03:00); when it may not list them,
// both count the CronJob alone and say so under missing facts.
func TestStatusShowsTheFindingsOfLintName(t *testing.T) {
	now := at(9, 0, 16)
	var objs []runtime.Object
	for i := range 12 {
		cj := cronJob(fmt.Sprintf("report-%02d", i), "0 3 * * *")
		cj.UID = types.UID(fmt.Sprintf("uid-%02d", i))
		objs = append(objs, cj)
	}
	checks := func(findings []Finding) []string {
		var out []string
		for _, f := range findings {
			out = append(out, f.Check)
		}
		return out
	}
	for name, tc := range map[string]struct {
		denied  bool
		crowded bool
	}{
		"the namespace's CronJobs listed":     {crowded: true},
		"the namespace's CronJobs not listed": {denied: true},
	} {
		t.Run(name, func(t *testing.T) {
			options := func() (*Options, *bytes.Buffer) {
				o, out := newTestOptions(now, objs...)
				if tc.denied {
					forbid("list", "cronjobs")(o.Client.(*fake.Clientset))
				}
				return o, out
			}
			o, out := options()
			require.NoError(t, execute(t, o, "lint", "report-00", "-o", "json"))
			var lint LintReport
			require.NoError(t, json.Unmarshal(out.Bytes(), &lint))
			assert.Equal(t, tc.crowded, slices.Contains(checks(lint.Findings), "crowded-minute"), "lint: %v", checks(lint.Findings))

			o, out = options()
			require.NoError(t, execute(t, o, "status", "report-00", "-o", "json"))
			var status StatusReport
			require.NoError(t, json.Unmarshal(out.Bytes(), &status))
			assert.ElementsMatch(t, checks(lint.Findings), checks(status.Findings), "status lists the findings of lint NAME")
			if tc.denied {
				assert.Contains(t, strings.Join(status.Missing, "\n"), "the other CronJobs of team-a (the same-minute check counts only report-00)")
			}
		})
	}
}

func TestStatusFacts(t *testing.T) {
	now := at(9, 0, 16)
	tests := map[string]struct {
		mutate func(*batchv1.CronJob)
		objs   func(*batchv1.CronJob) []runtime.Object
		check  func(t *testing.T, got StatusReport)
	}{
		"a suspended CronJob's next times": {
			mutate: func(cj *batchv1.CronJob) { cj.Spec.Suspend = ptr.To(true) },
			check: func(t *testing.T, got StatusReport) {
				require.NotEmpty(t, got.Next)
				for _, n := range got.Next {
					assert.Contains(t, n.Note, "suspended: runs only if the CronJob is resumed by then, or late, at the resume, within startingDeadlineSeconds (300s) after it", "next time %s", n.Time)
				}
			},
		},
		"the next times of a CronJob being deleted": {
			mutate: func(cj *batchv1.CronJob) {
				cj.DeletionTimestamp = ptr.To(metav1.NewTime(at(1, 0, 16)))
				cj.Finalizers = []string{metav1.FinalizerDeleteDependents}
			},
			check: func(t *testing.T, got StatusReport) {
				require.NotEmpty(t, got.Next)
				for _, n := range got.Next {
					assert.Contains(t, n.Note, "not run: the CronJob is being deleted (metadata.deletionTimestamp 2027-03-16T05:00:00Z)", "next time %s", n.Time)
				}
			},
		},
		// k9s's trigger writes no annotation of its own: the table's
		// "manual" and -o json's manual agree.
		"a Job from k9s": {
			objs: func(cj *batchv1.CronJob) []runtime.Object { return []runtime.Object{k9sJob(cj, at(8, 0, 16))} },
			check: func(t *testing.T, got StatusReport) {
				require.Len(t, got.Runs, 1)
				assert.True(t, got.Runs[0].Manual, "run %s", got.Runs[0].Job)
				assert.Nil(t, got.Runs[0].Scheduled)
			},
		},
		// Jobs of a controller that wrote no scheduled timestamp: their
		// names NAME-<minutes> give their times.
		"Jobs without the scheduled timestamp": {
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				return []runtime.Object{preAnnotationJob(cj, at(2, 30, 15), time.Minute), preAnnotationJob(cj, at(2, 30, 16), time.Minute)}
			},
			check: func(t *testing.T, got StatusReport) {
				require.Len(t, got.Runs, 2)
				for _, r := range got.Runs {
					assert.False(t, r.Manual, "run %s", r.Job)
					require.NotNil(t, r.Scheduled, "run %s", r.Job)
				}
				assert.Equal(t, "2027-03-16T02:30:00-04:00", got.Runs[len(got.Runs)-1].Scheduled.Time)
			},
		},
		"a first-running annotation that does not parse": {
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				broken := job(cj, at(2, 30, 16), 10*time.Millisecond, time.Second, time.Minute, false)
				broken.Annotations["steadycron.io/first-running"] = "2027-03-16 06:30:01"
				return []runtime.Object{job(cj, at(2, 30, 15), 10*time.Millisecond, time.Second, time.Minute, false), broken}
			},
			check: func(t *testing.T, got StatusReport) {
				assert.Contains(t, strings.Join(got.Missing, "\n"), `steadycron.io/first-running on Job report-30086310: "2027-03-16 06:30:01" is not an RFC 3339 time`)
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			cj := cronJob("report", "30 2 * * *")
			if tc.mutate != nil {
				tc.mutate(cj)
			}
			objs := []runtime.Object{cj, lease("steadycron-0", now)}
			if tc.objs != nil {
				objs = append(objs, tc.objs(cj)...)
			}
			o, out := newTestOptions(now, objs...)
			require.NoError(t, execute(t, o, "status", "report", "-o", "json"))
			var got StatusReport
			require.NoError(t, json.Unmarshal(out.Bytes(), &got))
			tc.check(t, got)
		})
	}
}

func TestLint(t *testing.T) {
	now := at(9, 0, 16)
	risky := cronJob("nightly-export-of-everything-that-the-finance-team-needs", "30 2 1 * 1", func(cj *batchv1.CronJob) {
		cj.Spec.StartingDeadlineSeconds = ptr.To[int64](0)
		cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
		cj.Spec.JobTemplate.Spec.ActiveDeadlineSeconds = nil
		cj.Spec.JobTemplate.Spec.BackoffLimit = nil
		cj.Spec.JobTemplate.Spec.Template.Spec.RestartPolicy = corev1.RestartPolicyNever
		cj.Spec.SuccessfulJobsHistoryLimit = ptr.To[int32](0)
	})
	replace := cronJob("replace", "*/5 * * * *", func(cj *batchv1.CronJob) {
		cj.UID = "replace-uid"
		cj.Spec.ConcurrencyPolicy = batchv1.ReplaceConcurrent
		cj.Spec.JobTemplate.Spec.Template.Spec.TerminationGracePeriodSeconds = ptr.To[int64](300)
		cj.Spec.TimeZone = ptr.To("Europe/Atlantis")
		cj.Spec.Suspend = ptr.To(true)
		cj.ManagedFields = []metav1.ManagedFieldsEntry{{
			Manager: "kubectl-patch", Time: ptr.To(metav1.NewTime(at(9, 0, 1).AddDate(0, -2, 0))),
			FieldsType: "FieldsV1", FieldsV1: &metav1.FieldsV1{Raw: []byte(`{"f:spec":{"f:suspend":{}}}`)},
		}}
	})
	clean := cronJob("clean", "7 * * * *", func(cj *batchv1.CronJob) { cj.UID = "clean-uid" })
	longRun := cronJob("long", "*/10 * * * *", func(cj *batchv1.CronJob) {
		cj.UID = "long-uid"
		cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
	})
	longJob := job(longRun, at(8, 0, 16), 0, time.Second, 25*time.Minute, false)

	t.Run("risky CronJobs: errors exit non-zero", func(t *testing.T) {
		o, out := newTestOptions(now, risky, replace, clean, longRun, longJob)
		assert.ErrorContains(t, execute(t, o, "lint"), "3 error finding(s)")
		golden(t, "lint.txt", out.Bytes())
	})
	t.Run("a clean CronJob", func(t *testing.T) {
		o, out := newTestOptions(now, risky, clean)
		require.NoError(t, execute(t, o, "lint", "clean", "-o", "yaml"))
		golden(t, "lint-clean.yaml", out.Bytes())
	})
}

// TestLintFindings: the findings of one CronJob's checks, and whether lint
// exits non-zero for them.
func TestLintFindings(t *testing.T) {
	twice := cronJob("report", "0 9,10 * * *", func(cj *batchv1.CronJob) { cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent })
	hourly := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
		cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
		cj.Spec.JobTemplate.Spec.ActiveDeadlineSeconds = ptr.To[int64](4 * 3600)
	})
	tests := map[string]struct {
		cj      *batchv1.CronJob
		jobs    []runtime.Object
		now     time.Time // default 09:00 on the 16th
		want    string    // a check among the findings
		what    string    // in the text of a finding
		notWant string    // a check not among them
		errs    int       // error findings, which make lint exit non-zero
	}{
		// Every day 10:00 is skipped for a 2h run of 09:00: the shortest gap
		// (1h) is the period, wherever now is between the times.
		"Forbid, a run longer than the shortest gap, linted after 10:00": {
			cj: twice, jobs: []runtime.Object{job(twice, at(9, 0, 15), 10*time.Millisecond, time.Second, 2*time.Hour, false)},
			now: at(10, 30, 16), want: "forbid-longer-than-period",
		},
		"Forbid, a run longer than the shortest gap, linted between 09:00 and 10:00 (next gap 23h)": {
			cj: twice, jobs: []runtime.Object{job(twice, at(9, 0, 15), 10*time.Millisecond, time.Second, 2*time.Hour, false)},
			now: at(9, 30, 16), want: "forbid-longer-than-period",
		},
		"Forbid, a run shorter than the shortest gap": {
			cj: twice, jobs: []runtime.Object{job(twice, at(9, 0, 15), 10*time.Millisecond, time.Second, 30*time.Minute, false)},
			now: at(9, 30, 16), notWant: "forbid-longer-than-period",
		},
		"Forbid, a Job still running 3h into an hourly schedule": {
			cj: hourly, jobs: []runtime.Object{job(hourly, at(6, 0, 16), 10*time.Millisecond, time.Second, 0, false)},
			want: "forbid-longer-than-period", what: "Job report-30086520 has been running 3h0m0s",
		},
		// A Job whose pods do not run (an image it cannot pull) blocks the
		// CronJob too, without running.
		"Forbid, a Job Pending 3h into an hourly schedule": {
			cj: hourly, jobs: []runtime.Object{func() *batchv1.Job {
				j := job(hourly, at(6, 0, 16), 10*time.Millisecond, 0, 0, false)
				j.Status.Ready = ptr.To[int32](0)
				return j
			}()},
			want: "forbid-longer-than-period", what: "Job report-30086520 has been Pending, not running, for 3h0m0s",
		},
		// The same risks as a history limit of 0 and Forbid without a
		// deadline, set by another field (review 18m).
		"a template ttlSecondsAfterFinished of 0": {
			cj:   cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) { cj.Spec.JobTemplate.Spec.TTLSecondsAfterFinished = ptr.To[int32](0) }),
			want: "no-history", what: "ttlSecondsAfterFinished is 0: every Job, failed ones too, is deleted",
		},
		"Forbid, an activeDeadlineSeconds of a day on an hourly schedule": {
			cj: cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
				cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
				cj.Spec.JobTemplate.Spec.ActiveDeadlineSeconds = ptr.To[int64](24 * 3600)
			}),
			want: "forbid-without-active-deadline", what: "activeDeadlineSeconds (24h) is longer than the schedule's shortest period (1h): a hung run blocks up to 23 later runs",
		},
		"Forbid, an activeDeadlineSeconds below the period": {
			cj: cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
				cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
				cj.Spec.JobTemplate.Spec.ActiveDeadlineSeconds = ptr.To[int64](1800)
			}),
			notWant: "forbid-without-active-deadline",
		},
		// A manifest made from kubectl get job -o yaml of a Job made by hand.
		"a template that carries the manual annotation": {
			cj: cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
				cj.Spec.JobTemplate.Annotations = map[string]string{instantiateAnnotation: "manual"}
			}),
			want: "manual-annotation-in-template",
		},
		"a schedule that parses but never runs (February 31st)": {
			cj:   cronJob("report", "0 0 31 2 *"),
			want: "invalid-schedule", errs: 1,
		},
		"an unknown zone in a CRON_TZ= schedule": {
			cj:   cronJob("report", "CRON_TZ=Mars/Base 0 3 * * *", func(cj *batchv1.CronJob) { cj.Spec.TimeZone = nil }),
			want: "unknown-time-zone", notWant: "invalid-schedule", errs: 1,
		},
		"a zone in a CRON_TZ= schedule": {
			cj:   cronJob("report", "CRON_TZ=Europe/Berlin 0 3 * * *", func(cj *batchv1.CronJob) { cj.Spec.TimeZone = nil }),
			want: "zone-in-schedule", notWant: "unknown-time-zone",
		},
		"TZ=Local: the controller's zone": {
			cj:   cronJob("report", "TZ=Local 0 3 * * *", func(cj *batchv1.CronJob) { cj.Spec.TimeZone = nil }),
			want: "zone-in-schedule", notWant: "unknown-time-zone",
		},
		"a zone in .spec.timeZone": {
			cj: cronJob("report", "0 3 * * *", func(cj *batchv1.CronJob) { cj.Spec.TimeZone = ptr.To("Europe/Berlin") }), notWant: "zone-in-schedule",
		},
		"an unknown spec.timeZone": {
			cj:   cronJob("report", "0 3 * * *", func(cj *batchv1.CronJob) { cj.Spec.TimeZone = ptr.To("Mars/Olympus") }),
			want: "unknown-time-zone", notWant: "invalid-schedule", errs: 1,
		},
		// Only the first time of each minute gets a Job: the name of the
		// Job has the minute only (e2e TestWhyTimesInOneMinute).
		"@every 30s: times less than a minute apart": {
			cj: cronJob("report", "@every 30s"), want: "sub-minute-schedule",
		},
		"@every 1m": {
			cj: cronJob("report", "@every 1m"), notWant: "sub-minute-schedule",
		},
		"every minute": {
			cj: cronJob("report", "* * * * *"), notWant: "sub-minute-schedule",
		},
		"backoffLimit left unset with restartPolicy Never": {
			cj: cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
				cj.Spec.JobTemplate.Spec.BackoffLimit = nil
				cj.Spec.JobTemplate.Spec.Template.Spec.RestartPolicy = corev1.RestartPolicyNever
			}),
			want: "default-backoff-limit",
		},
		"backoffLimitPerIndex: each index has its own limit": {
			cj: cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
				spec := &cj.Spec.JobTemplate.Spec
				spec.BackoffLimit = nil
				spec.CompletionMode = ptr.To(batchv1.IndexedCompletion)
				spec.Completions, spec.Parallelism = ptr.To[int32](4), ptr.To[int32](4)
				spec.BackoffLimitPerIndex = ptr.To[int32](1)
				spec.Template.Spec.RestartPolicy = corev1.RestartPolicyNever
			}),
			notWant: "default-backoff-limit",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			now := tc.now
			if now.IsZero() {
				now = at(9, 0, 16)
			}
			o, out := newTestOptions(now, append(tc.jobs, tc.cj)...)
			err := execute(t, o, "lint", tc.cj.Name, "-o", "json")
			var r LintReport
			require.NoError(t, json.Unmarshal(out.Bytes(), &r))
			var checks []string
			for _, f := range r.Findings {
				checks = append(checks, f.Check)
			}
			if tc.want != "" {
				assert.Contains(t, checks, tc.want)
			}
			if tc.what != "" {
				assert.Contains(t, out.String(), tc.what)
			}
			if tc.notWant != "" {
				assert.NotContains(t, checks, tc.notWant)
			}
			if tc.errs == 0 {
				assert.NoError(t, err)
			} else {
				assert.EqualError(t, err, fmt.Sprintf("%d error finding(s)", tc.errs))
			}
		})
	}
}

// TestLintDSTTransition: a fixed time in a daylight saving time gap or
// overlap is a finding only when the schedule runs on the day of the change
// (2027-03-14 and 2027-11-07 are Sundays in America/New_York).
func TestLintDSTTransition(t *testing.T) {
	march1, march16 := at(9, 0, 1), at(9, 0, 16)
	tests := map[string]struct {
		schedule string
		zone     string // default America/New_York; "-" for none (a CRON_TZ= schedule)
		now      time.Time
		want     string // the finding's text; empty for no finding
		fix      string // in the finding's fix, when set: the zone's own change window
	}{
		"midnight, in a gap at the start of the day":                {schedule: "30 0 * * *", zone: "Asia/Beirut", now: march1, want: "00:30 does not exist on 2027-03-28 in Asia/Beirut", fix: "outside 23:00–01:00 local time"},
		"midnight, a gap at midnight in Santiago":                   {schedule: "30 0 * * *", zone: "America/Santiago", now: march1, want: "00:30 does not exist on 2027-09-05 in America/Santiago", fix: "outside 23:00–01:00 local time"},
		"midnight, a gap at midnight in Havana":                     {schedule: "30 0 * * *", zone: "America/Havana", now: march1, want: "00:30 does not exist on 2027-03-14 in America/Havana", fix: "outside 23:00–01:00 local time"},
		"before midnight, repeated when clocks go back at midnight": {schedule: "30 23 * * *", zone: "Asia/Beirut", now: march16, want: "23:30 happens twice on 2027-10-30 in Asia/Beirut"},
		"outside a midnight change":                                 {schedule: "30 1 * * *", zone: "Asia/Beirut", now: march1},
		"every day, in the spring gap":                              {schedule: "30 2 * * *", now: march1, want: "02:30 does not exist on 2027-03-14 in America/New_York", fix: "outside 01:00–03:00 local time"},
		"every day, in the autumn overlap":                          {schedule: "30 1 * * *", now: march16, want: "01:30 happens twice on 2027-11-07 in America/New_York"},
		"Sundays, in the spring gap":                                {schedule: "30 2 * * 0", now: march1, want: "02:30 does not exist on 2027-03-14"},
		"the 14th, in the spring gap":                               {schedule: "30 2 14 * *", now: march1, want: "02:30 does not exist on 2027-03-14"},
		"the 7th, only the autumn overlap":                          {schedule: "30 1 7 * *", now: march1, want: "01:30 happens twice on 2027-11-07"},
		"Wednesdays never meet the gap":                             {schedule: "30 2 * * 3", now: march1},
		"the 1st never meets the gap":                               {schedule: "30 2 1 * *", now: march1},
		"June never meets the gap":                                  {schedule: "30 2 * 6 *", now: march1},
		"the 1st or Mondays (OR), no Sunday":                        {schedule: "30 2 1 * 1", now: march16},
		"outside the changed hours":                                 {schedule: "30 4 * * *", now: march1},
		"a legacy CRON_TZ= schedule, in the spring gap":             {schedule: "CRON_TZ=America/New_York 30 2 * * *", zone: "-", now: march1, want: "02:30 does not exist on 2027-03-14 in America/New_York"},
		"an hour list, one of them in the spring gap":               {schedule: "30 1,2 * * *", now: march1, want: "02:30 does not exist on 2027-03-14"},
		"@daily, in a gap at midnight":                              {schedule: "@daily", zone: "America/Santiago", now: march1, want: "00:00 does not exist on 2027-09-05 in America/Santiago"},
		// 02:00 runs at the change, 03:00, which is also the schedule's own
		// time: one run is lost.
		"an hour list, its gap time merged into its own time at the change": {schedule: "0 2,3 * * *", now: march1, want: "02:00 does not exist on 2027-03-14 in America/New_York (clocks go forward 1h), and its run at the change is the one of 03:00"},
		"an hour range across the spring gap":                               {schedule: "0 1-3 * * *", now: march1, want: "02:00 does not exist on 2027-03-14"},
		"every 30 minutes of the changed hour: wall clock, no note":         {schedule: "*/30 1,2 * * *", now: march1},
		"hourly: every real hour, no note":                                  {schedule: "0 * * * *", now: march1},
		"@every: real time, no note":                                        {schedule: "@every 1h", now: march1},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var got, fixes []string
			cj := cronJob("x", tc.schedule)
			switch tc.zone {
			case "":
			case "-":
				cj.Spec.TimeZone = nil
			default:
				cj.Spec.TimeZone = &tc.zone
			}
			for _, f := range lintCronJob(cj, nil, tc.now, "UTC", &scheduleCache{}) {
				if f.Check == "dst-transition" {
					got, fixes = append(got, f.What), append(fixes, f.Fix)
				}
			}
			if tc.want == "" {
				assert.Empty(t, got)
				return
			}
			require.Len(t, got, 1)
			assert.Contains(t, got[0], tc.want)
			assert.Contains(t, fixes[0], tc.fix)
		})
	}
}

// TestDayOfMonthOrWeek: lint reports the OR of the two day fields only when
// both restrict the days as robfig/cron reads them: a field starting with *
// or ? with a step of 1 ("*/1") leaves it unrestricted, and the other field
// alone decides, as the controller's own next times show.
func TestDayOfMonthOrWeek(t *testing.T) {
	now := at(9, 0, 16)
	tests := map[string]struct {
		schedule string
		either   bool
		weekdays []time.Weekday // the days of the next times, when the day-of-week field alone decides
	}{
		"both restricted":                      {schedule: "0 9 1 * 1", either: true},
		"a step of 2 restricts":                {schedule: "0 9 */2 * 1", either: true},
		"*/1 in day-of-month: Mondays only":    {schedule: "0 9 */1 * 1", weekdays: []time.Weekday{time.Monday}},
		"* in day-of-month: Mondays only":      {schedule: "0 9 * * 1", weekdays: []time.Weekday{time.Monday}},
		"? in day-of-month: Mondays only":      {schedule: "0 9 ? * 1", weekdays: []time.Weekday{time.Monday}},
		"a list with * in it: Mondays only":    {schedule: "0 9 1,* * 1", weekdays: []time.Weekday{time.Monday}},
		"*/1 in day-of-week: the 1st only":     {schedule: "0 9 1 * */1"},
		"with a TZ= prefix":                    {schedule: "TZ=UTC 0 9 1 * 1", either: true},
		"a descriptor restricts neither field": {schedule: "@daily"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			cj := cronJob("report", tc.schedule)
			if strings.HasPrefix(tc.schedule, "TZ=") {
				cj.Spec.TimeZone = nil
			}
			assert.Equal(t, tc.either, domDowBoth(tc.schedule))
			checks := []string{}
			for _, f := range lintCronJob(cj, nil, now, "UTC", &scheduleCache{}) {
				checks = append(checks, f.Check)
			}
			assert.Equal(t, tc.either, slices.Contains(checks, "day-of-month-or-week"), checks)
			if tc.weekdays != nil {
				s, err := parseSchedule(cj, "UTC")
				require.NoError(t, err)
				for _, n := range s.next(now, 3) {
					assert.Contains(t, tc.weekdays, n.In(s.loc).Weekday(), "the controller runs %q on %v", tc.schedule, n)
				}
			}
		})
	}
}

// TestLintSameMinute: crowded-minute counts the CronJobs listed (the
// namespace's, also for lint NAME, or the cluster's with -A) that are due in
// the same minute of the next 24 hours, from crowdedMinute of them on.
func TestLintSameMinute(t *testing.T) {
	now := at(9, 0, 16)
	cjs := func(n int, schedule string, mutate ...func(*batchv1.CronJob)) []runtime.Object {
		var out []runtime.Object
		for i := range n {
			name := fmt.Sprintf("%s-%02d", strings.NewReplacer(" ", "", "*", "x", "/", "-").Replace(schedule), i)
			out = append(out, cronJob(name, schedule, append([]func(*batchv1.CronJob){func(cj *batchv1.CronJob) { cj.UID = types.UID("uid-" + name) }}, mutate...)...))
		}
		return out
	}
	names := func(objs []runtime.Object) []string {
		var out []string
		for _, o := range objs {
			cj := o.(*batchv1.CronJob)
			out = append(out, cj.Namespace+"/"+cj.Name)
		}
		return out
	}
	midnight := at(0, 0, 17).UTC().Format(time.RFC3339)
	ten := cjs(10, "0 0 * * *")
	hourly, daily := cjs(5, "0 * * * *"), cjs(5, "0 0 * * *")
	otherNamespace := cjs(5, "0 0 * * 3", func(cj *batchv1.CronJob) { cj.Namespace = "team-b" })
	tests := map[string]struct {
		objs        []runtime.Object
		args        []string
		denyList    bool
		want        []string // the CronJobs with a crowded-minute finding
		wantText    string
		wantMissing string
	}{
		"ten daily at midnight": {
			objs: ten, want: names(ten),
			wantText: "10 CronJobs in namespace team-a are due in the same minute, " + midnight,
		},
		"nine: below the threshold": {objs: cjs(9, "0 0 * * *")},
		"hourly and daily meet at midnight": {
			objs: append(append([]runtime.Object{}, hourly...), daily...), want: append(names(hourly), names(daily)...),
			wantText: "10 CronJobs in namespace team-a are due in the same minute, " + midnight,
		},
		"a suspended one is not counted": {
			objs: append(cjs(9, "0 0 * * *"), cjs(1, "0 0 * * 2", func(cj *batchv1.CronJob) { cj.Spec.Suspend = ptr.To(true) })...),
		},
		"spread minutes": {objs: append(cjs(5, "7 0 * * *"), cjs(5, "0 0 * * *")...)},
		"a weekly one meets the daily ones within the day": {
			objs: append(cjs(9, "0 0 * * *"), cjs(1, "0 0 * * 3")...), want: append(names(cjs(9, "0 0 * * *")), names(cjs(1, "0 0 * * 3"))...),
		},
		"lint NAME counts the namespace": {
			objs: ten, args: []string{ten[0].(*batchv1.CronJob).Name}, want: names(ten[:1]),
		},
		"lint NAME, the namespace cannot be listed": {
			objs: ten, args: []string{ten[0].(*batchv1.CronJob).Name}, denyList: true,
			wantMissing: "the same-minute check counts only",
		},
		// Six times a minute, one CronJob each: two are not twelve.
		"an @every schedule counts once in a minute": {objs: cjs(2, "@every 10s")},
		"an @every schedule meets nine daily ones at midnight": {
			objs: append(cjs(9, "0 0 * * *"), cjs(1, "@every 10s")...), want: append(names(cjs(9, "0 0 * * *")), names(cjs(1, "@every 10s"))...),
			wantText: "10 CronJobs in namespace team-a are due in the same minute, " + midnight,
		},
		"another namespace is not counted": {objs: append(cjs(5, "0 0 * * *"), otherNamespace...)},
		"-A counts the cluster": {
			objs: append(cjs(5, "0 0 * * *"), otherNamespace...), args: []string{"-A"},
			want:     append(names(cjs(5, "0 0 * * *")), names(otherNamespace)...),
			wantText: "10 CronJobs in the cluster are due in the same minute, " + midnight,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			o, out := newTestOptions(now, tc.objs...)
			if tc.denyList {
				forbid("list", "cronjobs")(o.Client.(*fake.Clientset))
			}
			require.NoError(t, execute(t, o, append(append([]string{"lint"}, tc.args...), "-o", "json")...))
			var report LintReport
			require.NoError(t, json.Unmarshal(out.Bytes(), &report))
			var got []string
			for _, f := range report.Findings {
				if f.Check == "crowded-minute" {
					got = append(got, f.CronJob)
					if tc.wantText != "" {
						assert.Contains(t, f.What, tc.wantText)
					}
				}
			}
			assert.ElementsMatch(t, tc.want, got)
			if tc.wantMissing != "" {
				require.Len(t, report.Missing, 1)
				assert.Contains(t, report.Missing[0], tc.wantMissing)
			}
		})
	}
}

// TestLintNoFindings: a clean namespace says so in every output format; the
// table's line goes to stderr, as kubectl get's "No resources found", so that
// stdout has one line per finding (also with --no-headers).
func TestLintNoFindings(t *testing.T) {
	clean := cronJob("clean", "7 * * * *")
	tests := map[string]struct {
		objs  []runtime.Object
		args  []string
		check func(t *testing.T, out, errOut []byte)
	}{
		"table": {
			objs: []runtime.Object{clean},
			check: func(t *testing.T, out, errOut []byte) {
				assert.Empty(t, out)
				assert.Equal(t, "No findings in 1 CronJob(s).\n", string(errOut))
			},
		},
		"table, no headers": {
			objs: []runtime.Object{clean}, args: []string{"--no-headers"},
			check: func(t *testing.T, out, errOut []byte) {
				assert.Empty(t, out)
				assert.Equal(t, "No findings in 1 CronJob(s).\n", string(errOut))
			},
		},
		"table, no CronJobs": {
			check: func(t *testing.T, out, errOut []byte) {
				assert.Empty(t, out)
				assert.Equal(t, "No findings in 0 CronJob(s).\n", string(errOut))
			},
		},
		"json": {
			objs: []runtime.Object{clean}, args: []string{"-o", "json"},
			check: func(t *testing.T, out, _ []byte) {
				var r map[string]any
				require.NoError(t, json.Unmarshal(out, &r))
				assert.Equal(t, []any{}, r["findings"])
				assert.InDelta(t, 1, r["checked"], 0)
				assert.Equal(t, APIVersion, r["apiVersion"])
			},
		},
		"yaml": {
			objs: []runtime.Object{clean}, args: []string{"-o", "yaml"},
			check: func(t *testing.T, out, _ []byte) {
				var r map[string]any
				require.NoError(t, yaml.Unmarshal(out, &r))
				assert.Equal(t, []any{}, r["findings"])
				assert.Equal(t, "LintReport", r["kind"])
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			o, out := newTestOptions(at(9, 0, 16), tc.objs...)
			require.NoError(t, execute(t, o, append([]string{"lint"}, tc.args...)...))
			tc.check(t, out.Bytes(), o.ErrOut.(*bytes.Buffer).Bytes())
		})
	}
}

// BenchmarkLintNamespace: lint of a namespace of 5,000 CronJobs, due every
// minute or once an hour (the crowded-minute check meets up to 1,440 times
// per schedule in its 24 hours):
// go test ./pkg/plugin/ -run '^$' -bench BenchmarkLintNamespace -benchtime 3x -count 5
func BenchmarkLintNamespace(b *testing.B) {
	for _, schedule := range []string{"7 * * * *", "* * * * *"} {
		b.Run(schedule, func(b *testing.B) {
			objs := make([]runtime.Object, 0, 5000)
			for i := range 5000 {
				objs = append(objs, cronJob("report-"+itoa(int64(i)), schedule, func(cj *batchv1.CronJob) { cj.UID = types.UID("uid-" + itoa(int64(i))) }))
			}
			o, _ := newTestOptions(at(9, 0, 16), objs...)
			b.ResetTimer()
			for range b.N {
				report, err := o.lint(context.Background(), "", false)
				require.NoError(b, err)
				require.Equal(b, 5000, report.Checked)
			}
		})
	}
}

// TestRunOwnerReferenceAsKubectl: run says it builds the Job "as
// kubectl create job --from=cronjob/NAME does", and docs/plugin.md lists its
// permissions as get the CronJob, list Jobs, create a Job. kubectl's owner
// reference leaves blockOwnerDeletion unset on purpose ("it additionally
// mandates cronjobs/finalizer role and not backwards-compatible",
// k8s.io/kubectl pkg/cmd/create/create_job.go). With the
// OwnerReferencesPermissionEnforcement admission plugin, setting it needs
// update on cronjobs/finalizers: a user who may create Jobs would be refused
// ("cannot set blockOwnerDeletion if an ownerReference refers to a resource
// you can't set finalizers on"). e2e: TestRunWithTheDocumentedPermissions.
func TestRunOwnerReferenceAsKubectl(t *testing.T) {
	j := jobFromCronJob(cronJob("report", "30 2 * * *"))
	if len(j.OwnerReferences) != 1 {
		t.Fatalf("want one owner reference, got %v", j.OwnerReferences)
	}
	if ref := j.OwnerReferences[0]; ref.BlockOwnerDeletion != nil {
		t.Errorf("want blockOwnerDeletion unset, as kubectl create job --from sets it; got %v (needs update on cronjobs/finalizers under OwnerReferencesPermissionEnforcement)", *ref.BlockOwnerDeletion)
	}
}

// TestRunWarnsWhatTheNextScheduledTimeDoes: run "honours the concurrency
// policy" and works "with or without steadycron", and says on standard error
// what the CronJob's next scheduled time (named in its zone and UTC) does to
// the manual run. Without steadycron (no Lease, or one nobody holds), the
// stock kube-controller-manager does not count a manual Job as active (it
// records UnexpectedJob and never adds it to status.active): under Forbid the
// next time starts beside it, and under Replace too, rather than replacing
// it. steadycron adopts the manual Job into status.active: under Replace the
// next time deletes it, and under Forbid, with --force or without (no Job
// active), the next time is held while it runs. No warning under Allow, nor
// for the next times of a suspended CronJob under Forbid or Replace.
func TestRunWarnsWhatTheNextScheduledTimeDoes(t *testing.T) {
	now := at(10, 59, 16)
	stale := lease("steadycron-0", now.Add(-time.Minute))
	const next = "the CronJob's next scheduled time, 2027-03-16T11:00:00-04:00 (2027-03-16T15:00:00Z)"
	for _, tc := range []struct {
		name    string
		policy  batchv1.ConcurrencyPolicy
		lease   *coordinationv1.Lease
		force   bool
		suspend bool
		warn    []string
	}{
		{"Forbid, no Lease", batchv1.ForbidConcurrent, nil, false, false, []string{"Lease kube-system/steadycron is not found", "does not count Job report-x7k2p as active", next + " starts beside it"}},
		{"Forbid, Lease expired", batchv1.ForbidConcurrent, stale, false, false, []string{"no steadycron controller holds its Lease", "does not count Job report-x7k2p as active"}},
		{"Forbid, steadycron leads", batchv1.ForbidConcurrent, lease("steadycron-0", now), false, false, []string{"steadycron counts Job report-x7k2p as active: " + next + " does not start while it runs"}},
		{"Forbid --force, steadycron leads", batchv1.ForbidConcurrent, lease("steadycron-0", now), true, false, []string{"steadycron counts Job report-x7k2p as active: " + next + " does not start while it runs"}},
		{"Forbid --force, suspended", batchv1.ForbidConcurrent, lease("steadycron-0", now), true, true, []string{"is suspended"}},
		{"Forbid, no Lease, suspended", batchv1.ForbidConcurrent, nil, false, true, []string{"is suspended"}},
		{"Replace, no Lease", batchv1.ReplaceConcurrent, nil, false, false, []string{"Lease kube-system/steadycron is not found", "does not count Job report-x7k2p as active", next + " starts beside it, not in its place"}},
		{"Replace, steadycron leads", batchv1.ReplaceConcurrent, lease("steadycron-0", now), false, false, []string{"steadycron counts Job report-x7k2p as active: " + next + " deletes it if it still runs then"}},
		{"Replace, suspended", batchv1.ReplaceConcurrent, lease("steadycron-0", now), false, true, []string{"is suspended"}},
		{"Allow", batchv1.AllowConcurrent, nil, false, false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
				cj.Spec.ConcurrencyPolicy = tc.policy
				cj.Spec.Suspend = ptr.To(tc.suspend)
			})
			objs := []runtime.Object{cj}
			if tc.lease != nil {
				objs = append(objs, tc.lease)
			}
			o, out := newTestOptions(now, objs...)
			nameGenerated(o)
			args := []string{"run", "report"}
			if tc.force {
				args = append(args, "--force")
			}
			require.NoError(t, execute(t, o, args...))
			assert.Equal(t, "job.batch/report-x7k2p created\n", out.String())
			errOut := o.ErrOut.(*bytes.Buffer).String()
			if len(tc.warn) == 0 {
				assert.Empty(t, errOut)
			}
			for _, w := range tc.warn {
				assert.Contains(t, errOut, w)
			}
			assert.Equal(t, len(tc.warn) > 0, strings.Count(errOut, "Warning:") == 1, "one warning: %q", errOut)
		})
	}
	// steadycron without leader election (--leader-elect=false): no Lease,
	// but its Job of 10:00 has steadycron.io/expected-start; also when a
	// Job run from k9s since (no annotation of its own: no controller's
	// Job) is the latest. why's Controller note says the same.
	for name, k9s := range map[string]bool{"Forbid, no Lease, steadycron's Jobs": false, "Forbid --force, no Lease, steadycron's Jobs and a later k9s Job": true} {
		t.Run(name, func(t *testing.T) {
			cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) { cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent })
			objs := []runtime.Object{cj, job(cj, at(10, 0, 16), 10*time.Millisecond, time.Second, 5*time.Minute, false)}
			args := []string{"run", "report"}
			if k9s {
				byHand := k9sJob(cj, at(10, 30, 16))
				byHand.Status.Active = 1
				objs, args = append(objs, byHand), append(args, "--force")
			}
			o, _ := newTestOptions(now, objs...)
			nameGenerated(o)
			require.NoError(t, execute(t, o, args...))
			errOut := o.ErrOut.(*bytes.Buffer).String()
			assert.Contains(t, errOut, "steadycron counts Job report-x7k2p as active: "+next+" does not start while it runs")
			assert.NotContains(t, errOut, "not found")
			got := whyJSON(t, now, "report", "", objs...)
			assert.Contains(t, got.Controller.Note, "without leader election")
		})
	}
	// No Lease; steadycron's Job of 09:00, then a Job of 10:00 from a
	// kube-controller-manager before 1.28 (no scheduled timestamp, the name
	// of its time): the latest scheduled Job is the stock controller's, read
	// by its name against the schedule, not one made by hand.
	t.Run("Forbid, no Lease, a pre-1.28 controller's Job after steadycron's", func(t *testing.T) {
		cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) { cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent })
		objs := []runtime.Object{cj, job(cj, at(9, 0, 16), 10*time.Millisecond, time.Second, 5*time.Minute, false), preAnnotationJob(cj, at(10, 0, 16), 5*time.Minute)}
		o, _ := newTestOptions(now, objs...)
		nameGenerated(o)
		require.NoError(t, execute(t, o, "run", "report"))
		errOut := o.ErrOut.(*bytes.Buffer).String()
		assert.Contains(t, errOut, "Lease kube-system/steadycron is not found")
		assert.Contains(t, errOut, next+" starts beside it")
	})
	// "*/30 * * * *": the 10:00 Job still runs at 10:59, so Forbid holds
	// 10:30, the time the manual run is in the way of first (it would start
	// when the 10:00 Job ends), not 11:00; under the stock controller it
	// starts beside the manual run then.
	for name, held := range map[string]struct {
		lease *coordinationv1.Lease
		warn  string
	}{
		"Forbid --force, steadycron leads, a time held": {lease("steadycron-0", now), "steadycron counts Job report-x7k2p as active: the CronJob's scheduled time, 2027-03-16T10:30:00-04:00 (2027-03-16T14:30:00Z), which Forbid holds until the Jobs in status.active end, does not start while it runs"},
		"Forbid --force, no Lease, a time held":         {nil, "the CronJob's scheduled time, 2027-03-16T10:30:00-04:00 (2027-03-16T14:30:00Z), which Forbid holds until the Jobs in status.active end, starts beside it"},
	} {
		t.Run(name, func(t *testing.T) {
			cj := cronJob("report", "*/30 * * * *", func(cj *batchv1.CronJob) {
				cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
				cj.Spec.StartingDeadlineSeconds = nil
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(10, 0, 16)))
			})
			blocker := job(cj, at(10, 0, 16), 0, time.Second, 0, false)
			if held.lease == nil {
				blocker = stockJob(cj, at(10, 0, 16), 0)
			}
			cj.Status.Active = []corev1.ObjectReference{{Kind: "Job", Name: blocker.Name, Namespace: ns, UID: blocker.UID}}
			objs := []runtime.Object{cj, blocker}
			if held.lease != nil {
				objs = append(objs, held.lease)
			}
			o, _ := newTestOptions(now, objs...)
			nameGenerated(o)
			require.NoError(t, execute(t, o, "run", "report", "--force"))
			assert.Contains(t, o.ErrOut.(*bytes.Buffer).String(), held.warn)
		})
	}
	// A CronJob in UTC: its next time is named once.
	t.Run("Replace, steadycron leads, in UTC", func(t *testing.T) {
		cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
			cj.Spec.ConcurrencyPolicy = batchv1.ReplaceConcurrent
			cj.Spec.TimeZone = ptr.To("UTC")
		})
		o, _ := newTestOptions(now, cj, lease("steadycron-0", now))
		nameGenerated(o)
		require.NoError(t, execute(t, o, "run", "report"))
		assert.Contains(t, o.ErrOut.(*bytes.Buffer).String(), "the CronJob's next scheduled time, 2027-03-16T15:00:00Z deletes it if it still runs then")
	})
}

// TestRunWaitJobGoneBeforeTheWatch: run --wait follows the Job with a list
// and watch of its name. A Job that is gone by the time the list is made
// (ttlSecondsAfterFinished: 0 on a Job that ends at once, a user's kubectl
// delete, a Replace of the CronJob's next time) sends no event: the wait
// ends at once with an error that the Job is gone, not at --timeout (and
// never without it).
func TestRunWaitJobGoneBeforeTheWatch(t *testing.T) {
	cj := cronJob("report", "30 2 * * *")
	o, _ := newTestOptions(at(9, 0, 16), cj)
	nameGenerated(o)
	// The Job is deleted right after it is created, before the wait lists it.
	o.Client.(*fake.Clientset).PrependReactor("create", "jobs", func(action clienttesting.Action) (bool, runtime.Object, error) {
		j := action.(clienttesting.CreateAction).GetObject().(*batchv1.Job)
		if len(action.(clienttesting.CreateActionImpl).CreateOptions.DryRun) > 0 {
			return false, nil, nil
		}
		j.Name = j.GenerateName + "x7k2p"
		return true, j, nil // created, and gone: the tracker never stores it
	})
	err := execute(t, o, "run", "report", "--wait", "--timeout", "1s")
	if err == nil || !strings.Contains(err.Error(), "report-x7k2p") || strings.Contains(err.Error(), "timed out") {
		t.Errorf("want an error at once that Job report-x7k2p is gone, not the timeout; got %v", err)
	}
}

// TestNextHeldByForbid: a Forbid CronJob ("0 * * * *") whose 11:00 the
// controller holds: status.lastScheduleTime is 10:00 and 10:00's Job is still
// in status.active at 11:20. The controller runs 11:00 as soon as that Job
// ends, if before 12:00: status and next list 11:00 first, held, before
// 12:00. Nothing is held once the controller started 11:00, past the
// deadline, or while the CronJob is suspended.
func TestNextHeldByForbid(t *testing.T) {
	now := at(11, 20, 16)
	jobName := func(s time.Time) string { return "report-" + itoa(s.Unix()/60) }
	held := func(mutate ...func(*batchv1.CronJob)) *batchv1.CronJob {
		return cronJob("report", "0 * * * *", append([]func(*batchv1.CronJob){func(cj *batchv1.CronJob) {
			cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
			cj.Spec.StartingDeadlineSeconds = nil
			cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(10, 0, 16)))
			cj.Status.Active = []corev1.ObjectReference{{Kind: "Job", Name: jobName(at(10, 0, 16)), Namespace: cj.Namespace, UID: "job-uid"}}
		}}, mutate...)...)
	}
	for name, tc := range map[string]struct {
		cj   *batchv1.CronJob
		held string // the held time's note, or "" when none
	}{
		"held": {held(), "held: concurrencyPolicy is Forbid and Job " + jobName(at(10, 0, 16)) + " is active; the controller runs this time as soon as it ends, if before the next scheduled time"},
		// A Job of `kubectl cronjob run --force`, which steadycron adopts:
		// the time waits for both.
		"held by two Jobs": {held(func(cj *batchv1.CronJob) {
			cj.Status.Active = append(cj.Status.Active, corev1.ObjectReference{Kind: "Job", Name: "report-x7k2p", Namespace: cj.Namespace, UID: "manual-uid"})
		}), "held: concurrencyPolicy is Forbid and Jobs " + jobName(at(10, 0, 16)) + " and report-x7k2p are active; the controller runs this time as soon as they have all ended, if before the next scheduled time"},
		// The schedule was "30 * * * *" until 11:10 (its last run, 10:30, is
		// not a time of "0 * * * *"): 11:00 came before the change, and the
		// controller never runs it.
		"a time of a new schedule before its edit": {held(func(cj *batchv1.CronJob) {
			cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(10, 30, 16)))
			cj.ManagedFields = managedSchedule(at(11, 10, 16))
		}), ""},
		// The last run is a time of the current schedule: the write does
		// not show a change, and the note says what one would mean.
		"held, the schedule written after the time": {held(func(cj *batchv1.CronJob) { cj.ManagedFields = managedSchedule(at(11, 10, 16)) }),
			"if before the next scheduled time; but spec.schedule or spec.timeZone was last written by kubectl-edit at 2027-03-16T11:10:00-04:00, after this time: if that write changed the schedule, the controller never runs it"},
		"held, with a deadline": {held(func(cj *batchv1.CronJob) { cj.Spec.StartingDeadlineSeconds = ptr.To[int64](1800) }), "if before 2027-03-16T11:30:00-04:00 (startingDeadlineSeconds 1800s)"},
		"past the deadline":     {held(func(cj *batchv1.CronJob) { cj.Spec.StartingDeadlineSeconds = ptr.To[int64](600) }), ""},
		"started":               {held(func(cj *batchv1.CronJob) { cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(11, 0, 16))) }), ""},
		"suspended":             {held(func(cj *batchv1.CronJob) { cj.Spec.Suspend = ptr.To(true) }), ""},
		"Allow":                 {held(func(cj *batchv1.CronJob) { cj.Spec.ConcurrencyPolicy = batchv1.AllowConcurrent }), ""},
	} {
		t.Run(name, func(t *testing.T) {
			o, out := newTestOptions(now, tc.cj)
			require.NoError(t, execute(t, o, "next", "report", "--count", "2", "-o", "json"))
			var next NextTimes
			require.NoError(t, json.Unmarshal(out.Bytes(), &next))
			assert.Len(t, next.Times, 2, "--count 2: a held time is one of them")
			o, out = newTestOptions(now, tc.cj)
			require.NoError(t, execute(t, o, "status", "report", "-o", "json"))
			var status StatusReport
			require.NoError(t, json.Unmarshal(out.Bytes(), &status))
			for what, times := range map[string][]ScheduledTime{"next": next.Times, "status": status.Next} {
				first := times[0]
				if tc.held == "" {
					assert.Equal(t, "2027-03-16T12:00:00-04:00", first.Time, what)
					assert.NotContains(t, first.Note, "held", what)
					continue
				}
				assert.Equal(t, "2027-03-16T11:00:00-04:00", first.Time, what)
				assert.Contains(t, first.Note, tc.held, what)
				assert.Equal(t, "2027-03-16T12:00:00-04:00", times[1].Time, what)
			}
			assert.Len(t, status.Next, statusNext, "status: a held time is one of its %d", statusNext)
		})
	}
}

// TestNextAndStatusListTheTimeWhyCallsNotDueYet: less than 5 s after a
// scheduled time that the controller has not started, why says NotDueYet (it
// is about to create the time's Job), and next NAME and status list that time
// first, as due; once it is started, is older, past its deadline, or the
// CronJob is suspended, why says something else and the first time listed is
// the next one. A SCHEDULE has no due time: no controller runs it.
func TestNextAndStatusListTheTimeWhyCallsNotDueYet(t *testing.T) {
	due := at(10, 20, 16)
	cj := func(mutate ...func(*batchv1.CronJob)) *batchv1.CronJob {
		return cronJob("report", "*/10 * * * *", append([]func(*batchv1.CronJob){func(cj *batchv1.CronJob) {
			cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(10, 10, 16)))
		}}, mutate...)...)
	}
	for name, tc := range map[string]struct {
		cj      *batchv1.CronJob
		after   time.Duration // now, after the time due
		verdict string        // why's
		listed  bool          // whether next and status list the time first
	}{
		"2 s after the time": {cj: cj(), after: 2 * time.Second, verdict: VerdictNotDue, listed: true},
		"at the time":        {cj: cj(), after: 0, verdict: VerdictNotDue, listed: true},
		"5 s after the time": {cj: cj(), after: 5 * time.Second, verdict: VerdictNoDecision},
		"started": {cj: cj(func(cj *batchv1.CronJob) { cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(due)) }),
			after: 2 * time.Second, verdict: VerdictRunning},
		"past a deadline of 1 s": {cj: cj(func(cj *batchv1.CronJob) { cj.Spec.StartingDeadlineSeconds = ptr.To[int64](1) }),
			after: 2 * time.Second, verdict: VerdictSkipped},
		"suspended": {cj: cj(func(cj *batchv1.CronJob) { cj.Spec.Suspend = ptr.To(true) }), after: 2 * time.Second, verdict: VerdictSkipped},
	} {
		t.Run(name, func(t *testing.T) {
			now := due.Add(tc.after)
			objs := []runtime.Object{tc.cj, job(tc.cj, at(10, 10, 16), 0, time.Second, time.Minute, false), lease("steadycron-0", now)}
			if tc.cj.Status.LastScheduleTime.Equal(&metav1.Time{Time: due}) {
				objs = append(objs, job(tc.cj, due, 0, time.Second, 0, false))
			}
			w := whyJSON(t, now, "report", "", objs...)
			assert.Equal(t, tc.verdict, w.Verdict, "why: %s: %s", w.Reason, w.Explanation)
			require.NotNil(t, w.Scheduled, w.Explanation)
			assert.Equal(t, due.UTC().Format(time.RFC3339), w.Scheduled.UTC, "why")

			o, out := newTestOptions(now, objs...)
			require.NoError(t, execute(t, o, "next", "report", "--count", "2", "-o", "json"))
			var next NextTimes
			require.NoError(t, json.Unmarshal(out.Bytes(), &next))
			assert.Len(t, next.Times, 2, "--count 2: a due time is one of them")
			o, out = newTestOptions(now, objs...)
			require.NoError(t, execute(t, o, "status", "report", "-o", "json"))
			var status StatusReport
			require.NoError(t, json.Unmarshal(out.Bytes(), &status))
			assert.Len(t, status.Next, statusNext, "status: a due time is one of its %d", statusNext)
			for what, times := range map[string][]ScheduledTime{"next": next.Times, "status": status.Next} {
				if !tc.listed {
					assert.Equal(t, "2027-03-16T10:30:00-04:00", times[0].Time, what)
					assert.NotContains(t, times[0].Note, "due", what)
					continue
				}
				assert.Equal(t, w.Scheduled.UTC, times[0].UTC, "%s: why calls %s NotDueYet", what, w.Scheduled.UTC)
				assert.Contains(t, times[0].Note, "due: the controller is about to create its Job", what)
				assert.Equal(t, "2027-03-16T10:30:00-04:00", times[1].Time, what)
			}
		})
	}
	// The same schedule given as a SCHEDULE, 2 s after 10:20.
	o, out := newTestOptions(due.Add(2 * time.Second))
	require.NoError(t, execute(t, o, "next", "*/10 * * * *", "--time-zone", "America/New_York", "-o", "json"))
	var next NextTimes
	require.NoError(t, json.Unmarshal(out.Bytes(), &next))
	require.NotEmpty(t, next.Times)
	assert.Equal(t, "2027-03-16T10:30:00-04:00", next.Times[0].Time, "next SCHEDULE")
}

// TestRunNeedsNoMoreThanKubectlCreateJobUnderAllow: under Allow, run reads no
// Jobs, so it works with the permissions kubectl create job --from needs (get
// on the CronJob, create on Jobs); Forbid and Replace read the active Jobs
// and say so when they may not. A suspended CronJob's run gets a warning
// that its scheduled times stay suspended.
func TestRunNeedsNoMoreThanKubectlCreateJobUnderAllow(t *testing.T) {
	for name, tc := range map[string]struct {
		policy      batchv1.ConcurrencyPolicy
		suspend     bool
		wantErr     string
		wantWarning string
	}{
		"Allow":           {policy: batchv1.AllowConcurrent},
		"Allow suspended": {policy: batchv1.AllowConcurrent, suspend: true, wantWarning: "is suspended: Job "},
		"Forbid":          {policy: batchv1.ForbidConcurrent, wantErr: "listing the Jobs of cronjob team-a/report"},
		"Replace":         {policy: batchv1.ReplaceConcurrent, wantErr: "listing the Jobs of cronjob team-a/report"},
	} {
		t.Run(name, func(t *testing.T) {
			cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
				cj.Spec.ConcurrencyPolicy = tc.policy
				cj.Spec.Suspend = ptr.To(tc.suspend)
			})
			o, out := newTestOptions(at(9, 0, 16), cj)
			o.Client.(*fake.Clientset).PrependReactor("list", "jobs", func(clienttesting.Action) (bool, runtime.Object, error) {
				return true, nil, apierrors.NewForbidden(batchv1.Resource("jobs"), "", errors.New("RBAC: list not allowed"))
			})
			err := execute(t, o, "run", "report")
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Contains(t, out.String(), "created")
			warnings := o.ErrOut.(*bytes.Buffer).String()
			if tc.wantWarning == "" {
				assert.Empty(t, warnings)
			} else {
				assert.Contains(t, warnings, tc.wantWarning)
			}
		})
	}
}

// TestRunWaitRefusedByRBAC: under Allow, run needs only what kubectl create
// job --from needs; a user who adds --wait without list or watch on Jobs
// gets the API server's Forbidden error at once, not a wait that the
// informer's retries of the refused request stretch to --timeout (or
// forever without one).
func TestRunWaitRefusedByRBAC(t *testing.T) {
	for name, refuse := range map[string]func(*fake.Clientset){
		"list": forbid("list", "jobs"),
		"watch": func(c *fake.Clientset) {
			c.PrependWatchReactor("jobs", func(clienttesting.Action) (bool, watch.Interface, error) {
				return true, nil, apierrors.NewForbidden(schema.GroupResource{Group: "batch", Resource: "jobs"}, "", errors.New("RBAC: access denied"))
			})
		},
	} {
		t.Run(name, func(t *testing.T) {
			o, _ := newTestOptions(at(9, 0, 16), cronJob("report", "30 2 * * *"))
			nameGenerated(o)
			refuse(o.Client.(*fake.Clientset))
			done := make(chan error, 1)
			go func() { done <- execute(t, o, "run", "report", "--wait", "--timeout", "8s") }()
			start := time.Now()
			select {
			case err := <-done:
				require.Error(t, err)
				assert.Less(t, time.Since(start), 5*time.Second, "the wait ran to --timeout: %v", err)
				assert.True(t, apierrors.IsForbidden(err), "the error should be the API server's Forbidden: %v", err)
				assert.Contains(t, err.Error(), "--wait needs list and watch on jobs in "+ns)
			case <-time.After(20 * time.Second):
				t.Fatal("run --wait did not return")
			}
		})
	}
}

// TestRunListsJobsAPageAtATime: run under Forbid and Replace lists the
// namespace's Jobs a page at a time, as every list of the plugin.
func TestRunListsJobsAPageAtATime(t *testing.T) {
	for _, policy := range []batchv1.ConcurrencyPolicy{batchv1.ForbidConcurrent, batchv1.ReplaceConcurrent} {
		t.Run(string(policy), func(t *testing.T) {
			cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) { cj.Spec.ConcurrencyPolicy = policy })
			other := job(cronJob("other", "0 3 * * *", func(cj *batchv1.CronJob) { cj.UID = "other-uid" }), at(3, 0, 16), 0, 0, 0, false)
			o, _ := newTestOptions(at(9, 0, 16), cj, other, lease("steadycron-0", at(9, 0, 16)))
			nameGenerated(o)
			pages := pageByOne(t, o.Client.(*fake.Clientset), map[string]string{"jobs": "Job"})
			require.NoError(t, execute(t, o, "run", "report"))
			assert.NotEmpty(t, pages["jobs"])
		})
	}
}

// TestTypeSlashNameArguments: every command that takes a NAME takes
// kubectl's TYPE/NAME too (kubectl create job --from=cronjob/NAME; kubectl
// get cronjobs -o name prints cronjob.batch/NAME), and refuses another TYPE.
func TestTypeSlashNameArguments(t *testing.T) {
	for _, tc := range []struct {
		arg, wantErr string
	}{
		{arg: "report"},
		{arg: "cronjob/report"},
		{arg: "cronjobs/report"},
		{arg: "cj/report"},
		{arg: "CronJob/report"},
		{arg: "cronjob.batch/report"},
		{arg: "cronjobs.batch/report"},
		{arg: "job/report", wantErr: `"job/report" is not a CronJob: kubectl cronjob takes NAME or cronjob/NAME`},
		{arg: "deployment.apps/report", wantErr: `"deployment.apps/report" is not a CronJob`},
	} {
		for _, cmd := range []string{"status", "why", "next", "lint", "run"} {
			t.Run(cmd+" "+tc.arg, func(t *testing.T) {
				o, out := newTestOptions(at(9, 0, 16), cronJob("report", "30 2 * * *"), lease("steadycron-0", at(9, 0, 16)))
				nameGenerated(o)
				err := execute(t, o, cmd, tc.arg, "-o", "json")
				if tc.wantErr != "" {
					require.Error(t, err)
					assert.Contains(t, err.Error(), tc.wantErr)
					return
				}
				require.NoError(t, err)
				assert.Contains(t, out.String(), "report")
			})
		}
	}
	// A schedule with a slash is still a schedule.
	o, _ := newTestOptions(at(9, 0, 16))
	require.NoError(t, execute(t, o, "next", "*/5 * * * *"))
}

// TestStatusZoneOfAScheduleItCannotEvaluate: status names the zone of a
// schedule the controller cannot evaluate (an unknown CRON_TZ=, an invalid
// schedule without spec.timeZone), never "()".
func TestStatusZoneOfAScheduleItCannotEvaluate(t *testing.T) {
	for schedule, zone := range map[string]string{
		"CRON_TZ=Mars/Olympus 0 9 * * *": "Mars/Olympus",
		"0 25 * * *":                     "UTC",
	} {
		t.Run(schedule, func(t *testing.T) {
			o, out := newTestOptions(at(9, 0, 16), cronJob("report", schedule, func(cj *batchv1.CronJob) { cj.Spec.TimeZone = nil }))
			require.NoError(t, execute(t, o, "status", "report"))
			assert.Contains(t, out.String(), schedule+" ("+zone+")")
			assert.NotContains(t, out.String(), "()")
		})
	}
}

// TestStatusRunsOfAScheduleItCannotEvaluate: a CronJob whose schedule or
// time zone the controller cannot evaluate (spec.timeZone edited to a typo,
// a schedule edited to an invalid one) still has the Jobs of its earlier
// runs: status lists them, their scheduled times from the Jobs' annotations,
// in the zone when it loads and in UTC when it does not; never "none".
func TestStatusRunsOfAScheduleItCannotEvaluate(t *testing.T) {
	s := at(2, 30, 15)
	tests := map[string]struct {
		zone, schedule string
		scheduled      string // the run's SCHEDULED
		missing        string
	}{
		"a time zone that does not load": {zone: "America/New_Yrok", schedule: "30 2 * * *", scheduled: "2027-03-15T06:30:00Z", missing: "shown in UTC"},
		"a schedule that does not parse": {zone: "America/New_York", schedule: "30 25 * * *", scheduled: "2027-03-15T02:30:00-04:00", missing: "scheduled times:"},
	}
	for desc, tc := range tests {
		t.Run(desc, func(t *testing.T) {
			valid := cronJob("report", "30 2 * * *")
			ran := job(valid, s, 0, time.Second, time.Minute, false)
			cj := cronJob("report", tc.schedule, func(cj *batchv1.CronJob) {
				cj.Spec.TimeZone = ptr.To(tc.zone)
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(s))
			})
			now := at(9, 0, 16)
			o, out := newTestOptions(now, cj, ran, lease("steadycron-0", now))
			require.NoError(t, execute(t, o, "status", "report", "-o", "json"))
			var got StatusReport
			require.NoError(t, json.Unmarshal(out.Bytes(), &got))
			require.Len(t, got.Runs, 1, "status lists no run though Job %s of the CronJob exists", ran.Name)
			assert.Equal(t, ran.Name, got.Runs[0].Job)
			require.NotNil(t, got.Runs[0].Scheduled)
			assert.Equal(t, tc.scheduled, got.Runs[0].Scheduled.Time)
			require.NotNil(t, got.LastScheduleTime)
			assert.Equal(t, tc.scheduled, got.LastScheduleTime.Time)
			assert.Contains(t, strings.Join(got.Missing, "\n"), tc.missing)

			o, out = newTestOptions(now, cj, ran, lease("steadycron-0", now))
			require.NoError(t, execute(t, o, "status", "report"))
			assert.NotContains(t, out.String(), "Last runs:\n  none")
			assert.Contains(t, out.String(), ran.Name)
		})
	}
}

// TestControllerTimeZoneTheJobsShow: a CronJob without spec.timeZone is
// evaluated in the controller's local zone. Where that is not UTC (k3s and
// RKE2 run kube-controller-manager in the server process, in the host's
// zone), the Jobs' scheduled times are not times of the schedule in the
// zone assumed (0 9 * * * ran at 08:00Z in Europe/Berlin's winter); their
// cronjob-scheduled-timestamp annotations do not show it, both controllers
// write them in UTC without spec.timeZone. why answers Unknown (reason
// controllerTimeZone) for a time without a Job; status (a missing fact beside its next times), next
// NAME (a warning) and lint (a controller-time-zone finding) say so too, by
// the same detection, and point to --controller-time-zone. With the
// controller's zone given, or a CronJob with a zone of its own, none does,
// and why answers a time without a Job by its evidence (review 18g).
func TestControllerTimeZoneTheJobsShow(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	now := time.Date(2027, 3, 16, 12, 0, 0, 0, time.UTC)
	objs := func(zone *string) []runtime.Object {
		cj := cronJob("report", "0 9 * * *", func(cj *batchv1.CronJob) { cj.Spec.TimeZone = zone })
		out := []runtime.Object{cj, lease("steadycron-0", now)}
		for d := 14; d <= 16; d++ {
			// The controller ran 09:00 Berlin, 08:00Z.
			out = append(out, job(cj, time.Date(2027, 3, d, 9, 0, 0, 0, berlin), 10*time.Millisecond, time.Second, time.Minute, false))
		}
		return out
	}
	const said = "but the latest scheduled Job, report-30086400, is for 2027-03-16T08:00:00Z, which is not a time of \"0 9 * * *\" in UTC: the controller's zone is another"
	for _, tc := range []struct {
		name string
		zone *string
		flag []string
		say  bool
	}{
		{name: "no spec.timeZone", say: true},
		{name: "--controller-time-zone Europe/Berlin", flag: []string{"--controller-time-zone", "Europe/Berlin"}},
		{name: "spec.timeZone Europe/Berlin", zone: ptr.To("Europe/Berlin")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, args := range [][]string{{"why"}, {"status"}, {"next"}, {"lint"}} {
				o, out := newTestOptions(now, objs(tc.zone)...)
				require.NoError(t, execute(t, o, append(append(args, "report", "-o", "json"), tc.flag...)...))
				if args[0] == "why" && !tc.say {
					// A time without a Job (expired), in the controller's zone.
					o, out := newTestOptions(now, objs(tc.zone)...)
					require.NoError(t, execute(t, o, append([]string{"why", "report", "-o", "json", "--at", "2027-03-13T09:00:00+01:00"}, tc.flag...)...))
					assert.NotContains(t, out.String(), "controllerTimeZone", "why --at")
				}
				var got struct {
					Reason      string    `json:"reason"`
					Explanation string    `json:"explanation"`
					Missing     []string  `json:"missing"`
					Warnings    []string  `json:"warnings"`
					Findings    []Finding `json:"findings"`
				}
				require.NoError(t, json.Unmarshal(out.Bytes(), &got))
				text := got.Reason + " " + got.Explanation + strings.Join(got.Missing, " ") + strings.Join(got.Warnings, " ")
				for _, f := range got.Findings {
					text += " " + f.Check + ": " + f.What + " " + f.Fix
				}
				if !tc.say {
					assert.NotContains(t, text, "controller's zone is another", args[0])
					assert.NotContains(t, text, "controllerTimeZone", args[0])
					continue
				}
				switch args[0] {
				case "why":
					assert.Equal(t, "controllerTimeZone", got.Reason)
				case "lint":
					assert.Contains(t, text, "controller-time-zone: the CronJob has no spec.timeZone")
				}
				assert.Contains(t, text, said, args[0])
				assert.Contains(t, text, "--controller-time-zone", args[0])
			}
			// A table prints next's warning on standard error.
			o, _ := newTestOptions(now, objs(tc.zone)...)
			require.NoError(t, execute(t, o, append([]string{"next", "report"}, tc.flag...)...))
			assert.Equal(t, tc.say, strings.Contains(o.ErrOut.(*bytes.Buffer).String(), "Warning: "+"the CronJob has no spec.timeZone"))
		})
	}
}

// apiServerAt serves objs (by URL path) as an API server whose clock reads
// server, in its Date header.
func apiServerAt(t *testing.T, server time.Time, objs map[string]runtime.Object) *httptest.Server {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", server.Format(http.TimeFormat))
		obj, ok := objs[r.URL.Path]
		if !ok {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}`))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		require.NoError(t, json.NewEncoder(w).Encode(obj))
	}))
	t.Cleanup(api.Close)
	return api
}

// TestNextNameUsesTheServersClock: `next NAME` talks to the API
// server (it gets the CronJob), so "now" is the server's time, as for why
// and status (docs/plugin.md, "This machine's clock"). With the laptop's
// clock 10 minutes behind the cluster's, the first "next" time must not be
// one that already came in the cluster.
func TestNextNameUsesTheServersClock(t *testing.T) {
	server := time.Date(2027, 3, 16, 12, 7, 0, 0, time.UTC)
	cj := cronJob("report", "*/5 * * * *", func(cj *batchv1.CronJob) { cj.Spec.TimeZone = ptr.To("UTC") })
	cj.APIVersion, cj.Kind = "batch/v1", "CronJob"
	api := apiServerAt(t, server, map[string]runtime.Object{"/apis/batch/v1/namespaces/" + ns + "/cronjobs/report": cj})
	o, out := newTestOptions(server.Add(-10 * time.Minute)) // the laptop is 10 minutes behind
	o.Client = nil
	o.ConfigFlags.APIServer = ptr.To(api.URL)
	require.NoError(t, execute(t, o, "next", "report", "--count", "1", "-o", "json"))
	var got NextTimes
	require.NoError(t, json.Unmarshal(out.Bytes(), &got))
	require.Len(t, got.Times, 1)
	assert.Equal(t, "2027-03-16T12:10:00Z", got.Times[0].UTC, "the next time after the cluster's 12:07, not after the laptop's 11:57")
}

// TestSteadycronWithoutLeaderElectionAfterAnOldLease: steadycron was
// switched to --leader-elect=false (one replica): its old Lease stays in
// kube-system, expired, and the Jobs it creates since carry
// steadycron.io/expected-start. A Job created after the Lease expired is
// taken for "another CronJob controller (kube-controller-manager's?)", and
// the stock controller's times are used: the change's Job that steadycron
// made for the skipped 02:30 is called a time the controller never runs.
func TestSteadycronWithoutLeaderElectionAfterAnOldLease(t *testing.T) {
	d := func(day, h, m int) time.Time { return time.Date(2027, 3, day, h, m, 0, 0, nyc) }
	cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(d(15, 2, 30)))
	})
	objs := []runtime.Object{cj, lease("steadycron-0", d(2, 0, 0)),
		job(cj, d(13, 2, 30), 10*time.Millisecond, time.Second, time.Minute, false),
		job(cj, d(14, 3, 0), 10*time.Millisecond, time.Second, time.Minute, false),
		job(cj, d(15, 2, 30), 10*time.Millisecond, time.Second, time.Minute, false)}
	t.Run("why --at the skipped time", whyCase{now: d(15, 10, 0), at: "2027-03-14T02:30:00-05:00", objs: objs, verdict: VerdictRan,
		notContains: []string{"stock CronJob controller"}, noteNotContains: "kube-controller-manager's?"}.check)
	// next, the day before the change: steadycron runs 02:30 at 03:00 EDT.
	t.Run("next", func(t *testing.T) {
		before := cj.DeepCopy()
		before.Status.LastScheduleTime = ptr.To(metav1.NewTime(d(13, 2, 30)))
		o, out := newTestOptions(d(13, 12, 0), before, lease("steadycron-0", d(2, 0, 0)), objs[2])
		require.NoError(t, execute(t, o, "next", "report"))
		assert.Contains(t, out.String(), "2027-03-14T03:00:00-04:00")
	})
	// run under Forbid: steadycron adopts the manual Job; the warning says
	// the stock controller does not count it.
	t.Run("run, Forbid", func(t *testing.T) {
		forbid := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) { cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent })
		o, _ := newTestOptions(d(15, 10, 0), forbid, lease("steadycron-0", d(2, 0, 0)),
			job(forbid, d(15, 2, 30), 10*time.Millisecond, time.Second, time.Minute, false))
		nameGenerated(o)
		require.NoError(t, execute(t, o, "run", "report"))
		errOut := o.ErrOut.(*bytes.Buffer).String()
		assert.NotContains(t, errOut, "the stock CronJob controller does not count")
		assert.Contains(t, errOut, "steadycron counts Job")
	})
	// Forbid: steadycron counts a Job made by hand (kubectl cronjob run) as
	// active; 02:30 was skipped for it, not "most likely past its starting
	// deadline" (the answer without the stale Lease).
	t.Run("why, Forbid held by a manual Job", func(t *testing.T) {
		forbid := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
			cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
			cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 15)))
		})
		m := manualJob(forbid, at(2, 0, 16))
		m.Status.Active = 1
		whyCase{now: at(9, 0, 16), verdict: VerdictSkipped, reason: "concurrencyPolicy",
			objs: []runtime.Object{forbid, lease("steadycron-0", at(0, 0, 2)),
				job(forbid, at(2, 30, 14), 10*time.Millisecond, time.Second, time.Minute, false),
				job(forbid, at(2, 30, 15), 10*time.Millisecond, time.Second, time.Minute, false), m}}.check(t)
	})
}

// TestStockControllerWhenTheLeaseIsRefused: the Lease may not be read (RBAC), and
// the Jobs, which may, show the stock controller: none carries
// steadycron.io/expected-start, which steadycron writes on every Job it
// creates, leader or not (the answer's own missing facts say "Jobs made by a
// controller without steadycron's patches"). 2027-03-14's 02:30, which the
// clocks skipped, got no Job because the stock controller never runs it; not
// "most likely past its starting deadline".
func TestStockControllerWhenTheLeaseIsRefused(t *testing.T) {
	d := func(day, h, m int) time.Time { return time.Date(2027, 3, day, h, m, 0, 0, nyc) }
	cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(d(13, 2, 30)))
	})
	objs := []runtime.Object{cj, stockJob(cj, d(12, 2, 30), time.Minute), stockJob(cj, d(13, 2, 30), time.Minute)}
	for name, at := range map[string]string{"--at the skipped time": "2027-03-14T02:30:00-05:00", "the latest time": ""} {
		t.Run("why "+name, func(t *testing.T) {
			args := []string{"why", "report", "-o", "json"}
			if at != "" {
				args = append(args, "--at", at)
			}
			got := whyJSONRefused(t, d(14, 10, 0), args, objs...)
			assert.NotEqual(t, "missedDeadline", got.Reason, "%s: %s", got.Verdict, got.Explanation)
			assert.NotContains(t, got.Explanation, "most likely past its starting deadline")
		})
	}
	// next, the day before, lists 03:00 EDT as the time's run ("it runs at
	// 03:00 instead"): the stock controller runs nothing that day.
	t.Run("next", func(t *testing.T) {
		o, out := newTestOptions(d(13, 12, 0), objs...)
		forbid("get", "leases")(o.Client.(*fake.Clientset))
		require.NoError(t, execute(t, o, "next", "report"))
		assert.NotContains(t, out.String(), "2027-03-14T03:00:00-04:00")
	})
}

func whyJSONRefused(t *testing.T, now time.Time, args []string, objs ...runtime.Object) Why {
	t.Helper()
	o, out := newTestOptions(now, objs...)
	forbid("get", "leases")(o.Client.(*fake.Clientset))
	require.NoError(t, execute(t, o, args...))
	var got Why
	require.NoError(t, json.Unmarshal(out.Bytes(), &got))
	return got
}

// TestRunNamesTheStockControllersNextTime: run's Forbid warning
// under the stock controller (no Lease, Jobs without
// steadycron.io/expected-start) names the CronJob's next scheduled time as
// steadycron computes it: on the day before the spring change, 03:00 EDT,
// which the stock controller never runs; its next run is 02:30 the day after.
func TestRunNamesTheStockControllersNextTime(t *testing.T) {
	d := func(day, h, m int) time.Time { return time.Date(2027, 3, day, h, m, 0, 0, nyc) }
	cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
		cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(d(13, 2, 30)))
	})
	o, _ := newTestOptions(d(13, 12, 0), cj, stockJob(cj, d(12, 2, 30), time.Minute), stockJob(cj, d(13, 2, 30), time.Minute))
	nameGenerated(o)
	require.NoError(t, execute(t, o, "run", "report"))
	errOut := o.ErrOut.(*bytes.Buffer).String()
	assert.Contains(t, errOut, "the stock CronJob controller does not count")
	assert.NotContains(t, errOut, "2027-03-14T03:00:00-04:00")
	assert.Contains(t, errOut, "2027-03-15T02:30:00-04:00")
}

// TestControllerTimeZoneNotClaimedForAJobMadeInSpecTimeZone: spec.timeZone Asia/Tokyo was
// removed (kubectl patch, a JSON patch "remove": the patch's manager owns no
// field and leaves no managedFields entry; the creator's entry keeps its
// time). The latest Job was made in Asia/Tokyo, and its
// batch.kubernetes.io/cronjob-scheduled-timestamp says so: +09:00, where both
// controllers write UTC for a CronJob without spec.timeZone (docs/plugin.md).
// It is no sign that the controller runs in another zone than UTC.
func TestControllerTimeZoneNotClaimedForAJobMadeInSpecTimeZone(t *testing.T) {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	require.NoError(t, err)
	now := time.Date(2027, 3, 16, 5, 0, 0, 0, time.UTC)
	inTokyo := cronJob("report", "0 9 * * *", func(cj *batchv1.CronJob) { cj.Spec.TimeZone = ptr.To("Asia/Tokyo") })
	cj := cronJob("report", "0 9 * * *", func(cj *batchv1.CronJob) {
		cj.Spec.TimeZone = nil
		cj.ManagedFields = []metav1.ManagedFieldsEntry{{
			Manager: "kubectl-client-side-apply", Operation: metav1.ManagedFieldsOperationUpdate, Time: ptr.To(cj.CreationTimestamp),
			FieldsType: "FieldsV1", FieldsV1: &metav1.FieldsV1{Raw: []byte(`{"f:spec":{"f:schedule":{},"f:concurrencyPolicy":{}}}`)},
		}}
	})
	objs := []runtime.Object{cj, lease("steadycron-0", now)}
	for d := 14; d <= 16; d++ {
		objs = append(objs, job(inTokyo, time.Date(2027, 3, d, 9, 0, 0, 0, tokyo), 10*time.Millisecond, time.Second, time.Minute, false))
	}
	for _, args := range [][]string{{"lint", "report"}, {"next", "report"}} {
		t.Run(args[0], func(t *testing.T) {
			o, out := newTestOptions(now, objs...)
			_ = execute(t, o, append(args, "-o", "json")...)
			assert.NotContains(t, out.String(), "the controller's zone is another")
		})
	}
}

// TestControllerNoteWhenTheJobsAreRefusedAndNoLease: the Jobs may not be listed (RBAC) and the
// Lease is not found: steadycron without leader election is not ruled out
// (its Jobs, which would show it, could not be read; next NAME says so by
// taking the controller as unknown), yet the Controller line says "steadycron
// is not running here".
func TestControllerNoteWhenTheJobsAreRefusedAndNoLease(t *testing.T) {
	cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 16)))
	})
	o, out := newTestOptions(at(9, 0, 16), cj, job(cj, at(2, 30, 16), 10*time.Millisecond, time.Second, time.Minute, false))
	forbid("list", "jobs")(o.Client.(*fake.Clientset))
	require.NoError(t, execute(t, o, "why", "report", "-o", "json"))
	var got Why
	require.NoError(t, json.Unmarshal(out.Bytes(), &got))
	assert.NotContains(t, got.Controller.Note, "steadycron is not running here")
}

// TestNextWithoutTheEvents: steadycron's Lease expired on
// 2027-03-01 (steadycron removed); the stock controller runs the CronJob: its
// SuccessfulCreate of 2027-03-13's 02:30 is there, its Job already gone
// (ttlSecondsAfterFinished). why and status read the events and take the
// stock controller's times: 2027-03-14 has no run (the clocks skip 02:30),
// the next is 2027-03-15's. next NAME reads the events too (controllerFacts),
// and lists the same, not steadycron's 2027-03-14T03:00:00-04:00.
func TestNextWithoutTheEvents(t *testing.T) {
	d := func(day, h, m int) time.Time { return time.Date(2027, 3, day, h, m, 0, 0, nyc) }
	cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(d(13, 2, 30)))
	})
	now := d(13, 2, 45)
	name := "report-" + itoa(d(13, 2, 30).Unix()/60)
	objs := []runtime.Object{cj, lease("steadycron-0", time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)),
		event(cj, "Normal", "SuccessfulCreate", "Created job "+name, d(13, 2, 30), d(13, 2, 30), 1)}

	o, out := newTestOptions(now, objs...)
	require.NoError(t, execute(t, o, "status", "report", "-o", "json"))
	var status StatusReport
	require.NoError(t, json.Unmarshal(out.Bytes(), &status))
	require.NotEmpty(t, status.Next)

	o, out = newTestOptions(now, objs...)
	require.NoError(t, execute(t, o, "next", "report", "-o", "json"))
	var next NextTimes
	require.NoError(t, json.Unmarshal(out.Bytes(), &next))
	require.NotEmpty(t, next.Times)
	t.Logf("status: %s, next: %s", status.Next[0].Time, next.Times[0].Time)
	assert.Equal(t, status.Next[0].Time, next.Times[0].Time)
	assert.NotEqual(t, "2027-03-14T03:00:00-04:00", next.Times[0].Time)
}

// TestStockNextCost: next --count 1000 of "*/1 * * * *" in
// Australia/Lord_Howe under the stock controller, status.lastScheduleTime
// before the change of 2027-10-03 (the CronJob suspended over the weekend,
// or the field restored): within 48 h after the change each time is found
// by stepping robfig/cron's Next from the time before the change (stockFrom),
// some 2,400 to 3,400 steps a time when the chain is walked from its start
// for each (over a million calls). The chain is walked once: within 48 h,
// the question costs less than ten times the Next calls of the same 50 h
// after the change, where Next is not chained (one walk from before the
// change, some 7,500 calls more) (counted, not timed, so that a busy machine does not fail
// it).
func TestStockNextCost(t *testing.T) {
	lh, err := time.LoadLocation("Australia/Lord_Howe")
	require.NoError(t, err)
	last := time.Date(2027, 10, 1, 3, 0, 0, 0, lh)
	cj := cronJob("report", "*/1 * * * *", func(cj *batchv1.CronJob) {
		cj.Spec.TimeZone = ptr.To("Australia/Lord_Howe")
		cj.Spec.StartingDeadlineSeconds = nil
		cj.CreationTimestamp = metav1.NewTime(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(last))
	})
	objs := []runtime.Object{cj, stockJob(cj, last, time.Minute)}
	cost := func(now time.Time) int64 {
		o, _ := newTestOptions(now, objs...)
		before := stockNextCalls.Load()
		require.NoError(t, execute(t, o, "next", "report", "--count", "1000"))
		return stockNextCalls.Load() - before
	}
	within := cost(time.Date(2027, 10, 4, 20, 0, 30, 0, lh))  // 42 h after the change
	outside := cost(time.Date(2027, 10, 5, 4, 30, 30, 0, lh)) // 50 h after
	t.Logf("Next calls within 48 h: %d, outside: %d", within, outside)
	assert.Less(t, within, 10*outside, "next --count 1000 within 48 h of the change: %d Next calls, outside: %d", within, outside)
}

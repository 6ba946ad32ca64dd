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

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// APIVersion is the version of the schema of -o json and -o yaml. Fields are
// only added within a version; times are RFC3339 strings, durations Go
// duration strings ("1m30s"). v1alpha2 renamed the kind of status's report
// from v1alpha1's Status, which Kubernetes' decoders read as metav1.Status
// (an API error) whatever the apiVersion, to StatusReport.
const APIVersion = "kubectl-cronjob.steadycron.io/v1alpha2"

// Report is what a command prints with -o json or yaml.
type Report interface {
	runtime.Object
	setKind()
}

// deepCopy copies a report through JSON: reports are plain data, printed once.
func deepCopy[T any](in *T) *T {
	data, err := json.Marshal(in)
	if err != nil {
		panic(err)
	}
	out := new(T)
	if err := json.Unmarshal(data, out); err != nil {
		panic(err)
	}
	return out
}

// ScheduledTime is one scheduled time, in the CronJob's time zone and in UTC.
type ScheduledTime struct {
	// Time is the time in the CronJob's time zone, RFC3339.
	Time string `json:"time"`
	// UTC is the same instant in UTC, RFC3339.
	UTC string `json:"utc"`
	// Note says what a daylight saving time transition does to this time.
	Note string `json:"note,omitempty"`
}

// NextTimes is the report of kubectl cronjob next.
type NextTimes struct {
	metav1.TypeMeta `json:",inline"`
	// CronJob is namespace/name when the times are a CronJob's.
	CronJob  string `json:"cronJob,omitempty"`
	Schedule string `json:"schedule"`
	// TimeZone is the zone the schedule is evaluated in.
	TimeZone string `json:"timeZone"`
	// Suspended is true when the CronJob is suspended: the controller runs
	// a time only if it is resumed by then, or late, at the resume (a
	// catch-up), when the resume comes within startingDeadlineSeconds after
	// it, or, without one, before the time after it.
	Suspended bool            `json:"suspended,omitempty"`
	Times     []ScheduledTime `json:"times"`
	// Warnings say why the times may not be the controller's (its time
	// zone, as the CronJob's Jobs show it); a table prints them on standard
	// error.
	Warnings []string `json:"warnings,omitempty"`
}

func (r *NextTimes) DeepCopyObject() runtime.Object { return deepCopy(r) }
func (r *NextTimes) setKind()                       { r.APIVersion, r.Kind = APIVersion, "NextTimes" }

// Run is one Job of a CronJob.
type Run struct {
	Job string `json:"job"`
	// Scheduled is the scheduled time the Job is for; empty for a manual run.
	Scheduled *ScheduledTime `json:"scheduled,omitempty"`
	// Manual is true for a Job no CronJob controller made for a scheduled
	// time: made by hand or by a tool (kubectl create job --from, which
	// adds cronjob.kubernetes.io/instantiate: manual; k9s's trigger), as it
	// lacks batch.kubernetes.io/cronjob-scheduled-timestamp, which both
	// controllers write.
	Manual bool `json:"manual,omitempty"`
	// Rerun is true for a Job re-created under the name of a scheduled
	// time's Job after the controller created that Job (kubectl replace
	// --force: the same name and annotations, a new UID): Scheduled is the
	// time whose name it has, but it is a rerun, and its result is not the
	// time's.
	Rerun bool `json:"rerun,omitempty"`
	// Created is the Job's creation time, RFC3339 UTC.
	Created string `json:"created"`
	// ExpectedStart is steadycron.io/expected-start (or, for manual runs, the creation time).
	ExpectedStart string `json:"expectedStart,omitempty"`
	// FirstRunning is steadycron.io/first-running: when the app container first ran.
	FirstRunning string `json:"firstRunning,omitempty"`
	// StartDelay is FirstRunning − ExpectedStart.
	StartDelay string `json:"startDelay,omitempty"`
	// Duration is how long the app container of the Job's last finished pod ran.
	Duration string `json:"duration,omitempty"`
	// Result is Complete or Failed (with the Job's reason) for a finished
	// Job; else, as kubectl get jobs' STATUS: Terminating (being deleted),
	// Suspended (spec.suspend is true: it starts no pod until it is
	// resumed), FailureTarget (with the reason) or SuccessCriteriaMet (the
	// end is decided, its pods are stopping), Running or Pending.
	Result string `json:"result"`
	// PodReason is what the Job's pods say of a run that did not go well:
	// for a Failed Job, how its app container last ended (the container's
	// reason, such as OOMKilled or Error, and its exit code) or the pod's
	// reason (Evicted, DeadlineExceeded); for a Pending one, why its app
	// does not run (Unschedulable, or a container's waiting reason such as
	// ImagePullBackOff). Empty when the pods say nothing or could not be read.
	PodReason string `json:"podReason,omitempty"`
	// Active is true while the Job is in the CronJob's status.active.
	Active bool `json:"active,omitempty"`
}

// EventSummary is one event of the CronJob.
type EventSummary struct {
	Type    string `json:"type"`
	Reason  string `json:"reason"`
	Message string `json:"message"`
	Count   int32  `json:"count"`
	// First and Last are when the event was first and last seen, RFC3339 UTC.
	First string `json:"first"`
	Last  string `json:"last"`
}

// Controller is what the cluster says about the controller that decides.
type Controller struct {
	// Lease is namespace/name of steadycron's Lease.
	Lease string `json:"lease"`
	// Holder is the Lease's holder; empty when no Lease was found.
	Holder string `json:"holder,omitempty"`
	// RenewTime is the Lease's last renewal, RFC3339 UTC.
	RenewTime string `json:"renewTime,omitempty"`
	// Leading is true when the Lease was renewed within its duration; absent
	// when the Lease could not be read (see note and missing).
	Leading *bool `json:"leading,omitempty"`
	// Note says what could not be read, or what it means.
	Note string `json:"note,omitempty"`
}

// Finding is one lint finding.
type Finding struct {
	CronJob  string `json:"cronJob"`
	Severity string `json:"severity"`
	// Check names the rule.
	Check string `json:"check"`
	// What says what happens.
	What string `json:"what"`
	// Fix says how to fix it.
	Fix string `json:"fix"`
}

// StatusReport is the report of kubectl cronjob status.
type StatusReport struct {
	metav1.TypeMeta `json:",inline"`
	CronJob         string `json:"cronJob"`
	Schedule        string `json:"schedule"`
	TimeZone        string `json:"timeZone"`
	Suspended       bool   `json:"suspended"`
	// ConcurrencyPolicy is Allow, Forbid or Replace.
	ConcurrencyPolicy string `json:"concurrencyPolicy"`
	// StartingDeadlineSeconds is the deadline, if set.
	StartingDeadlineSeconds *int64 `json:"startingDeadlineSeconds,omitempty"`
	// LastScheduleTime is status.lastScheduleTime.
	LastScheduleTime *ScheduledTime  `json:"lastScheduleTime,omitempty"`
	Next             []ScheduledTime `json:"next"`
	// Runs are the latest Jobs; null when the Jobs could not be read (see
	// missing).
	Runs   []Run    `json:"runs"`
	Active []string `json:"active"`
	// Events are the latest events of the CronJob; null when they could not
	// be read (see missing).
	Events     []EventSummary `json:"events"`
	Findings   []Finding      `json:"findings"`
	Controller Controller     `json:"controller"`
	// Clock lists the signs of a controller clock ahead of the API server's:
	// a status.lastScheduleTime later than now, Jobs created more than a
	// second before their scheduled time, each with the controller's
	// FutureLastScheduleTime or JobCreatedEarly warning when it is left.
	Clock []string `json:"clock,omitempty"`
	// Missing lists the facts the cluster does not have, and why.
	Missing []string `json:"missing,omitempty"`
}

func (r *StatusReport) DeepCopyObject() runtime.Object { return deepCopy(r) }
func (r *StatusReport) setKind()                       { r.APIVersion, r.Kind = APIVersion, "StatusReport" }

// Verdicts of kubectl cronjob why.
const (
	VerdictRan            = "Ran"
	VerdictRunning        = "Running"
	VerdictSkipped        = "Skipped"
	VerdictSuperseded     = "Superseded"
	VerdictNotScheduled   = "NotAScheduledTime"
	VerdictNoScheduleTime = "NoScheduledTime"
	// VerdictBeforeCreation: the time matches the schedule but comes before
	// the CronJob was created.
	VerdictBeforeCreation = "BeforeCreation"
	// VerdictNotDue: the time is in the future, or so recent that the
	// controller is about to create its Job.
	VerdictNotDue         = "NotDueYet"
	VerdictNoDecision     = "NoDecisionOnRecord"
	VerdictCannotEvaluate = "CannotEvaluate"
	// VerdictUnknown: no Job for the time was found, but the Jobs or the
	// events could not be read, so why is not known (see Why.Missing).
	VerdictUnknown = "Unknown"
)

// Why is the report of kubectl cronjob why.
type Why struct {
	metav1.TypeMeta `json:",inline"`
	CronJob         string `json:"cronJob"`
	// At is the time asked about, RFC3339 UTC.
	At string `json:"at"`
	// Scheduled is the scheduled time at or before At that is explained.
	Scheduled *ScheduledTime `json:"scheduled,omitempty"`
	// Verdict is one of the Verdict constants.
	Verdict string `json:"verdict"`
	// Reason is the reason of a skip: concurrencyPolicy, missedDeadline,
	// suspended, invalidTimeZone, invalidSchedule, nameConflict,
	// beingDeleted, stockMissedCount, ...; of an
	// Unknown: scheduleChanged, clockAhead, ambiguousEvidence,
	// eventsCombined, maybeSuspended, maybeNotForbid, maybeNoDeadline,
	// createFailed, clientClock, controllerTimeZone.
	Reason string `json:"reason,omitempty"`
	// Explanation says what happened and why, in a sentence or two.
	Explanation string `json:"explanation"`
	// Run is the Job that ran the time, if one did.
	Run *Run `json:"run,omitempty"`
	// Evidence lists the facts the verdict rests on.
	Evidence []string `json:"evidence,omitempty"`
	// Nearest are the scheduled times around At when At is not one.
	Nearest    []ScheduledTime `json:"nearest,omitempty"`
	Controller Controller      `json:"controller"`
	Missing    []string        `json:"missing,omitempty"`
}

func (r *Why) DeepCopyObject() runtime.Object { return deepCopy(r) }
func (r *Why) setKind()                       { r.APIVersion, r.Kind = APIVersion, "Why" }

// LintReport is the report of kubectl cronjob lint.
type LintReport struct {
	metav1.TypeMeta `json:",inline"`
	// Checked is how many CronJobs were linted.
	Checked  int       `json:"checked"`
	Findings []Finding `json:"findings"`
	// Missing lists the facts that could not be read, and the checks that
	// therefore saw less.
	Missing []string `json:"missing,omitempty"`
}

func (r *LintReport) DeepCopyObject() runtime.Object { return deepCopy(r) }
func (r *LintReport) setKind()                       { r.APIVersion, r.Kind = APIVersion, "LintReport" }

func newTable(headers []string, rows [][]string) *metav1.Table {
	t := &metav1.Table{}
	for _, h := range headers {
		t.ColumnDefinitions = append(t.ColumnDefinitions, metav1.TableColumnDefinition{Name: h, Type: "string"})
	}
	for _, r := range rows {
		cells := make([]interface{}, len(r))
		for i, c := range r {
			cells[i] = c
		}
		t.Rows = append(t.Rows, metav1.TableRow{Cells: cells})
	}
	return t
}

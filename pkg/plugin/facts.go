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
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/pager"
	"k8s.io/utils/ptr"

	"github.com/steadycron/steadycron/pkg/controller/jobtracker"
)

const instantiateAnnotation = "cronjob.kubernetes.io/instantiate"

// legacyControllerUIDLabel is the label by which the Job controller selected
// a Job's pods before Kubernetes 1.27 (batchv1.ControllerUidLabel since).
const legacyControllerUIDLabel = "controller-uid"

// facts are what the cluster knows about one CronJob.
type facts struct {
	cj *batchv1.CronJob
	// sched is cj's schedule, nil if it cannot be evaluated; it tells
	// whether a Job's name is that of a scheduled time (scheduledTimeOf).
	sched  *schedule
	jobs   []batchv1.Job           // the Jobs it controls, oldest first
	pods   map[string][]corev1.Pod // by the UID of their Job
	events []corev1.Event          // the CronJob's events, oldest first
	// entryJobs are the Jobs of the namespace that have the name of an
	// entry of status.active, whatever their controller, by name.
	entryJobs map[string]*batchv1.Job
	// earlierEvents are events of a CronJob of the same name with another
	// UID: one deleted and created again (kubectl replace, a GitOps tool).
	earlierEvents []corev1.Event
	lease         *coordinationv1.Lease
	// leaseUnknown: the Lease could not be read (RBAC, an API error): whether
	// a controller leads is not known, which is not the same as no Lease.
	leaseUnknown bool
	// jobsUnknown and eventsUnknown: the Jobs or the events could not be
	// listed (RBAC, an API error), so "no Job" or "no event" is not known.
	jobsUnknown, eventsUnknown bool
	// podsUnknown: the pods of the Jobs could not be listed.
	podsUnknown bool
	// missing lists the facts that could not be read, and why.
	missing []string
}

// cronJobTypes are the TYPEs of kubectl's TYPE/NAME that name a CronJob:
// its kind, its plural, its short name, each also with its group (kubectl
// get cronjobs -o name prints cronjob.batch/NAME) or version and group.
var cronJobTypes = map[string]bool{
	"cronjob": true, "cronjobs": true, "cj": true,
	"cronjob.batch": true, "cronjobs.batch": true, "cj.batch": true,
	"cronjob.v1.batch": true, "cronjobs.v1.batch": true,
}

// splitTypeName splits kubectl's TYPE/NAME form. It is false for a NAME, and
// for a SCHEDULE (*/5 has a TYPE that is not a resource's name).
func splitTypeName(arg string) (typ, name string, ok bool) {
	typ, name, ok = strings.Cut(arg, "/")
	if !ok || typ == "" || name == "" || strings.Contains(name, "/") || isSchedule(typ) || isSchedule(name) {
		return "", "", false
	}
	return typ, name, true
}

// cronJobName returns the name a NAME or TYPE/NAME argument gives, as
// kubectl takes them (cronjob/NAME, cj/NAME, cronjob.batch/NAME), and an
// error for a TYPE that is not a CronJob's.
func cronJobName(arg string) (string, error) {
	typ, name, ok := splitTypeName(arg)
	switch {
	case !ok:
		return arg, nil
	case !cronJobTypes[strings.ToLower(typ)]:
		return "", fmt.Errorf("%q is not a CronJob: kubectl cronjob takes NAME or cronjob/NAME (also cronjobs/, cj/, cronjob.batch/), not a %s", arg, typ)
	}
	return name, nil
}

func (o *Options) getCronJob(ctx context.Context, arg string) (*batchv1.CronJob, error) {
	name, err := cronJobName(arg)
	if err != nil {
		return nil, err
	}
	client, err := o.client()
	if err != nil {
		return nil, err
	}
	ns, err := o.namespace()
	if err != nil {
		return nil, err
	}
	cj, err := client.BatchV1().CronJobs(ns).Get(ctx, name, metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
		return nil, fmt.Errorf("cronjob %q not found in namespace %q", name, ns)
	case apierrors.IsForbidden(err):
		return nil, fmt.Errorf("not allowed to get cronjob %q in namespace %q (kubectl cronjob needs get, list and watch on cronjobs, jobs, pods and events): %w", name, ns, err)
	case err != nil:
		return nil, fmt.Errorf("getting cronjob %s/%s: %w", ns, name, err)
	}
	return cj, nil
}

// gather reads the facts about cj. A fact that cannot be read (RBAC, no
// Lease) is listed in missing rather than failing the command.
func (o *Options) gather(ctx context.Context, cj *batchv1.CronJob) (*facts, error) {
	client, err := o.client()
	if err != nil {
		return nil, err
	}
	f := &facts{cj: cj, pods: map[string][]corev1.Pod{}}
	f.sched, _ = parseSchedule(cj, o.ControllerTimeZone)
	if f.jobs, f.entryJobs, err = listJobs(ctx, client, cj); err != nil {
		f.jobsUnknown = true
		f.missing = append(f.missing, fmt.Sprintf("Jobs: %v (reading them needs list on jobs in %s)", err, cj.Namespace))
	}
	for _, selector := range podSelectors(f.jobs) {
		err := listEach(ctx, metav1.ListOptions{LabelSelector: selector}, func(ctx context.Context, opts metav1.ListOptions) (runtime.Object, error) {
			return client.CoreV1().Pods(cj.Namespace).List(ctx, opts)
		}, func(obj runtime.Object) {
			p := obj.(*corev1.Pod)
			ref := metav1.GetControllerOf(p)
			if ref == nil || ref.Kind != "Job" {
				return
			}
			uid := string(ref.UID)
			for _, seen := range f.pods[uid] {
				if seen.UID == p.UID && seen.Name == p.Name {
					return // matched by two selectors
				}
			}
			f.pods[uid] = append(f.pods[uid], *p)
		})
		if err != nil {
			f.pods = map[string][]corev1.Pod{}
			f.podsUnknown = true
			f.missing = append(f.missing, fmt.Sprintf("pods (app-container durations): %v", err))
			break
		}
	}
	if err = f.readEvents(ctx, client); err != nil {
		f.missing = append(f.missing, fmt.Sprintf("events: %v (reading them needs list on events in %s)", err, cj.Namespace))
	}
	lease, err := client.CoordinationV1().Leases(o.LeaseNamespace).Get(ctx, o.LeaseName, metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
		text := "steadycron is not running here, or under another Lease: --lease-name"
		switch {
		case f.jobsUnknown:
			text = "steadycron is not running here, runs without leader election (its Jobs, which would show it, could not be read), or under another Lease: --lease-name"
		case f.steadycronWithoutLease():
			text = "steadycron runs without leader election, or under another Lease (--lease-name): the latest scheduled Job has steadycron.io/expected-start"
		}
		f.missing = append(f.missing, fmt.Sprintf("steadycron's Lease %s/%s: not found (%s)", o.LeaseNamespace, o.LeaseName, text))
	case err != nil:
		f.leaseUnknown = true
		f.missing = append(f.missing, fmt.Sprintf("steadycron's Lease %s/%s: %v (reading it needs get on leases in %s)", o.LeaseNamespace, o.LeaseName, err, o.LeaseNamespace))
	default:
		f.lease = lease
	}
	// steadycron writes expected-start on the Jobs it creates for scheduled
	// times, never on one made by hand: only those show which controller
	// made them.
	if scheduled, has := f.jobsWith(jobtracker.ExpectedStartAnnotation, true); scheduled > 0 && !has {
		f.missing = append(f.missing, "steadycron.io/expected-start on Jobs: none has it (Jobs made by a controller without steadycron's patches); scheduled times come from batch.kubernetes.io/cronjob-scheduled-timestamp or the Job's name")
	}
	if _, has := f.jobsWith(jobtracker.FirstRunningAnnotation, false); len(f.jobs) > 0 && !has {
		f.missing = append(f.missing, "steadycron.io/first-running on Jobs: none has it (steadycron's job tracker is not running, or no Job ran yet): no start delays")
	}
	for _, j := range f.jobs {
		for _, a := range []string{jobtracker.ExpectedStartAnnotation, jobtracker.FirstRunningAnnotation} {
			if v, ok := j.Annotations[a]; ok {
				if _, err := time.Parse(time.RFC3339, v); err != nil {
					f.missing = append(f.missing, fmt.Sprintf("%s on Job %s: %q is not an RFC 3339 time (edited, or written by another tool): its start delay is not known", a, j.Name, v))
				}
			}
		}
	}
	return f, nil
}

// readEvents lists the events of f.cj, oldest last seen first: those of this
// CronJob in f.events, those of an earlier one of the same name in
// f.earlierEvents. A list the API server refuses leaves both empty and sets
// eventsUnknown.
func (f *facts) readEvents(ctx context.Context, client kubernetes.Interface) error {
	cj := f.cj
	selector := fields.Set{"involvedObject.kind": "CronJob", "involvedObject.name": cj.Name}.AsSelector().String()
	err := listEach(ctx, metav1.ListOptions{FieldSelector: selector}, func(ctx context.Context, opts metav1.ListOptions) (runtime.Object, error) {
		return client.CoreV1().Events(cj.Namespace).List(ctx, opts)
	}, func(obj runtime.Object) {
		e := obj.(*corev1.Event)
		switch {
		case e.InvolvedObject.Kind != "CronJob" || e.InvolvedObject.Name != cj.Name:
		case e.InvolvedObject.UID == "" || e.InvolvedObject.UID == cj.UID:
			f.events = append(f.events, *e)
		default:
			f.earlierEvents = append(f.earlierEvents, *e)
		}
	})
	if err != nil {
		f.events, f.earlierEvents = nil, nil
		f.eventsUnknown = true
		return err
	}
	sort.SliceStable(f.events, func(i, j int) bool { return eventLast(f.events[i]).Before(eventLast(f.events[j])) })
	return nil
}

// controlledJobs lists the Jobs of cj's namespace a page at a time and
// returns those cj controls, oldest first.
func controlledJobs(ctx context.Context, client kubernetes.Interface, cj *batchv1.CronJob) ([]batchv1.Job, error) {
	jobs, _, err := listJobs(ctx, client, cj)
	return jobs, err
}

// listJobs lists the Jobs of cj's namespace a page at a time and returns
// those cj controls, oldest first, and, by name, those that have the name
// of an entry of cj's status.active, whatever their controller: the list
// shows whether an entry's Job is there, and whose it is (stuckActive),
// with no get on Jobs.
func listJobs(ctx context.Context, client kubernetes.Interface, cj *batchv1.CronJob) ([]batchv1.Job, map[string]*batchv1.Job, error) {
	var jobs []batchv1.Job
	entries := map[string]*batchv1.Job{}
	err := listEach(ctx, metav1.ListOptions{}, func(ctx context.Context, opts metav1.ListOptions) (runtime.Object, error) {
		return client.BatchV1().Jobs(cj.Namespace).List(ctx, opts)
	}, func(obj runtime.Object) {
		j := obj.(*batchv1.Job)
		if metav1.IsControlledBy(j, cj) {
			jobs = append(jobs, *j)
		}
		for _, a := range cj.Status.Active {
			if a.Name == j.Name {
				entries[j.Name] = j.DeepCopy()
			}
		}
	})
	if err != nil {
		return nil, nil, err
	}
	sort.SliceStable(jobs, func(i, j int) bool {
		return jobs[i].CreationTimestamp.Before(&jobs[j].CreationTimestamp)
	})
	return jobs, entries, nil
}

// isManual tells whether Job j of f.cj is not a scheduled run of a CronJob
// controller (see scheduledTimeOf): it was made by hand or by a tool from
// the CronJob's template (kubectl create job --from=cronjob/NAME and kubectl
// cronjob run, which add cronjob.kubernetes.io/instantiate: manual; k9s's
// trigger, which does not), so it shows nothing about what a controller did,
// nor about spec.suspend.
func (f *facts) isManual(j *batchv1.Job) bool {
	_, ok := f.scheduledTimeOf(j)
	return !ok
}

// manualText says how Job j, which isManual, shows it was not a
// controller's: kubectl's annotation, else the controller's missing one and
// a name that is not that of a scheduled time (see scheduledTimeOf).
func manualText(j *batchv1.Job) string {
	if j.Annotations[instantiateAnnotation] == "manual" {
		return fmt.Sprintf("made by hand (%s: manual)", instantiateAnnotation)
	}
	return fmt.Sprintf("made by hand or by a tool such as k9s's trigger (it has no %s of its own, which both CronJob controllers write on each Job they create since Kubernetes 1.28, and its name is not NAME-<minutes> of a time of the schedule, which an older controller's Job has)", batchv1.CronJobScheduledTimestampAnnotation)
}

// listEach lists objects a page at a time with client-go's pager (500 a
// request, as kubectl get's --chunk-size) and calls fn with each. A list
// whose continue token expired between pages is read again in one request.
// podSelectors returns label selectors that together match the pods of jobs,
// so that gather lists those and not every pod of the namespace. The Job
// controller's selector of a Job is its UID under one label key
// (batch.kubernetes.io/controller-uid since Kubernetes 1.27, controller-uid
// before): the Jobs selected that way share one set-based selector per key. A
// Job with a manual selector (spec.manualSelector) is listed by its own.
func podSelectors(jobs []batchv1.Job) []string {
	uidsByKey := map[string][]string{}
	var keys, selectors []string
	for _, j := range jobs {
		if j.Spec.Selector == nil {
			continue
		}
		sel := j.Spec.Selector
		if len(sel.MatchExpressions) == 0 && len(sel.MatchLabels) == 1 {
			key := ""
			for _, k := range []string{batchv1.ControllerUidLabel, legacyControllerUIDLabel} {
				if sel.MatchLabels[k] == string(j.UID) && j.UID != "" {
					key = k
				}
			}
			if key != "" {
				if _, ok := uidsByKey[key]; !ok {
					keys = append(keys, key)
				}
				uidsByKey[key] = append(uidsByKey[key], string(j.UID))
				continue
			}
		}
		s, err := metav1.LabelSelectorAsSelector(sel)
		if err != nil || s.Empty() {
			continue // the API server validates it; nothing to list by
		}
		selectors = append(selectors, s.String())
	}
	for _, k := range keys {
		selectors = append(selectors, fmt.Sprintf("%s in (%s)", k, strings.Join(uidsByKey[k], ",")))
	}
	return selectors
}

func listEach(ctx context.Context, opts metav1.ListOptions, list pager.ListPageFunc, fn func(runtime.Object)) error {
	all, _, err := pager.New(list).List(ctx, opts)
	if err != nil {
		return err
	}
	return meta.EachListItem(all, func(obj runtime.Object) error {
		fn(obj)
		return nil
	})
}

// jobsWith returns how many of the CronJob's Jobs it looked at (without
// those made by hand when scheduledOnly) and whether any of them has
// annotation.
func (f *facts) jobsWith(annotation string, scheduledOnly bool) (n int, has bool) {
	for i := range f.jobs {
		j := &f.jobs[i]
		if scheduledOnly && f.isManual(j) {
			continue
		}
		n++
		if _, ok := j.Annotations[annotation]; ok {
			has = true
		}
	}
	return n, has
}

// eventFirst and eventLast are when an event was first and last seen,
// whichever of the events.k8s.io and core fields the recorder set.
func eventFirst(e corev1.Event) time.Time {
	switch {
	case !e.FirstTimestamp.IsZero():
		return e.FirstTimestamp.Time
	case !e.EventTime.IsZero():
		return e.EventTime.Time
	}
	return e.CreationTimestamp.Time
}

func eventLast(e corev1.Event) time.Time {
	switch {
	case e.Series != nil && !e.Series.LastObservedTime.IsZero():
		return e.Series.LastObservedTime.Time
	case !e.LastTimestamp.IsZero():
		return e.LastTimestamp.Time
	}
	return eventFirst(e)
}

// manualEvidence is the evidence that Job j, which isManual, was made by
// hand, and when.
func manualEvidence(j *batchv1.Job) string {
	if j.Annotations[instantiateAnnotation] == "manual" {
		return fmt.Sprintf("Job %s has %s: manual and was created at %s", j.Name, instantiateAnnotation, j.CreationTimestamp.UTC().Format(time.RFC3339))
	}
	return fmt.Sprintf("Job %s has no %s and was created at %s", j.Name, batchv1.CronJobScheduledTimestampAnnotation, j.CreationTimestamp.UTC().Format(time.RFC3339))
}

// scheduledTimeOf returns the scheduled time Job j of f.cj is a
// controller's run of, by the controllers' own rule (upstream's getJobName,
// which names a time's Job NAME-<the time's Unix seconds / 60>); false for a
// Job made by hand or by a tool (isManual):
//   - A Job with a parseable batch.kubernetes.io/cronjob-scheduled-timestamp
//     is the controller's Job of that time iff its name is
//     controllerJobName of that time. Both controllers, the stock one (since
//     Kubernetes 1.28 or with the CronJobsScheduledAnnotation gate) and
//     steadycron, write it on every Job they create, over the template's; a
//     Job under another name (kubectl create job NAME --from, k9s's
//     NAME-manual-XXX) carries it only as a copy of the template's, and a
//     template made from a Job's YAML passes that Job's value on, which is a
//     real time. One that does not parse is no controller's.
//   - A Job without it is made by hand iff it has
//     cronjob.kubernetes.io/instantiate: manual (kubectl create job --from);
//     otherwise, when f.cj controls it under the name NAME-N, it is the Job
//     of an older controller (kube-controller-manager before 1.28, or with
//     the gate off) of minute N (nameConflict takes it for the time's Job
//     too). The schedule and zone that controller read then are not known
//     (the schedule may have been edited since, the controller may run in
//     its host's zone), so the minute is not checked against today's
//     schedule: the name gives the minute only (preAnnotationTime).
func (f *facts) scheduledTimeOf(j *batchv1.Job) (time.Time, bool) {
	if ts, ok := j.Annotations[batchv1.CronJobScheduledTimestampAnnotation]; ok {
		st, err := time.Parse(time.RFC3339, ts)
		if err != nil || j.Name != controllerJobName(f.cj, st) {
			return time.Time{}, false
		}
		return st, true
	}
	m, ok := jobNameTime(f.cj, j.Name)
	if !ok || !metav1.IsControlledBy(j, f.cj) || j.Annotations[instantiateAnnotation] == "manual" {
		return time.Time{}, false
	}
	return f.preAnnotationTime(m), true
}

// preAnnotationTime is the scheduled time of an older controller's Job whose
// name gives minute m: m itself, except for a schedule with times less than
// a minute apart, or not on a minute's start (@every 90s), where it is the
// first time of today's schedule in that minute, if there is one: the
// controller named the Job after the time's minute, and the time the Job ran
// for is the schedule's in that minute (for @every 30s, the first of the
// minute's two times; the controller creates one Job a minute, since the
// second's name is taken).
func (f *facts) preAnnotationTime(m time.Time) time.Time {
	if f.sched == nil {
		return m
	}
	if !f.sched.every() {
		return m
	}
	if t, ok := f.sched.following(m.Add(-time.Nanosecond)); ok && t.Before(m.Add(time.Minute)) {
		return t
	}
	return m
}

// controllerJobName is the name a CronJob controller gives cj's Job of
// scheduled time t (upstream's getJobName): NAME-<t's Unix seconds / 60>.
func controllerJobName(cj *batchv1.CronJob, t time.Time) string {
	return fmt.Sprintf("%s-%d", cj.Name, t.Unix()/60)
}

// annotationTime returns the RFC3339 time in Job j's annotation key, and the
// value; ok is false when the annotation is missing or not such a time.
func annotationTime(j *batchv1.Job, key string) (t time.Time, value string, ok bool) {
	value, ok = j.Annotations[key]
	if !ok {
		return time.Time{}, "", false
	}
	t, err := time.Parse(time.RFC3339, value)
	return t, value, err == nil
}

// ownExpectedStart returns steadycron.io/expected-start of Job j when
// steadycron wrote it: steadycron writes it on its own Jobs with the
// scheduled-timestamp, both naming the scheduled time. One on a Job that is
// no controller's run, or that names another instant than the Job's
// scheduled time, was copied from the jobTemplate (a template made from a
// steadycron Job's YAML; the stock controller copies it onto each Job).
func (f *facts) ownExpectedStart(j *batchv1.Job) (time.Time, bool) {
	t, _, ok := annotationTime(j, jobtracker.ExpectedStartAnnotation)
	if !ok {
		return time.Time{}, false
	}
	st, ok := f.scheduledTimeOf(j)
	if !ok || !st.Equal(t) {
		return time.Time{}, false
	}
	return t, true
}

// ownFirstRunning returns steadycron.io/first-running of Job j when the job
// tracker wrote it (the start of the Job's app container), not when j
// carries a copy from the jobTemplate (a manifest made from a Job's YAML,
// which the controller copies onto every Job, and the job tracker, which
// writes first-running once, leaves on it). The Job's own facts tell them
// apart: a copy is the start of an earlier Job, which came before the
// template was made and so before j was created; a start of j's own comes
// after j's creation, or before it only by how far the node's clock is
// behind the API server's. So a value before the creation by more than
// copiedFirstRunning, or than the lag of the node clock its own pods show
// (nodeLag) where that is more, is a copy, whatever the template carries now
// (it may have been fixed since); one before the creation that the template carries now
// is a copy too (a node clock behind is not told from it, and the start is
// left out rather than shown wrong); one at or after the creation is the
// Job's own, also on the Job the template's value was copied from. The job
// tracker counts no start for a Job that carries a copy (docs/metrics.md):
// neither does this.
func (f *facts) ownFirstRunning(j *batchv1.Job) (time.Time, bool) {
	t, v, ok := annotationTime(j, jobtracker.FirstRunningAnnotation)
	if !ok {
		return time.Time{}, false
	}
	created := j.CreationTimestamp.Time
	if t.Before(created.Add(-max(copiedFirstRunning, f.nodeLag(j)))) {
		return time.Time{}, false
	}
	if tmpl, ok := f.cj.Spec.JobTemplate.Annotations[jobtracker.FirstRunningAnnotation]; ok && tmpl == v && t.Before(created) {
		return time.Time{}, false
	}
	return t, true
}

// copiedFirstRunning is how long before its Job's creation a first-running
// must be for the plugin to take it for a copy whatever the jobTemplate
// carries now, unless the Job's pods show a node clock further behind
// (nodeLag): above the skew of a node whose clock is kept (NTP keeps it
// within a second; leases, certificates and the kubelet's own status
// updates go wrong long before minutes), and far below the time between a
// Job and the template made from it that a schedule more often than hourly
// shows. A start of a node behind by more than that, which its pods do not
// show, is left out rather than shown wrong. (The job tracker's own 5-minute
// rule counted such a start twice, and was reverted in c7ed57e; this one
// only decides what is shown.)
const copiedFirstRunning = 2 * time.Minute

// nodeLag returns how far behind the API server's clock the clock of a node
// that ran one of j's pods is at least, as the pods show it: the kubelet
// sets a pod's status.startTime by its node's clock when it takes the pod,
// which comes after the API server created it (metadata.creationTimestamp),
// so a startTime before the creation is the node's lag, or part of it.
func (f *facts) nodeLag(j *batchv1.Job) time.Duration {
	var lag time.Duration
	for _, p := range f.pods[string(j.UID)] {
		if st := p.Status.StartTime; st != nil {
			lag = max(lag, p.CreationTimestamp.Sub(st.Time))
		}
	}
	return lag
}

// jobNameTime returns the time a Job's name NAME-N gives, N the minutes
// since the Unix epoch of the time of cj's Job (upstream's getJobName).
func jobNameTime(cj *batchv1.CronJob, name string) (time.Time, bool) {
	suffix, ok := strings.CutPrefix(name, cj.Name+"-")
	if !ok || suffix == "" || strings.TrimLeft(suffix, "0123456789") != "" {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(suffix, 10, 64)
	if err != nil || n > math.MaxInt64/60 {
		return time.Time{}, false
	}
	return time.Unix(n*60, 0), true
}

// jobResult is Complete or Failed (with the reason) for a finished Job; for
// one that is not, in the order of kubectl get jobs' STATUS column:
// Terminating (being deleted), Suspended (spec.suspend is true: a queue
// controller such as Kueue has not admitted it, and it starts no pod),
// FailureTarget (with the reason: the Job controller decided it failed, by
// a podFailurePolicy or a limit, and stops its pods), SuccessCriteriaMet
// (decided it succeeded, by a successPolicy), Running or Pending. The Job
// counts as active until it is Complete or Failed.
func jobResult(j *batchv1.Job) string {
	var target, met *batchv1.JobCondition
	for i, c := range j.Status.Conditions {
		if c.Status != corev1.ConditionTrue {
			continue
		}
		switch c.Type {
		case batchv1.JobComplete:
			return "Complete"
		case batchv1.JobFailed:
			if c.Reason != "" {
				return "Failed (" + c.Reason + ")"
			}
			return "Failed"
		case batchv1.JobFailureTarget:
			target = &j.Status.Conditions[i]
		case batchv1.JobSuccessCriteriaMet:
			met = &j.Status.Conditions[i]
		}
	}
	switch {
	case j.DeletionTimestamp != nil:
		return "Terminating"
	case j.Spec.Suspend != nil && *j.Spec.Suspend:
		return "Suspended"
	case target != nil && target.Reason != "":
		return "FailureTarget (" + target.Reason + ")"
	case target != nil:
		return "FailureTarget"
	case met != nil:
		return "SuccessCriteriaMet"
	}
	if j.Status.Active > 0 && (j.Status.Ready == nil || *j.Status.Ready > 0) {
		return "Running"
	}
	if j.Status.Active > 0 {
		return "Pending"
	}
	return "Pending"
}

func jobFinished(j *batchv1.Job) (time.Time, bool) {
	for _, c := range j.Status.Conditions {
		if c.Status == corev1.ConditionTrue && (c.Type == batchv1.JobComplete || c.Type == batchv1.JobFailed) {
			if j.Status.CompletionTime != nil {
				return j.Status.CompletionTime.Time, true
			}
			return c.LastTransitionTime.Time, true
		}
	}
	return time.Time{}, false
}

// appContainer is the name of Job j's app container: the one its pod
// template's steadycron.io/app-container annotation names, else the first.
func appContainer(j *batchv1.Job) string {
	if named, ok := j.Spec.Template.Annotations[jobtracker.AppContainerAnnotation]; ok {
		return named
	}
	if cs := j.Spec.Template.Spec.Containers; len(cs) > 0 {
		return cs[0].Name
	}
	return ""
}

// appDuration is how long the app container of the Job's last finished pod
// ran; false when no pod has a terminated app container.
func appDuration(j *batchv1.Job, pods []corev1.Pod) (time.Duration, bool) {
	app := appContainer(j)
	var last *corev1.ContainerStateTerminated
	for _, p := range pods {
		for _, s := range p.Status.ContainerStatuses {
			if s.Name != app || s.State.Terminated == nil || s.State.Terminated.StartedAt.IsZero() {
				continue
			}
			if last == nil || s.State.Terminated.FinishedAt.After(last.FinishedAt.Time) {
				last = s.State.Terminated
			}
		}
	}
	if last == nil {
		return 0, false
	}
	return last.FinishedAt.Sub(last.StartedAt.Time), true
}

// run describes one Job.
func (f *facts) run(s *schedule, j *batchv1.Job) Run {
	r := Run{
		Job:     j.Name,
		Manual:  f.isManual(j),
		Rerun:   f.recreation(j) != "",
		Created: j.CreationTimestamp.UTC().Format(time.RFC3339),
		Result:  jobResult(j),
	}
	for _, a := range f.cj.Status.Active {
		if a.UID == j.UID {
			r.Active = true
		}
	}
	var expected time.Time
	if t, ok := f.scheduledTimeOf(j); ok {
		st := s.scheduledTime(t, "")
		r.Scheduled = &st
	}
	if t, ok := f.ownExpectedStart(j); ok {
		expected = t
	} else if r.Manual {
		expected = j.CreationTimestamp.Time
	}
	if !expected.IsZero() {
		r.ExpectedStart = expected.UTC().Format(time.RFC3339)
	}
	if t, ok := f.ownFirstRunning(j); ok {
		r.FirstRunning = t.UTC().Format(time.RFC3339)
		if !expected.IsZero() {
			r.StartDelay = t.Sub(expected).String()
		}
	}
	if d, ok := appDuration(j, f.pods[string(j.UID)]); ok {
		r.Duration = d.String()
	}
	r.PodReason = podReason(j, r.Result, f.pods[string(j.UID)])
	return r
}

// podReason is Run.PodReason of Job j, whose result is result, from its pods.
func podReason(j *batchv1.Job, result string, pods []corev1.Pod) string {
	switch {
	case result == "Pending":
		for i := range pods {
			p := &pods[i]
			if p.DeletionTimestamp != nil || p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed {
				continue
			}
			for _, c := range p.Status.Conditions {
				if c.Type == corev1.PodScheduled && c.Status == corev1.ConditionFalse && c.Reason != "" {
					return c.Reason
				}
			}
			for _, cs := range append(append([]corev1.ContainerStatus{}, p.Status.InitContainerStatuses...), p.Status.ContainerStatuses...) {
				if w := cs.State.Waiting; w != nil && w.Reason != "" && w.Reason != "ContainerCreating" && w.Reason != "PodInitializing" {
					return w.Reason
				}
			}
		}
	case strings.HasPrefix(result, "Failed"):
		app := appContainer(j)
		var last *corev1.ContainerStateTerminated
		lastPod, podReason := "", ""
		for i := range pods {
			p := &pods[i]
			if p.Status.Phase != corev1.PodFailed {
				continue
			}
			found := false
			for _, cs := range p.Status.ContainerStatuses {
				if t := cs.State.Terminated; cs.Name == app && t != nil && t.ExitCode != 0 {
					found = true
					if last == nil || t.FinishedAt.After(last.FinishedAt.Time) {
						last, lastPod = t, p.Status.Reason
					}
				}
			}
			if !found && p.Status.Reason != "" {
				podReason = p.Status.Reason
			}
		}
		if last != nil {
			reason := last.Reason
			if reason == "" {
				reason = "Error"
			}
			text := fmt.Sprintf("%s, exit code %d", reason, last.ExitCode)
			// The pod's own reason (Evicted, DeadlineExceeded) is the cause:
			// the kubelet killed the app for it, which its exit code (137,
			// SIGKILL) alone would pass off as a failure or an OOM kill.
			if lastPod != "" {
				text = fmt.Sprintf("%s: %s %s", lastPod, app, text)
			}
			return text
		}
		return podReason
	}
	return ""
}

// jobFor returns the Job of scheduled time t, if there is one.
func (f *facts) jobFor(t time.Time) *batchv1.Job {
	for i := range f.jobs {
		if st, ok := f.scheduledTimeOf(&f.jobs[i]); ok && st.Equal(t) {
			return &f.jobs[i]
		}
	}
	return nil
}

// controller summarises the Lease at now.
func (o *Options) controller(f *facts, now time.Time) Controller {
	c := Controller{Lease: o.LeaseNamespace + "/" + o.LeaseName}
	if f.leaseUnknown {
		c.Note = "the Lease could not be read (see missing facts): whether a controller leads is not known"
		return c
	}
	if f.lease == nil {
		c.Leading = ptr.To(false)
		c.Note = "no Lease: steadycron is not running here; with stock kube-controller-manager there is no expected-start or first-running annotation and no decision metrics"
		switch {
		case f.jobsUnknown:
			c.Note = "no Lease, and the Jobs, whose steadycron.io/expected-start would show steadycron without leader election (--leader-elect=false), could not be read (see missing facts): whether steadycron or stock kube-controller-manager runs the CronJob is not known"
		case f.steadycronWithoutLease():
			c.Note = "no Lease, but the latest scheduled Job has steadycron.io/expected-start: steadycron runs the CronJob without leader election (--leader-elect=false), or under another Lease (--lease-name)"
		}
		return c
	}
	if h := f.lease.Spec.HolderIdentity; h != nil {
		c.Holder = *h
	}
	if r := f.lease.Spec.RenewTime; r != nil {
		c.RenewTime = r.UTC().Format(time.RFC3339)
	}
	c.Leading = ptr.To(leaseHeld(f.lease, now))
	if !*c.Leading {
		c.Note = "no controller holds the Lease now: nothing decides on scheduled times"
		if latest, ok := f.createdSinceLeaseExpired(); ok && f.steadycronWithoutLease() {
			c.Note = fmt.Sprintf("steadycron does not hold its Lease, but the latest scheduled Job, created after the Lease expired (at %s), has steadycron.io/expected-start: steadycron runs the CronJob without leader election (--leader-elect=false), or under another Lease (--lease-name)", latest.UTC().Format(time.RFC3339))
		} else if ok {
			c.Note = fmt.Sprintf("steadycron does not hold its Lease, but a Job of this CronJob was created after the Lease expired (at %s): another CronJob controller (kube-controller-manager's?) runs it", latest.UTC().Format(time.RFC3339))
		} else if e, ok := f.decidedSinceLeaseExpired(); ok {
			c.Note = fmt.Sprintf("steadycron does not hold its Lease, but a CronJob controller recorded %s for this CronJob after the Lease expired (at %s): another CronJob controller (kube-controller-manager's?) decides on its times", e.Reason, eventLast(e).UTC().Format(time.RFC3339))
		}
	}
	return c
}

// steadycronWithoutLease tells whether steadycron runs the CronJob though
// its Lease does not show it: run with --leader-elect=false (or under
// another Lease), it writes steadycron.io/expected-start on every Job it
// creates for a scheduled time, and its old Lease, if any, stays expired.
// The latest such Job decides (latestScheduledJob), when the Lease is not
// found or expired before that Job was created: the stock controller, which
// took over after steadycron was removed, writes none.
func (f *facts) steadycronWithoutLease() bool {
	if f.leaseUnknown {
		return false
	}
	latest := f.latestScheduledJob()
	if latest == nil {
		return false
	}
	if l := f.lease; l != nil && (l.Spec.RenewTime == nil || !latest.CreationTimestamp.Time.After(l.Spec.RenewTime.Add(leaseDuration(l)))) {
		return false
	}
	return f.madeBySteadycron(latest)
}

// latestScheduledJob returns the Job of the CronJob a controller created
// last (not one made by hand), nil if none.
func (f *facts) latestScheduledJob() *batchv1.Job {
	var latest *batchv1.Job
	for i := range f.jobs {
		if j := &f.jobs[i]; !f.isManual(j) && (latest == nil || j.CreationTimestamp.After(latest.CreationTimestamp.Time)) {
			latest = j
		}
	}
	return latest
}

// madeBySteadycron tells whether steadycron created the scheduled Job j: it
// writes steadycron.io/expected-start on every Job it creates for a
// scheduled time, the stock controller never.
func (f *facts) madeBySteadycron(j *batchv1.Job) bool {
	_, ok := f.ownExpectedStart(j)
	return ok
}

// otherControllerSinceLeaseExpired tells whether a Job of the CronJob was
// created, or a CronJob controller recorded a decision about it, after
// steadycron's Lease expired: another controller runs it.
func (f *facts) otherControllerSinceLeaseExpired() bool {
	_, created := f.createdSinceLeaseExpired()
	_, decided := f.decidedSinceLeaseExpired()
	return created || decided
}

// decisionReasons are the reasons of the events a CronJob controller records
// when it decides on a scheduled time of a CronJob or looks at its Jobs:
// steadycron's and the stock controller's.
var decisionReasons = map[string]bool{
	"SuccessfulCreate": true, "SuccessfulDelete": true, "SawCompletedJob": true,
	"JobAlreadyActive": true, "MissSchedule": true, "TooManyMissedTimes": true,
	"UnexpectedJob": true, "FailedCreate": true, "FailedDelete": true,
	"JobNameConflict": true, "AdoptedJob": true, "FutureLastScheduleTime": true,
	"JobCreatedEarly": true,
}

// decidedSinceLeaseExpired returns the latest event of a CronJob
// controller's decision about the CronJob (decisionReasons) seen after
// steadycron's Lease expired: like a Job created since, it shows that some
// other controller runs the CronJob.
func (f *facts) decidedSinceLeaseExpired() (corev1.Event, bool) {
	if f.lease == nil || f.lease.Spec.RenewTime == nil {
		return corev1.Event{}, false
	}
	expired := f.lease.Spec.RenewTime.Add(leaseDuration(f.lease))
	var latest corev1.Event
	found := false
	for _, e := range f.events {
		if decisionReasons[e.Reason] && eventLast(e).After(expired) && (!found || eventLast(e).After(eventLast(latest))) {
			latest, found = e, true
		}
	}
	return latest, found
}

// leaseHeld tells whether a holder has the Lease at now: it has a holder and
// was renewed within its leaseDuration before now.
func leaseHeld(l *coordinationv1.Lease, now time.Time) bool {
	h, r := l.Spec.HolderIdentity, l.Spec.RenewTime
	return h != nil && *h != "" && r != nil && !r.Add(leaseDuration(l)).Before(now)
}

// leaseDuration is a Lease's leaseDurationSeconds, 15 s (leader election's
// default) when unset.
func leaseDuration(l *coordinationv1.Lease) time.Duration {
	if d := l.Spec.LeaseDurationSeconds; d != nil {
		return time.Duration(*d) * time.Second
	}
	return 15 * time.Second
}

// createdSinceLeaseExpired returns the latest creation of a Job of the
// CronJob (a Job left or a SuccessfulCreate event) after steadycron's Lease
// expired: some other controller created it, so the stale Lease does not
// show that no controller ran the CronJob. Manual Jobs are left out: a
// person made them, not a controller.
func (f *facts) createdSinceLeaseExpired() (time.Time, bool) {
	if f.lease == nil || f.lease.Spec.RenewTime == nil {
		return time.Time{}, false
	}
	expired := f.lease.Spec.RenewTime.Add(leaseDuration(f.lease))
	latest := expired
	for i := range f.jobs {
		if c := f.jobs[i].CreationTimestamp.Time; c.After(latest) && !f.isManual(&f.jobs[i]) {
			latest = c
		}
	}
	for _, e := range f.events {
		if e.Reason == "SuccessfulCreate" && eventFirst(e).After(latest) {
			latest = eventFirst(e)
		}
	}
	return latest, latest.After(expired)
}

// leaseLostAt tells whether steadycron's Lease was last renewed before
// scheduled time t, though within its duration of it (so leaseExpiredBefore
// does not say that no controller led at t), and nothing has led since: the
// Lease has a holder but is expired now, no Job of the CronJob was created
// and no CronJob controller recorded a decision about it (decisionReasons)
// since that renewal, status.lastScheduleTime is not later than it, and, with
// startingDeadlineSeconds, the Lease expired before t was past the deadline
// (a holder alive until then could not have skipped t without an event). Its
// holder stopped before it decided on t, and no controller decides now.
func (f *facts) leaseLostAt(t, now time.Time) bool {
	l := f.lease
	if l == nil || l.Spec.RenewTime == nil || l.Spec.HolderIdentity == nil || *l.Spec.HolderIdentity == "" || leaseHeld(l, now) {
		return false
	}
	renewed := l.Spec.RenewTime.Time
	expired := renewed.Add(leaseDuration(l))
	if !renewed.Before(t) || expired.Before(t) {
		return false
	}
	if d := f.cj.Spec.StartingDeadlineSeconds; d != nil && expired.Sub(t) >= time.Duration(*d)*time.Second {
		return false
	}
	if ls := f.cj.Status.LastScheduleTime; ls != nil && ls.Time.After(renewed) {
		return false
	}
	for i := range f.jobs {
		if f.jobs[i].CreationTimestamp.Time.After(renewed) && !f.isManual(&f.jobs[i]) {
			return false
		}
	}
	for _, e := range f.events {
		if decisionReasons[e.Reason] && eventLast(e).After(renewed) {
			return false
		}
	}
	return !f.jobsUnknown && !f.eventsUnknown
}

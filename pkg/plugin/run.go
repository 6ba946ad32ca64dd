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
	"io"
	"time"

	"github.com/spf13/cobra"

	batchv1 "k8s.io/api/batch/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/cli-runtime/pkg/printers"
	"k8s.io/client-go/tools/cache"
	watchtools "k8s.io/client-go/tools/watch"
	"k8s.io/utils/ptr"
)

// Values of run's --dry-run, as kubectl's.
const (
	dryRunNone   = "none"
	dryRunClient = "client"
	dryRunServer = "server"
)

func newRunCommand(o *Options) *cobra.Command {
	var wait, force bool
	var timeout time.Duration
	var dryRun string
	cmd := &cobra.Command{
		Use:   "run NAME [--wait]",
		Short: "Run a CronJob now, honouring its concurrency policy",
		Long: `run creates a Job from the CronJob's template, as kubectl create job --from=cronjob/NAME does
(annotation cronjob.kubernetes.io/instantiate: manual, the CronJob as its controller), but honours
the concurrency policy: with Forbid it refuses while a Job of the CronJob is active, or is being
deleted while still in the CronJob's status.active (--force runs it anyway), with Replace it deletes
the active Jobs first. --wait follows the Job to its end, and says when the Job is suspended
(jobTemplate.spec.suspend, a queue controller's admission). -o json|yaml prints the Job created,
-o name its name; progress lines then go to standard error. --dry-run=server asks the API server
whether it would delete and create (RBAC, quota, admission) without doing it; --dry-run=client
only checks the concurrency policy and prints the Job it would create.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			// Refuse an -o the printers do not know, and flags that do not
			// go together, before creating anything.
			var printer printers.ResourcePrinter
			switch o.Output {
			case "":
			case "name":
				printer = &printers.NamePrinter{}
			default:
				p, err := o.PrintFlags.ToPrinter(o.Output)
				if err != nil {
					return fmt.Errorf("-o %s: %w (or name)", o.Output, err)
				}
				printer = p
			}
			switch {
			case dryRun != dryRunNone && dryRun != dryRunClient && dryRun != dryRunServer:
				return fmt.Errorf(`--dry-run %q: must be "none", "server", or "client"`, dryRun)
			case dryRun != dryRunNone && wait:
				return fmt.Errorf("--wait cannot follow a Job of a --dry-run")
			case timeout < 0:
				return fmt.Errorf("--timeout %s: must be 0 (no limit) or more", timeout)
			}
			job, err := o.run(cmd.Context(), args[0], force, dryRun)
			if err != nil {
				return err
			}
			switch {
			case printer == nil:
				fmt.Fprintf(o.Out, "job.batch/%s created%s\n", runJobName(job), dryRunSuffix(dryRun))
			case o.Output == "name" && job.Name == "":
				// kubectl's name printer says "<unknown>" of a Job that
				// has only generateName (a client dry run's).
				fmt.Fprintf(o.Out, "job.batch/%s\n", runJobName(job))
			default:
				// As kubectl create -o: the Job created, as batch/v1.
				job.SetGroupVersionKind(batchv1.SchemeGroupVersion.WithKind("Job"))
				if err := printer.PrintObj(job, o.Out); err != nil {
					return err
				}
			}
			if !wait {
				return nil
			}
			return o.waitForJob(cmd.Context(), job, timeout)
		},
	}
	cmd.Flags().BoolVar(&wait, "wait", false, "Follow the Job until it completes or fails; exit non-zero if it fails.")
	cmd.Flags().BoolVar(&force, "force", false, "With concurrencyPolicy Forbid, run even while a Job is active.")
	cmd.Flags().DurationVar(&timeout, "timeout", 0, "With --wait, give up after this long (0: no limit).")
	cmd.Flags().StringVar(&dryRun, "dry-run", dryRunNone, `Must be "none", "server", or "client". server: the API server checks the deletes (Replace) and the create without carrying them out; client: only check the concurrency policy and print the Job.`)
	return cmd
}

// generatedName stands for the part of a Job's name that the API server
// generates, in the name of a Job not created (a client dry run's).
const generatedName = "<generated>"

// runJobName is the Job's name, or its generateName followed by
// generatedName when the API server has not named it.
func runJobName(j *batchv1.Job) string {
	if j.Name == "" && j.GenerateName != "" {
		return j.GenerateName + generatedName
	}
	return j.Name
}

// dryRunSuffix is what kubectl adds to its "created" line for a dry run.
func dryRunSuffix(dryRun string) string {
	switch dryRun {
	case dryRunClient:
		return " (dry run)"
	case dryRunServer:
		return " (server dry run)"
	}
	return ""
}

// run creates a Job from CronJob name, honouring its concurrency policy
// unless force; dryRun is run's --dry-run (none, client or server).
func (o *Options) run(ctx context.Context, name string, force bool, dryRun string) (*batchv1.Job, error) {
	cj, err := o.getCronJob(ctx, name)
	if err != nil {
		return nil, err
	}
	client, err := o.client()
	if err != nil {
		return nil, err
	}
	// Only Forbid and Replace look at the active Jobs: under Allow a run
	// needs no more than kubectl create job --from does (get the CronJob,
	// create the Job).
	var active []batchv1.Job
	if (cj.Spec.ConcurrencyPolicy == batchv1.ForbidConcurrent && !force) || cj.Spec.ConcurrencyPolicy == batchv1.ReplaceConcurrent {
		if active, err = o.activeJobs(ctx, cj); err != nil {
			return nil, err
		}
	}
	switch {
	case len(active) == 0:
	case cj.Spec.ConcurrencyPolicy == batchv1.ForbidConcurrent && !force:
		state := "is active"
		if active[0].DeletionTimestamp != nil {
			state = "is being deleted and still in status.active"
		}
		return nil, fmt.Errorf("cronjob %s/%s has concurrencyPolicy Forbid and Job %s %s: not running it beside it (--force to run anyway)", cj.Namespace, cj.Name, active[0].Name, state)
	case cj.Spec.ConcurrencyPolicy == batchv1.ReplaceConcurrent:
		// Ask the API server first whether the new Job would be created
		// (RBAC, quota, admission), so that a refused create never leaves the
		// CronJob with its active Job deleted and nothing running. A client
		// dry run sends no write at all, not even a dry-run one.
		if dryRun != dryRunClient {
			if _, err := client.BatchV1().Jobs(cj.Namespace).Create(ctx, jobFromCronJob(cj), metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}}); err != nil {
				return nil, fmt.Errorf("not replacing the active Jobs of cronjob %s/%s: the new Job would not be created: %w", cj.Namespace, cj.Name, err)
			}
		}
		for _, j := range active {
			if dryRun != dryRunClient {
				err := client.BatchV1().Jobs(cj.Namespace).Delete(ctx, j.Name, metav1.DeleteOptions{PropagationPolicy: ptr.To(metav1.DeletePropagationBackground), DryRun: serverDryRun(dryRun)})
				if err != nil {
					return nil, fmt.Errorf("replacing Job %s: %w", j.Name, err)
				}
			}
			fmt.Fprintf(o.progress(), "job.batch/%s deleted (concurrencyPolicy Replace)%s\n", j.Name, dryRunSuffix(dryRun))
		}
	}
	job := jobFromCronJob(cj)
	if dryRun == dryRunClient {
		return job, nil
	}
	created, err := client.BatchV1().Jobs(cj.Namespace).Create(ctx, job, metav1.CreateOptions{DryRun: serverDryRun(dryRun)})
	if err != nil {
		return nil, fmt.Errorf("creating a Job from cronjob %s/%s: %w", cj.Namespace, cj.Name, err)
	}
	if dryRun == dryRunServer {
		return created, nil
	}
	if dt := cj.DeletionTimestamp; dt != nil {
		// No scheduled time runs: the concurrency policy's warnings are moot.
		fmt.Fprintf(o.ErrOut, "Warning: cronjob %s/%s is being deleted since %s: no scheduled time runs, and Job %s, which it owns, goes with it unless the deletion orphans its Jobs\n", cj.Namespace, cj.Name, dt.UTC().Format(time.RFC3339), created.Name)
		return created, nil
	}
	if ptr.Deref(cj.Spec.Suspend, false) {
		fmt.Fprintf(o.ErrOut, "Warning: cronjob %s/%s is suspended: Job %s runs anyway, and its scheduled times stay suspended\n", cj.Namespace, cj.Name, created.Name)
	}
	suspended := ptr.Deref(cj.Spec.Suspend, false)
	switch cj.Spec.ConcurrencyPolicy {
	case batchv1.ForbidConcurrent:
		// No scheduled time starts while the CronJob is suspended, beside
		// the manual run or after it.
		if suspended {
			break
		}
		if doubt := o.steadycronNotLeading(ctx, cj); doubt != "" {
			fmt.Fprintf(o.ErrOut, "Warning: concurrencyPolicy is Forbid, but %s: the stock CronJob controller does not count Job %s as active (it records UnexpectedJob), so %s starts beside it if it still runs then\n", doubt, created.Name, o.nextTimeText(cj, o.controllerFacts(ctx, cj).stockTimes()))
		} else {
			// Without --force too: no Job was active, and the manual one
			// holds the next time all the same.
			fmt.Fprintf(o.ErrOut, "Warning: concurrencyPolicy is Forbid and steadycron counts Job %s as active: %s does not start while it runs (the controller holds it, and skips it if the Job still runs at the time after it or past startingDeadlineSeconds)\n", created.Name, o.nextTimeText(cj, false))
		}
	case batchv1.ReplaceConcurrent:
		if suspended {
			break
		}
		if doubt := o.steadycronNotLeading(ctx, cj); doubt != "" {
			fmt.Fprintf(o.ErrOut, "Warning: concurrencyPolicy is Replace, but %s: the stock CronJob controller does not count Job %s as active (it records UnexpectedJob), so %s starts beside it, not in its place, if it still runs then\n", doubt, created.Name, o.nextTimeText(cj, o.controllerFacts(ctx, cj).stockTimes()))
		} else {
			fmt.Fprintf(o.ErrOut, "Warning: concurrencyPolicy is Replace and steadycron counts Job %s as active: %s deletes it if it still runs then\n", created.Name, o.nextTimeText(cj, false))
		}
	}
	return created, nil
}

// serverDryRun is the DryRun of a request for run's --dry-run.
func serverDryRun(dryRun string) []string {
	if dryRun == dryRunServer {
		return []string{metav1.DryRunAll}
	}
	return nil
}

// nextTimeText names the first scheduled time the manual run is in the way
// of, in the CronJob's zone and in UTC, as the controller computes it (the
// stock controller's time when stock, facts.stockTimes, else steadycron's):
// the time a Forbid CronJob holds now for the Jobs in status.active, or one
// due now (pendingTime), which would start before the next one; else the
// next scheduled time after now.
func (o *Options) nextTimeText(cj *batchv1.CronJob, stock bool) string {
	sched, err := parseSchedule(cj, o.ControllerTimeZone)
	if err != nil {
		return "the CronJob's next scheduled time"
	}
	sched = sched.asStock(stock)
	now := o.now()
	label, suffix := "the CronJob's next scheduled time", ""
	var st ScheduledTime
	if pending, ok := pendingTime(sched, now); ok {
		st, label = pending, "the CronJob's scheduled time"
		suffix = ", due now,"
		if _, held := heldTime(sched, now); held {
			suffix = ", which Forbid holds until the Jobs in status.active end,"
		}
	} else {
		next := sched.next(now, 1)
		if len(next) == 0 {
			return "the CronJob's next scheduled time"
		}
		st = sched.scheduledTime(next[0], "")
	}
	if st.Time == st.UTC {
		return fmt.Sprintf("%s, %s%s", label, st.Time, suffix)
	}
	return fmt.Sprintf("%s, %s (%s)%s", label, st.Time, st.UTC, suffix)
}

// steadycronNotLeading says why steadycron may not be the controller of the
// cluster's CronJobs: its Lease (--lease-namespace, --lease-name) is not
// found, could not be read, or is not held now (no holder, or not renewed
// within its leaseDurationSeconds). It is empty when steadycron leads, which
// counts a manual Job as active for Forbid (the stock controller does not),
// and when the Lease is not found but cj's latest scheduled Job has
// steadycron.io/expected-start: steadycron runs without leader election.
func (o *Options) steadycronNotLeading(ctx context.Context, cj *batchv1.CronJob) string {
	client, err := o.client()
	if err != nil {
		return fmt.Sprintf("steadycron's Lease could not be read (%v)", err)
	}
	lease, err := client.CoordinationV1().Leases(o.LeaseNamespace).Get(ctx, o.LeaseName, metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
		if jobs, err := controlledJobs(ctx, client, cj); err == nil && (&facts{cj: cj, jobs: jobs}).steadycronWithoutLease() {
			return ""
		}
		return fmt.Sprintf("steadycron's Lease %s/%s is not found (steadycron is not running here)", o.LeaseNamespace, o.LeaseName)
	case err != nil:
		return fmt.Sprintf("steadycron's Lease %s/%s could not be read (%v), so whether steadycron runs the CronJob is not known", o.LeaseNamespace, o.LeaseName, err)
	case !leaseHeld(lease, o.now()):
		if jobs, err := controlledJobs(ctx, client, cj); err == nil && (&facts{cj: cj, jobs: jobs, lease: lease}).steadycronWithoutLease() {
			return ""
		}
		return fmt.Sprintf("no steadycron controller holds its Lease %s/%s now", o.LeaseNamespace, o.LeaseName)
	}
	return ""
}

// progress is where run writes its progress lines: standard output, or
// standard error when -o prints the Job.
func (o *Options) progress() io.Writer {
	if o.Output != "" {
		return o.ErrOut
	}
	return o.Out
}

// activeJobs returns the unfinished Jobs the CronJob controls, whether or not
// they are in its status.active yet. A Job being deleted counts while it is
// still in status.active, as the controller's Forbid check sees it (a
// foreground deletion keeps it there while its pods stop).
func (o *Options) activeJobs(ctx context.Context, cj *batchv1.CronJob) ([]batchv1.Job, error) {
	client, err := o.client()
	if err != nil {
		return nil, err
	}
	jobs, err := controlledJobs(ctx, client, cj)
	if err != nil {
		return nil, fmt.Errorf("listing the Jobs of cronjob %s/%s: %w", cj.Namespace, cj.Name, err)
	}
	var active []batchv1.Job
	for _, j := range jobs {
		if j.DeletionTimestamp != nil && !inActive(cj, &j) {
			continue
		}
		if _, done := jobFinished(&j); !done {
			active = append(active, j)
		}
	}
	return active, nil
}

// inActive tells whether j is in the CronJob's status.active.
func inActive(cj *batchv1.CronJob, j *batchv1.Job) bool {
	for _, a := range cj.Status.Active {
		if a.UID == j.UID {
			return true
		}
	}
	return false
}

// jobFromCronJob builds the Job kubectl create job --from=cronjob/NAME builds,
// with a generated name. Its owner reference leaves blockOwnerDeletion unset,
// as kubectl's does: setting it needs update on cronjobs/finalizers where the
// OwnerReferencesPermissionEnforcement admission plugin is enabled.
func jobFromCronJob(cj *batchv1.CronJob) *batchv1.Job {
	annotations := map[string]string{instantiateAnnotation: "manual"}
	for k, v := range cj.Spec.JobTemplate.Annotations {
		annotations[k] = v
	}
	prefix := cj.Name
	if len(prefix) > legacyNameLength {
		prefix = prefix[:legacyNameLength]
	}
	return &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{
			GenerateName: prefix + "-",
			Namespace:    cj.Namespace,
			Labels:       cj.Spec.JobTemplate.Labels,
			Annotations:  annotations,
			OwnerReferences: []metav1.OwnerReference{{
				APIVersion: batchv1.SchemeGroupVersion.String(),
				Kind:       "CronJob",
				Name:       cj.Name,
				UID:        cj.UID,
				Controller: ptr.To(true),
			}},
		},
		Spec: cj.Spec.JobTemplate.Spec,
	}
}

// suspendedJobText ends the progress line of a suspended Job.
const suspendedJobText = "; suspended (spec.suspend is true): it starts no pod until something resumes it, such as a queue controller admitting it"

// waitForJob prints a progress line on every change of the Job until it
// completes (nil) or fails (an error). A suspended Job (spec.suspend true)
// starts no pod until something resumes it: the line says so, and so does
// the error when the timeout ends the wait while it is.
func (o *Options) waitForJob(ctx context.Context, job *batchv1.Job, timeout time.Duration) error {
	client, err := o.client()
	if err != nil {
		return err
	}
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	// A list or watch refused for the user's permissions ends the wait at
	// once with the API server's error: the informer would retry it until
	// the timeout, or forever.
	selector := fields.OneTermEqualSelector("metadata.name", job.Name).String()
	// The informer's first request may be a watch that streams the list
	// (WatchListClient); one plain list first tells a refusal at once.
	if _, err := client.BatchV1().Jobs(job.Namespace).List(ctx, metav1.ListOptions{FieldSelector: selector, Limit: 1}); apierrors.IsForbidden(err) || apierrors.IsUnauthorized(err) {
		return refusedWait(job, err)
	}
	ctx, refuse := context.WithCancelCause(ctx)
	defer refuse(nil)
	lw := &watchListerWatcher{client: client, namespace: job.Namespace, selector: selector, refused: refuse}
	out := o.progress()
	last, suspended := "", job.Spec.Suspend != nil && *job.Spec.Suspend
	if suspended {
		// Said at once: the Job as created is suspended.
		last = fmt.Sprintf("job %s: 0 active, 0 succeeded, 0 failed%s", job.Name, suspendedJobText)
		fmt.Fprintln(out, last)
	}
	// A Job gone before the first list (deleted by a user, a TTL of 0, a
	// Replace) sends no event: the wait ends at once rather than never.
	gone := func(store cache.Store) (bool, error) {
		if _, exists, err := store.GetByKey(job.Namespace + "/" + job.Name); err != nil || exists {
			return false, err
		}
		return false, fmt.Errorf("job %s is gone: it was deleted before the wait first listed it", job.Name)
	}
	_, err = watchtools.UntilWithSync(ctx, lw, &batchv1.Job{}, gone, func(e watch.Event) (bool, error) {
		j, ok := e.Object.(*batchv1.Job)
		if !ok {
			return false, nil
		}
		if e.Type == watch.Deleted {
			return false, fmt.Errorf("job %s was deleted", j.Name)
		}
		line := fmt.Sprintf("job %s: %d active, %d succeeded, %d failed", j.Name, j.Status.Active, j.Status.Succeeded, j.Status.Failed)
		suspended = j.Spec.Suspend != nil && *j.Spec.Suspend
		if suspended {
			line += suspendedJobText
		}
		if line != last {
			fmt.Fprintln(out, line)
			last = line
		}
		if _, done := jobFinished(j); done {
			if result := jobResult(j); result != "Complete" {
				return true, fmt.Errorf("job %s: %s", j.Name, result)
			}
			fmt.Fprintf(out, "job %s complete\n", j.Name)
			return true, nil
		}
		return false, nil
	})
	if cause := context.Cause(ctx); err != nil && (apierrors.IsForbidden(cause) || apierrors.IsUnauthorized(cause)) {
		return refusedWait(job, cause)
	}
	if err != nil && suspended {
		return fmt.Errorf("waiting for job %s, still suspended (spec.suspend is true): %w", job.Name, err)
	}
	if err != nil {
		return fmt.Errorf("waiting for job %s: %w", job.Name, err)
	}
	return nil
}

// refusedWait is the error of a wait whose list or watch of Jobs the API
// server refused for the user's permissions.
func refusedWait(job *batchv1.Job, err error) error {
	return fmt.Errorf("waiting for job %s (--wait needs list and watch on jobs in %s): %w", job.Name, job.Namespace, err)
}

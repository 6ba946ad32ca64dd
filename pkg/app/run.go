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

package app

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"sync"
	"time"

	"github.com/google/uuid"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	apiserver "k8s.io/apiserver/pkg/server"
	"k8s.io/apiserver/pkg/server/healthz"
	clientset "k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/leaderelection"
	"k8s.io/client-go/tools/leaderelection/resourcelock"
	"k8s.io/klog/v2"

	"github.com/steadycron/steadycron/pkg/caches"
	"github.com/steadycron/steadycron/pkg/controller/cronjob"
	cronjobmetrics "github.com/steadycron/steadycron/pkg/controller/cronjob/metrics"
	"github.com/steadycron/steadycron/pkg/controller/jobtracker"
	"github.com/steadycron/steadycron/pkg/version"
)

// leaderHealthzTimeout is how long past its lease expiry a leader that failed
// to renew still reports healthy; kcm uses the same value.
const leaderHealthzTimeout = 20 * time.Second

// Run waits for the API server, starts serving, and runs the controllers,
// under leader election unless it is disabled. It returns nil when ctx is
// cancelled (SIGTERM), after the controllers stopped and the lease was
// released.
func Run(ctx context.Context, c *Config) error {
	defer c.Close()
	logger := klog.FromContext(ctx)
	logger.Info("Starting", "version", version.String(), "leaderElect", c.LeaderElection.LeaderElect)

	if err := waitForAPIServer(ctx, clientset.NewForConfigOrDie(c.clientConfig(ComponentName)), time.Second); err != nil {
		logger.Info("Stopped before the API server answered", "reason", err)
		return nil
	}

	var authn apiserver.AuthenticationInfo
	var authz apiserver.AuthorizationInfo
	if c.SecureServing != nil {
		if err := c.Authentication.ApplyTo(&authn, c.SecureServing, nil); err != nil {
			return fmt.Errorf("delegated authentication: %w", err)
		}
		if err := c.Authorization.ApplyTo(&authz); err != nil {
			return fmt.Errorf("delegated authorization: %w", err)
		}
	}

	synced := &syncCheck{}
	healthChecks := []healthz.HealthChecker{healthz.PingHealthz}
	var electionChecker *leaderelection.HealthzAdaptor
	if c.LeaderElection.LeaderElect {
		electionChecker = leaderelection.NewLeaderHealthzAdaptor(leaderHealthzTimeout)
		healthChecks = append(healthChecks, electionChecker)
	}
	readyChecks := []healthz.HealthChecker{healthz.PingHealthz, synced}
	if err := serve(ctx, c, newHandler(c, healthChecks, readyChecks), &authn, &authz); err != nil {
		return err
	}

	run := func(ctx context.Context, previous takeover) []cronjob.PendingSkip {
		synced.starting()
		if c.LeaderElection.LeaderElect {
			// A Deployment's rolling update should replace the standby first.
			go markOwnPodAsLeader(ctx, clientset.NewForConfigOrDie(c.clientConfig("leader-election")), os.Getenv)
		}
		pending, err := runControllers(ctx, c, synced, previous)
		if err != nil {
			klog.FromContext(ctx).Error(err, "Controllers failed")
			klog.FlushAndExit(klog.ExitFlushTimeout, 1)
		}
		return pending
	}
	if !c.LeaderElection.LeaderElect {
		run(ctx, takeover{})
		return nil
	}
	return leaderElectAndRun(ctx, c, electionChecker, run)
}

// waitForAPIServer blocks until the API server answers /healthz, logging every
// failure with a backoff from delay doubling up to 30s, so a controller started before its API
// server (or pointed at a wrong one) says why it waits and never crashes. It
// returns an error only when ctx is cancelled.
func waitForAPIServer(ctx context.Context, client clientset.Interface, delay time.Duration) error {
	logger := klog.FromContext(ctx)
	for {
		reqCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		_, err := client.Discovery().RESTClient().Get().AbsPath("/healthz").DoRaw(reqCtx)
		cancel()
		if err == nil {
			return nil
		}
		logger.Error(err, "Waiting for the API server", "host", client.Discovery().RESTClient().Get().URL().Host, "retryIn", delay)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(delay):
		}
		delay = min(2*delay, 30*time.Second)
	}
}

func leaderElectAndRun(ctx context.Context, c *Config, checker *leaderelection.HealthzAdaptor, run func(context.Context, takeover) []cronjob.PendingSkip) error {
	hostname, err := os.Hostname()
	if err != nil {
		return fmt.Errorf("getting hostname for the leader election identity: %w", err)
	}
	// The suffix keeps two processes on one host (a sidecar restarted while
	// its old container is still terminating) from sharing an identity.
	identity := hostname + "_" + uuid.NewString()

	client := clientset.NewForConfigOrDie(c.clientConfig("leader-election"))
	lock, err := resourcelock.New(c.LeaderElection.ResourceLock,
		c.LeaderElection.ResourceNamespace, c.LeaderElection.ResourceName,
		client.CoreV1(), client.CoordinationV1(),
		resourcelock.ResourceLockConfig{Identity: identity})
	if err != nil {
		return fmt.Errorf("creating the leader election lock: %w", err)
	}

	return leadAndRun(ctx, leaderelection.LeaderElectionConfig{
		Lock:          lock,
		LeaseDuration: c.LeaderElection.LeaseDuration.Duration,
		RenewDeadline: c.LeaderElection.RenewDeadline.Duration,
		RetryPeriod:   c.LeaderElection.RetryPeriod.Duration,
		WatchDog:      checker,
		Name:          ComponentName,
	}, newHandoverStore(client.CoreV1().ConfigMaps(c.LeaderElection.ResourceNamespace), c.LeaderElection.ResourceName), run)
}

// leadAndRun runs run while this process holds the lease of config.Lock.
//
// When ctx ends (SIGTERM), run's context is cancelled first, and the lease is
// released only once run has returned: the controllers stop creating Jobs and
// write the statuses they decided on while this process still holds the lease,
// so the next leader neither runs beside them nor starts from older statuses.
// When the lease is lost while running, the process exits at once, as kcm does:
// another replica may already be creating Jobs. The release is leadAndRun's,
// not client-go's (ReleaseOnCancel): client-go releases after its renewals
// failed too, before it stops the controllers, and decides that it still
// holds the lease from its own last record, so its release can overwrite the
// record of the replica that acquired the lease meanwhile (tryRelease).
//
// run is given what the lease says of the previous holder (see takeover),
// and the tentative skips that holder had not counted when it stopped, if it
// stopped gracefully and handed them over through handover (nil: none).
// run returns the skips its CronJob controller had not counted: after a
// graceful stop (ctx ended, the lease still held) they are written to
// handover before the lease is released.
func leadAndRun(ctx context.Context, config leaderelection.LeaderElectionConfig, handover *handoverStore, run func(context.Context, takeover) []cronjob.PendingSkip) error {
	logger := klog.FromContext(ctx)
	lease := config.Lock.Describe()
	previous := &previousHolder{Interface: config.Lock}
	config.Lock = previous
	// The elector works on a context of its own, which ends only once run has
	// returned (or was never started); the lease is released after it.
	electionCtx, stopElecting := context.WithCancel(context.WithoutCancel(ctx))
	defer stopElecting()
	stopped := make(chan struct{})
	config.ReleaseOnCancel = false
	config.Callbacks = leaderelection.LeaderCallbacks{
		OnStartedLeading: func(leaderCtx context.Context) {
			defer close(stopped)
			runCtx, cancel := context.WithCancel(leaderCtx)
			defer cancel()
			defer context.AfterFunc(ctx, cancel)()
			now := time.Now()
			record := previous.record()
			leads := 2*config.RenewDeadline + config.RetryPeriod
			t := previous.takeover(now, leads)
			if t.clockAhead {
				logger.Info("The previous leader's last renewal of the lease is later than this process's clock: taking over from now", "lease", lease, "renewTime", record.RenewTime.Time, "now", now)
			}
			logger.Info("Started leading", "lease", lease, "previousLeaderLastRenewal", t.since, "previousLeaderEnded", t.ended)
			if handover != nil {
				// A leader with this process's flags may lead that long
				// after its last renewal.
				t.pendingSkips, t.predecessorTookOver, t.handedOver = handover.take(leaderCtx, record, now, max(leads, 3*config.LeaseDuration))
			}
			pending := run(runCtx, t)
			// Only a graceful stop hands over, while this process still
			// holds the lease (leaderCtx ends when it is lost); the lease
			// is released once this callback returned.
			if handover != nil && ctx.Err() != nil && leaderCtx.Err() == nil {
				if own, ok := previous.own(); ok {
					// The creates of the leaders before this one may land
					// until a minute after it took over. After a whole
					// handover, the previous leader's own creates had all
					// returned (those that may still land were handed
					// over, and are handed on): only the ones before it
					// count, which may land until a minute after the time
					// it handed over (review h15k: two quick handovers of
					// a rollout made the third leader wait for nothing).
					tookOver := t.ended
					if tookOver.IsZero() {
						tookOver = now
					}
					if t.handedOver && !t.predecessorTookOver.IsZero() {
						tookOver = t.predecessorTookOver
					}
					handover.put(leaderCtx, config.Lock.Identity(), own, tookOver, pending)
				}
			}
		},
		OnStoppedLeading: func() {
			select {
			case <-ctx.Done():
			default:
				// Losing the lease while running means another replica may
				// already be creating Jobs: stop at once, as kcm does.
				logger.Error(nil, "Leader election lost", "lease", lease)
				klog.FlushAndExit(klog.ExitFlushTimeout, 1)
			}
		},
		OnNewLeader: func(id string) {
			if id != config.Lock.Identity() {
				logger.Info("New leader elected", "identity", id)
			}
		},
	}
	le, err := leaderelection.NewLeaderElector(config)
	if err != nil {
		return fmt.Errorf("configuring leader election: %w", err)
	}
	go func() {
		<-ctx.Done()
		if le.IsLeader() {
			<-stopped
		}
		stopElecting()
	}()
	le.Run(electionCtx)
	// A graceful stop: run has returned (or never started).
	releaseCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), min(config.RenewDeadline, releaseTimeout))
	defer cancel()
	switch released, err := releaseLease(releaseCtx, previous); {
	case err != nil:
		logger.Error(err, "Could not release the lease; the next leader acquires it once it expires", "lease", lease)
	case released:
		logger.Info("Released the lease on shutdown", "lease", lease)
	}
	return nil
}

// releaseTimeout bounds the release of the lease at a graceful stop, which
// comes after the status writes (10 s at most), the events (10 s) and the
// handover record (handoverTimeout, 5 s): together within the default 30 s
// terminationGracePeriodSeconds. A release that does not land in time leaves
// the lease to expire.
const releaseTimeout = 3 * time.Second

// releaseLease writes lock's record as released (no holder, as client-go's
// release writes it) if this process holds the lease by the record it reads
// now. The update carries that record's resource version, so a replica that
// acquires the lease meanwhile makes it fail with a conflict.
func releaseLease(ctx context.Context, lock resourcelock.Interface) (bool, error) {
	record, _, err := lock.Get(ctx)
	if err != nil {
		return false, fmt.Errorf("reading the lease: %w", err)
	}
	if record.HolderIdentity != lock.Identity() {
		return false, nil
	}
	now := metav1.NewTime(time.Now())
	err = lock.Update(ctx, resourcelock.LeaderElectionRecord{
		LeaderTransitions:    record.LeaderTransitions,
		LeaseDurationSeconds: 1,
		RenewTime:            now,
		AcquireTime:          now,
	})
	if err != nil {
		return false, fmt.Errorf("releasing the lease: %w", err)
	}
	return true, nil
}

// previousHolder is a leader election lock that remembers the last record of
// the lease written by another process that the elector read, and the last
// record this process wrote as the holder.
type previousHolder struct {
	resourcelock.Interface
	mu       sync.Mutex
	previous *resourcelock.LeaderElectionRecord
	written  *resourcelock.LeaderElectionRecord
}

func (l *previousHolder) Get(ctx context.Context) (*resourcelock.LeaderElectionRecord, []byte, error) {
	record, raw, err := l.Interface.Get(ctx)
	if err == nil && record.HolderIdentity != l.Identity() {
		l.mu.Lock()
		previous := *record
		l.previous = &previous
		l.mu.Unlock()
	}
	return record, raw, err
}

func (l *previousHolder) Create(ctx context.Context, record resourcelock.LeaderElectionRecord) error {
	err := l.Interface.Create(ctx, record)
	l.wrote(record, err)
	return err
}

func (l *previousHolder) Update(ctx context.Context, record resourcelock.LeaderElectionRecord) error {
	err := l.Interface.Update(ctx, record)
	l.wrote(record, err)
	return err
}

func (l *previousHolder) wrote(record resourcelock.LeaderElectionRecord, err error) {
	if err != nil || record.HolderIdentity != l.Identity() {
		return
	}
	l.mu.Lock()
	l.written = &record
	l.mu.Unlock()
}

// own is the last record this process wrote as the holder of the lease.
func (l *previousHolder) own() (resourcelock.LeaderElectionRecord, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.written == nil {
		return resourcelock.LeaderElectionRecord{}, false
	}
	return *l.written, true
}

// record is the last record of another process that the elector read, the
// zero record if none.
func (l *previousHolder) record() resourcelock.LeaderElectionRecord {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.previous == nil {
		return resourcelock.LeaderElectionRecord{}
	}
	return *l.previous
}

// takeover is what a new leader knows of the one before it, from the lease.
type takeover struct {
	// since is the previous holder's last renewal of the lease (its
	// release, after a graceful stop), nobodyCounted if nobody held it: the
	// CronJob controller counts the scheduling decisions of the scheduled
	// times due from then on (cronjob.Options.DecisionsSince), the job
	// tracker what happened after its second. Zero: the controllers' start.
	since time.Time
	// ended is the latest time the previous holder may have sent a request
	// (cronjob.Options.PredecessorEnded): its release, or, when the lease
	// expired, its last renewal plus the time a leader whose renewals fail
	// still leads: client-go's leader election starts the renew deadline a
	// retry period after the last renewal returned, which may have taken up
	// to a renew deadline, so twice the renew deadline and the retry period
	// of this process's flags, or three times the lease duration that the
	// previous holder wrote if longer (its flags may differ: client-go
	// requires a renew deadline below the lease duration, and a retry
	// period below the renew deadline). Zero if nobody held the lease.
	ended time.Time
	// clockAhead: the last renewal was later than now, written by a clock
	// ahead of this process's, and is taken to be now.
	clockAhead bool
	// pendingSkips are the tentative skips the previous holder had not
	// counted when it stopped gracefully (cronjob.Options.PendingSkips),
	// read from the handover ConfigMap; handedOver says it left that record
	// (cronjob.Options.PredecessorHandedOver), and predecessorTookOver when
	// it had taken over (cronjob.Options.PredecessorTookOver).
	pendingSkips        []cronjob.PendingSkip
	handedOver          bool
	predecessorTookOver time.Time
}

// takeover returns the takeover at now, when this process acquired the lease;
// leads is how long a leader with this process's flags may lead after its last
// renewal (see takeover.ended).
// A record with a holder but no renewal time (written by hand, or by another
// tool) counts from its acquire time, or, without one, from now: nothing shows
// that its holder stopped earlier.
func (l *previousHolder) takeover(now time.Time, leads time.Duration) takeover {
	r := l.record()
	last := r.RenewTime.Time
	if last.IsZero() {
		last = r.AcquireTime.Time
	}
	switch {
	case last.IsZero() && r.HolderIdentity == "":
		return takeover{since: nobodyCounted}
	case last.IsZero():
		last = now
	}
	t := takeover{since: last, ended: last}
	if last.After(now) {
		t = takeover{since: now, ended: now, clockAhead: true}
	}
	if r.HolderIdentity != "" {
		// Not released: the holder may have led until its renew deadline.
		t.ended = t.ended.Add(max(leads, 3*time.Duration(r.LeaseDurationSeconds)*time.Second))
	}
	return t
}

// nobodyCounted is the DecisionsSince of a leader that no other process
// preceded: every scheduled time it finds is its to count.
var nobodyCounted = time.Unix(0, 0).UTC()

// runControllers runs the CronJob controller and the job tracker until ctx is
// done. They share the Job and CronJob informers (Jobs cached without their
// managedFields, caches.TrimJob). The informers are created here, so a
// replica that never leads holds no cache.
//
// previous is what the lease said of the previous leader (see takeover). It
// returns the tentative skips the CronJob controller had not counted when it
// stopped (cronjob.ControllerV2.PendingSkips), for the next leader.
func runControllers(ctx context.Context, c *Config, synced *syncCheck, previous takeover) ([]cronjob.PendingSkip, error) {
	factory := caches.NewSharedInformerFactory(
		clientset.NewForConfigOrDie(c.clientConfig("shared-informers")),
		resyncPeriod(c.MinResyncPeriod))
	jobs := factory.Batch().V1().Jobs()
	cronJobs := factory.Batch().V1().CronJobs()

	cronjobmetrics.SetPerCronJobLabels(c.MetricsPerCronJob)
	// Events get a client, and so a rate limiter, of their own: recorded
	// after each Job creation, they would otherwise take the tokens of the
	// next creations.
	cj, err := cronjob.NewControllerV2WithOptions(ctx, jobs, cronJobs,
		clientset.NewForConfigOrDie(c.clientConfig(ComponentName)),
		cronjob.Options{
			EventClient:           clientset.NewForConfigOrDie(c.clientConfig(ComponentName + "-events")),
			DeferStatusUpdates:    c.CreateJobsFirst,
			DeferEvents:           c.CreateJobsFirst,
			DecisionsSince:        previous.since,
			PredecessorEnded:      previous.ended,
			PendingSkips:          previous.pendingSkips,
			PredecessorHandedOver: previous.handedOver,
			PredecessorTookOver:   previous.predecessorTookOver,
		})
	if err != nil {
		return nil, fmt.Errorf("creating the CronJob controller: %w", err)
	}
	tracker, err := jobtracker.New(ctx, jobs, cronJobs,
		clientset.NewForConfigOrDie(c.clientConfig(jobtracker.ComponentName)),
		jobtracker.Options{
			PerCronJobLabels:    c.MetricsPerCronJob,
			ResyncPeriod:        resyncPeriod(c.MinResyncPeriod),
			PreviousLeaderUntil: previous.since,
		})
	if err != nil {
		return nil, fmt.Errorf("creating the job tracker: %w", err)
	}
	synced.track([]cache.InformerSynced{jobs.Informer().HasSynced, cronJobs.Informer().HasSynced, tracker.HasSynced})
	defer synced.track(nil)

	factory.Start(ctx.Done())
	defer factory.Shutdown()
	var wg sync.WaitGroup
	wg.Go(func() { tracker.Run(ctx, int(c.ConcurrentJobTrackerSyncs)) })
	cj.Run(ctx, int(c.ConcurrentCronJobSyncs))
	wg.Wait()
	return cj.PendingSkips(), nil
}

// resyncPeriod is random in [min, 2*min), so informers of many replicas or
// restarts do not resync in lockstep; kcm does the same.
func resyncPeriod(minPeriod time.Duration) time.Duration {
	return minPeriod + time.Duration(rand.Int64N(int64(minPeriod)))
}

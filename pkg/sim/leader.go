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

package sim

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"sync"
	"sync/atomic"
	"testing/synctest"
	"time"
	_ "unsafe" // go:linkname

	"github.com/go-logr/logr"
	"github.com/go-logr/logr/funcr"
	batchv1 "k8s.io/api/batch/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/informers"
	batchv1informers "k8s.io/client-go/informers/batch/v1"
	"k8s.io/client-go/kubernetes/fake"
	batchv1listers "k8s.io/client-go/listers/batch/v1"
	clienttesting "k8s.io/client-go/testing"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/klog/v2"

	"github.com/steadycron/steadycron/pkg/controller/cronjob"
	"github.com/steadycron/steadycron/pkg/controller/jobtracker"
)

// faultKind is what an injected API fault does.
type faultKind string

const (
	// faultConflict answers 409 without doing anything.
	faultConflict faultKind = "conflict"
	// faultError answers 500 without doing anything.
	faultError faultKind = "error"
	// faultTimeout does the request and answers a client timeout: the
	// client does not know that it succeeded.
	faultTimeout faultKind = "timeout-after-success"
	// faultLateCommit (Job creates only) answers a client timeout at once
	// and has the API server carry the create out later: delay after the
	// failure (under kube-apiserver's default --request-timeout of a
	// minute), or, with afterGet, right after the next GET of the Job's
	// name found nothing, if that comes first. The client's GET right after
	// the failure finds no Job, and the Job appears afterwards.
	faultLateCommit faultKind = "timeout-commits-late"
)

// fault fails the next count requests of verb on resource (and subresource).
type fault struct {
	kind                        faultKind
	verb, resource, subresource string
	count                       int
	// delay and afterGet: when a faultLateCommit's create is carried out.
	delay    time.Duration
	afterGet bool
}

func (f fault) String() string {
	r := f.resource
	if f.subresource != "" {
		r += "/" + f.subresource
	}
	s := fmt.Sprintf("%s on the next %d %s %s", f.kind, f.count, f.verb, r)
	if f.kind == faultLateCommit {
		s += fmt.Sprintf(" (committed %s after the failure", f.delay)
		if f.afterGet {
			s += ", or right after the next GET of the Job finds nothing"
		}
		s += ")"
	}
	return s
}

// leader is one controller process that holds the lease: its own clientset,
// informers and controller, over the shared API server and clock. The
// controller's Run starts with no workers: the simulation takes the workers'
// place and processes one queued item at a time (step), so that nothing in a
// run depends on how goroutines are scheduled.
type leader struct {
	id string
	w  *world
	jm *cronjob.ControllerV2
	// ctx is the workers' context: a graceful stop or a crash cancels it,
	// after which no further item is processed (the item in progress
	// finishes, as with Run's workers). runCtx is Run's: the simulation
	// cancels it once the workers are done, and Run then writes the pending
	// statuses and returns, as it does after its workers returned.
	ctx, runCtx       context.Context
	cancel, runCancel context.CancelFunc
	stopCh            chan struct{}
	done              chan struct{}
	informers         []cache.SharedIndexInformer
	queues            map[string]*queueStats
	// tracker is the process's job tracker, over the same informers, with
	// its own clientset and pod informer (as pkg/app runs it); trackerCtx
	// carries the logger that hands its observations to the world, and
	// trackerDone is closed when its Run returned.
	tracker     *jobtracker.Controller
	trackerCtx  context.Context
	trackerDone chan struct{}

	mu sync.Mutex
	// dead: the process is gone, its requests fail and do nothing.
	dead bool
	// killed: its stop counted as a kill (world.kills): it was dead when
	// it was reaped. A process that crashes while a graceful stop drains
	// released the lease, and is not.
	killed bool
	// stopping: its context was cancelled (graceful stop).
	stopping bool
	// handedOver: it stopped gracefully and handed the tentative skips it
	// had not counted to the next leader (patch 0023; world.handedOver).
	handedOver bool
	// received are the tentative skips its predecessor handed over to it
	// (patch 0023, Options.PendingSkips): their scheduled times by CronJob
	// UID. It holds them pending as its own until a later time supersedes
	// them; a kill loses them (tookOver).
	received map[types.UID][]time.Time
	// predecessorTookOver is the PredecessorTookOver of a graceful
	// handover to this leader (zero after a kill or without a predecessor).
	predecessorTookOver time.Time
	// releasedAt is the next leader's DecisionsSince: its release of the
	// Lease after a graceful stop (a microsecond after its stop when it
	// synced at that instant), its last renewal when it was killed; zero
	// while it leads (stopLeader).
	releasedAt time.Time
	faults     []fault
	// crashAfter > 0: the process dies right after its crashAfter-th
	// write from now (the write takes effect, the answer is lost).
	crashAfter int
	// stopAfter > 0: the process is told to stop (graceful, the sync in
	// progress drains) right after its stopAfter-th write from now.
	stopAfter int
	watches   []*proxyWatch
	// syncing: a sync item is in progress (step). syncKey is the CronJob
	// the sync read first from its lister (the item's key), readFailed
	// whether a GET of the leader failed meanwhile (an injected fault),
	// read whether it sent a GET or a create yet, cut whether the process
	// died during it before either (a crash right after one of its first
	// writes, a history limit's delete: every request after it fails).
	syncing    bool
	syncKey    string
	readFailed bool
	read       bool
	cut        bool
	// syncs are the leader's sync items, by CronJob key (syncReadFailures).
	syncs map[string][]syncRec
	// uncertainCreates are, by CronJob key, when the leader's Job creates
	// failed with an error that does not say whether the API server
	// carried them out (a timeout, a 5xx status: patch 0014's uncertain
	// create, which the controller waits up to a minute for).
	uncertainCreates map[string][]uncertainCreate
	// delivered are the Jobs the leader's Job informer delivered (added,
	// updated or deleted, a tombstone included), by UID: when it first did.
	delivered map[types.UID]time.Time
	// waitedForPredecessor are the CronJobs (namespace/name) whose syncs
	// waited for creates of the leader's predecessor (controllerSink).
	waitedForPredecessor map[string]bool
	// since is the DecisionsSince the leader was given: its predecessor's
	// last renewal or release of the Lease. Its wait for the predecessor's
	// creates ends createSettle after it (patch 0014, 0022).
	since time.Time
}

// predecessorWaitMessage is what the controller logs when a sync waits for
// creates of the process that led before it (patch 0014).
const predecessorWaitMessage = "Waiting while a create of the previous controller may still be carried out"

// controllerSink is the logr sink of one leader's controller: it records the
// CronJobs whose syncs waited for the predecessor's creates, and passes every
// line on to traced, if set (TraceLogV).
type controllerSink struct {
	l      *leader
	traced logr.LogSink
}

func (s controllerSink) Init(logr.RuntimeInfo) {}
func (s controllerSink) Enabled(level int) bool {
	return level <= 2 || (s.traced != nil && s.traced.Enabled(level))
}
func (s controllerSink) Error(err error, msg string, kv ...any) {
	if s.traced != nil {
		s.traced.Error(err, msg, kv...)
	}
}
func (s controllerSink) WithValues(kv ...any) logr.LogSink {
	if s.traced != nil {
		s.traced = s.traced.WithValues(kv...)
	}
	return s
}
func (s controllerSink) WithName(name string) logr.LogSink {
	if s.traced != nil {
		s.traced = s.traced.WithName(name)
	}
	return s
}

func (s controllerSink) Info(level int, msg string, kv ...any) {
	if msg == predecessorWaitMessage {
		for i := 0; i+1 < len(kv); i += 2 {
			if ref, ok := kv[i+1].(klog.ObjectRef); ok && kv[i] == "cronjob" {
				s.l.mu.Lock()
				if s.l.waitedForPredecessor == nil {
					s.l.waitedForPredecessor = map[string]bool{}
				}
				s.l.waitedForPredecessor[ref.Namespace+"/"+ref.Name] = true
				s.l.mu.Unlock()
			}
		}
	}
	if s.traced != nil && s.traced.Enabled(level) {
		s.traced.Info(level, msg, kv...)
	}
}

// uncertainCreate is a Job create that failed with an error that does not
// say whether the API server carried it out: when, and the Job's name.
type uncertainCreate struct {
	at   time.Time
	name string
}

// syncRec is one sync item of a CronJob: when, and whether a GET failed in
// it. Every GET of a sync (the API server's copy of the CronJob, an active
// Job, the Job of a create that may have landed) comes before it looks at
// the scheduled times, and its failure ends the sync.
type syncRec struct {
	at         time.Time
	readFailed bool
	// cut: the process died during the sync, right after one of its
	// writes and before any GET or create of it: it got no further than a
	// sync whose reads failed.
	cut bool
}

// The workers' loop bodies of the controller: the simulation calls them
// itself rather than running workers. Both take one item of their queue;
// they are called only when it holds one (Get would block otherwise).
//
//go:linkname processNextWorkItem github.com/steadycron/steadycron/pkg/controller/cronjob.(*ControllerV2).processNextWorkItem
func processNextWorkItem(jm *cronjob.ControllerV2, ctx context.Context) bool

//go:linkname processNextStatusWrite github.com/steadycron/steadycron/pkg/controller/cronjob.(*ControllerV2).processNextStatusWrite
func processNextStatusWrite(jm *cronjob.ControllerV2, ctx context.Context) bool

// trackerProcessNextWorkItem is the job tracker's worker loop body.
//
//go:linkname trackerProcessNextWorkItem github.com/steadycron/steadycron/pkg/controller/jobtracker.(*Controller).processNextWorkItem
func trackerProcessNextWorkItem(c *jobtracker.Controller, ctx context.Context) bool

// queueStats follows a work queue through workqueue's metrics: depth is
// the number of items waiting to be processed.
type queueStats struct {
	depth atomic.Int64
}

// step processes one queued item of the leader, if its workers still run:
// a sync first, a deferred status write only when no sync is queued (as the
// status worker waits for queued syncs), the job tracker's item last. It
// reports whether it did.
func (l *leader) step() bool {
	if l.ctx.Err() != nil {
		return false
	}
	if q := l.queues["cronjob"]; q != nil && q.depth.Load() > 0 {
		l.mu.Lock()
		l.syncing, l.syncKey, l.readFailed, l.read, l.cut = true, "", false, false, false
		l.mu.Unlock()
		processNextWorkItem(l.jm, l.ctx)
		l.mu.Lock()
		if l.syncKey != "" {
			if l.syncs == nil {
				l.syncs = map[string][]syncRec{}
			}
			l.syncs[l.syncKey] = append(l.syncs[l.syncKey], syncRec{at: l.w.clock.Now(), readFailed: l.readFailed, cut: l.cut})
		}
		l.syncing = false
		l.mu.Unlock()
		return true
	}
	if q := l.queues["cronjob_status"]; q != nil && q.depth.Load() > 0 {
		processNextStatusWrite(l.jm, l.ctx)
		return true
	}
	if q := l.queues["jobtracker"]; q != nil && q.depth.Load() > 0 && l.tracker != nil {
		trackerProcessNextWorkItem(l.tracker, l.trackerCtx)
		return true
	}
	return false
}

// syncedAt reports whether the leader processed a sync item at t.
func (l *leader) syncedAt(t time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, recs := range l.syncs {
		for _, r := range recs {
			if r.at.Equal(t) {
				return true
			}
		}
	}
	return false
}

// tookOver reports whether t is a tentative skip of the CronJob uid that the
// leader's predecessor handed over to it (patch 0023).
func (l *leader) tookOver(uid types.UID, t time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, r := range l.received[uid] {
		if r.Equal(t) {
			return true
		}
	}
	return false
}

// syncedOnOrAfter reports whether the leader processed a sync item of the
// CronJob k (namespace/name) at t or later.
func (l *leader) syncedOnOrAfter(k string, t time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, r := range l.syncs[k] {
		if !r.at.Before(t) {
			return true
		}
	}
	return false
}

// hasWork reports whether step would process an item.
func (l *leader) hasWork() bool {
	if l.ctx.Err() != nil {
		return false
	}
	for _, q := range l.queues {
		if q.depth.Load() > 0 {
			return true
		}
	}
	return false
}

func (l *leader) wasKilled() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.killed
}

func (l *leader) isDead() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.dead
}

var errGone = errors.New("connection refused: the process is gone")

// react answers every request of the leader's clientset, and records a Job
// create that failed with an error that does not say whether it was carried
// out (uncertainCreates).
func (l *leader) react(action clienttesting.Action) (bool, runtime.Object, error) {
	handled, obj, err := l.serveAction(action)
	if err != nil && action.GetVerb() == "create" && action.GetResource().Resource == "jobs" && mayHaveSucceeded(err) {
		if ca, ok := action.(clienttesting.CreateAction); ok {
			if job, ok := ca.GetObject().(*batchv1.Job); ok {
				if r := metav1.GetControllerOf(job); r != nil {
					l.mu.Lock()
					if l.uncertainCreates == nil {
						l.uncertainCreates = map[string][]uncertainCreate{}
					}
					k := action.GetNamespace() + "/" + r.Name
					l.uncertainCreates[k] = append(l.uncertainCreates[k], uncertainCreate{at: l.w.clock.Now(), name: job.Name})
					l.mu.Unlock()
				}
			}
		}
	}
	return handled, obj, err
}

// mayHaveSucceeded tells, as patch 0014 does, whether a request that returned
// err may still have been carried out: a timeout, a 5xx status, an error
// without a status; a 4xx status means nothing was done.
func mayHaveSucceeded(err error) bool {
	var status apierrors.APIStatus
	if !errors.As(err, &status) {
		return true
	}
	return status.Status().Code >= 500
}

// serveAction is react without the record of uncertain creates.
func (l *leader) serveAction(action clienttesting.Action) (bool, runtime.Object, error) {
	res := action.GetResource().Resource
	mutating := res != "events" && (action.GetVerb() == "create" || action.GetVerb() == "update" || action.GetVerb() == "delete" || action.GetVerb() == "patch")
	l.mu.Lock()
	if l.dead {
		l.mu.Unlock()
		return true, nil, errGone
	}
	if l.syncing && (action.GetVerb() == "get" || action.GetVerb() == "create") && res != "events" {
		l.read = true
	}
	var injected *fault
	for i := range l.faults {
		f := &l.faults[i]
		if f.count > 0 && f.verb == action.GetVerb() && f.resource == res && f.subresource == action.GetSubresource() {
			f.count--
			injected = &fault{kind: f.kind, delay: f.delay, afterGet: f.afterGet}
			break
		}
	}
	l.mu.Unlock()
	gr := schema.GroupResource{Group: "batch", Resource: res}
	if injected != nil && injected.kind == faultLateCommit && action.GetVerb() == "create" && res == "jobs" {
		job := action.(clienttesting.CreateAction).GetObject().(*batchv1.Job).DeepCopy()
		if job.Namespace == "" {
			job.Namespace = action.GetNamespace()
		}
		now := l.w.clock.Now()
		l.w.srv.queueLateCommit(&lateCommit{job: job, by: l.id, sentAt: now, at: now.Add(injected.delay), afterGet: injected.afterGet}, l.w.sentLate)
		l.w.tracef("%s create jobs %s: answer lost (injected timeout); the API server carries it out at %s%s", l.id, jobDesc(job),
			l.w.fmtTime(now.Add(injected.delay)), map[bool]string{true: " or right after the next GET of it finds nothing", false: ""}[injected.afterGet])
		return true, nil, apierrors.NewTimeoutError("injected client timeout", 1)
	}
	if injected != nil && action.GetVerb() == "get" {
		l.mu.Lock()
		if l.syncing {
			l.readFailed = true
		}
		l.mu.Unlock()
	}
	if injected != nil && injected.kind != faultTimeout {
		l.w.tracef("%s %s %s%s: injected %s", l.id, action.GetVerb(), res, sub(action), injected.kind)
		if injected.kind == faultConflict {
			return true, nil, apierrors.NewConflict(gr, "", errors.New("injected conflict"))
		}
		return true, nil, apierrors.NewInternalError(errors.New("injected error"))
	}
	if res == "jobs" && action.GetVerb() == "create" {
		if job, ok := action.(clienttesting.CreateAction).GetObject().(*batchv1.Job); ok {
			job = job.DeepCopy()
			if job.Namespace == "" {
				job.Namespace = action.GetNamespace()
			}
			l.w.twinCreate(l, job)
		}
	}
	if res == "jobs" && action.GetVerb() == "delete" {
		name := action.(clienttesting.DeleteAction).GetName()
		if o, err := l.w.srv.get("jobs", action.GetNamespace(), name); err == nil && metav1.GetControllerOf(o.(*batchv1.Job)) == nil {
			l.w.violatef("%s deletes Job %s/%s, which no CronJob controls", l.id, action.GetNamespace(), name)
		}
	}
	obj, err := l.w.srv.serve(action, l.id, l)
	if action.GetVerb() == "get" && res == "jobs" && apierrors.IsNotFound(err) {
		l.w.commitAfterGet(action.GetNamespace() + "/" + action.(clienttesting.GetAction).GetName())
	}
	if mutating {
		l.w.traceWrite(l.id, action, obj, err)
	}
	if injected != nil && err == nil {
		l.w.tracef("%s %s %s%s: succeeded, answer lost (injected timeout)", l.id, action.GetVerb(), res, sub(action))
		if job, ok := obj.(*batchv1.Job); ok && action.GetVerb() == "create" {
			l.w.answerLost(job.UID)
		}
		return true, nil, apierrors.NewTimeoutError("injected client timeout", 1)
	}
	if mutating && err == nil {
		l.mu.Lock()
		crash, stop := false, false
		if l.crashAfter > 0 {
			l.crashAfter--
			crash = l.crashAfter == 0
		}
		if l.stopAfter > 0 {
			l.stopAfter--
			stop = l.stopAfter == 0
		}
		if crash {
			l.dead = true
			l.cut = l.syncing && !l.read
		}
		if stop {
			l.stopping = true
		}
		l.mu.Unlock()
		if crash {
			l.w.tracef("%s crashes right after this write", l.id)
			l.cancel()
			return true, nil, errGone
		}
		if stop {
			l.w.tracef("%s is told to stop right after this write (graceful; it drains)", l.id)
			l.cancel()
		}
	}
	if job, ok := obj.(*batchv1.Job); ok && err == nil && action.GetVerb() == "create" {
		l.w.ackCreate(job.UID)
	}
	return true, obj, err
}

func sub(a clienttesting.Action) string {
	if a.GetSubresource() != "" {
		return "/" + a.GetSubresource()
	}
	return ""
}

func (l *leader) watchReact(action clienttesting.Action) (bool, watch.Interface, error) {
	if l.isDead() {
		return true, nil, errGone
	}
	rv := action.(clienttesting.WatchAction).GetWatchRestrictions().ResourceVersion
	w := l.w.srv.watch(action.GetResource().Resource, rv, l)
	l.mu.Lock()
	l.watches = append(l.watches, w)
	l.mu.Unlock()
	return true, w, nil
}

// watch returns the leader's watch of resource.
func (l *leader) watch(resource string) *proxyWatch {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := len(l.watches) - 1; i >= 0; i-- {
		if l.watches[i].resource == resource {
			return l.watches[i]
		}
	}
	return nil
}

// sortedIndexer lists the objects of an index in key order: the informer's
// store returns them in the order of a Go map, and the controller acts on
// them in the order it gets them (adoption, the active list, deletions).
// Any order is one the store could give; a fixed one makes runs repeatable.
type sortedIndexer struct {
	cache.Indexer
}

func (s sortedIndexer) ByIndex(indexName, indexedValue string) ([]interface{}, error) {
	objs, err := s.Indexer.ByIndex(indexName, indexedValue)
	sortObjects(objs)
	return objs, err
}

func (s sortedIndexer) List() []interface{} {
	objs := s.Indexer.List()
	sortObjects(objs)
	return objs
}

func sortObjects(objs []interface{}) {
	sort.Slice(objs, func(i, j int) bool {
		a, _ := meta.Accessor(objs[i])
		b, _ := meta.Accessor(objs[j])
		return key(a) < key(b)
	})
}

// sortedInformer is an informer whose indexer is a sortedIndexer.
type sortedInformer struct {
	cache.SharedIndexInformer
}

func (i sortedInformer) GetIndexer() cache.Indexer {
	return sortedIndexer{i.SharedIndexInformer.GetIndexer()}
}

type jobInformer struct {
	inf    cache.SharedIndexInformer
	lister batchv1listers.JobLister
}

func (j jobInformer) Informer() cache.SharedIndexInformer { return j.inf }
func (j jobInformer) Lister() batchv1listers.JobLister    { return j.lister }

type cronJobInformer struct {
	inf    cache.SharedIndexInformer
	lister batchv1listers.CronJobLister
}

func (j cronJobInformer) Informer() cache.SharedIndexInformer  { return j.inf }
func (j cronJobInformer) Lister() batchv1listers.CronJobLister { return j.lister }

// keyLister is the leader's CronJob lister: the first CronJob a sync item
// gets from it is the item's key (sync reads it first).
type keyLister struct {
	batchv1listers.CronJobLister
	l *leader
}

func (k keyLister) CronJobs(namespace string) batchv1listers.CronJobNamespaceLister {
	return keyNamespaceLister{k.CronJobLister.CronJobs(namespace), k.l, namespace}
}

type keyNamespaceLister struct {
	batchv1listers.CronJobNamespaceLister
	l         *leader
	namespace string
}

func (k keyNamespaceLister) Get(name string) (*batchv1.CronJob, error) {
	k.l.mu.Lock()
	if k.l.syncing && k.l.syncKey == "" {
		k.l.syncKey = k.namespace + "/" + name
	}
	k.l.mu.Unlock()
	return k.CronJobNamespaceLister.Get(name)
}

var (
	_ batchv1informers.JobInformer     = jobInformer{}
	_ batchv1informers.CronJobInformer = cronJobInformer{}
)

// queueMetrics is workqueue's metrics provider for the whole process: it
// attributes each queue to the leader being built when the queue is made,
// and follows its depth.
type queueMetrics struct {
	mu      sync.Mutex
	current *leader
}

var metricsProvider = &queueMetrics{}

func init() { workqueue.SetProvider(metricsProvider) }

func (p *queueMetrics) stats(name string) *queueStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.current == nil {
		return &queueStats{}
	}
	if p.current.queues[name] == nil {
		p.current.queues[name] = &queueStats{}
	}
	return p.current.queues[name]
}

type gauge struct{ v *atomic.Int64 }

func (g gauge) Inc() { g.v.Add(1) }
func (g gauge) Dec() { g.v.Add(-1) }

type noop struct{}

func (noop) Inc()            {}
func (noop) Observe(float64) {}
func (noop) Set(float64)     {}

func (p *queueMetrics) NewDepthMetric(name string) workqueue.GaugeMetric {
	return gauge{&p.stats(name).depth}
}
func (p *queueMetrics) NewAddsMetric(string) workqueue.CounterMetric           { return noop{} }
func (p *queueMetrics) NewLatencyMetric(string) workqueue.HistogramMetric      { return noop{} }
func (p *queueMetrics) NewWorkDurationMetric(string) workqueue.HistogramMetric { return noop{} }
func (p *queueMetrics) NewUnfinishedWorkSecondsMetric(string) workqueue.SettableGaugeMetric {
	return noop{}
}
func (p *queueMetrics) NewLongestRunningProcessorSecondsMetric(string) workqueue.SettableGaugeMetric {
	return noop{}
}
func (p *queueMetrics) NewRetriesMetric(string) workqueue.CounterMetric { return noop{} }

// startLeader builds a controller process over the shared API server and
// starts it: its informers list and watch through proxy watches (the Job
// informer first, then the CronJob informer, each caught up before the
// next starts), its clock is the world's fake clock, and Run starts with no
// workers (see leader). It must run in the world's synctest bubble.
func (w *world) startLeader(decisionsSince time.Time, handedOver []cronjob.PendingSkip, handedOverFrom *time.Time) (*leader, error) {
	w.leaderCount++
	l := &leader{
		id:     fmt.Sprintf("L%d", w.leaderCount),
		w:      w,
		stopCh: make(chan struct{}),
		done:   make(chan struct{}),
		queues: map[string]*queueStats{},
		since:  decisionsSince,
	}
	for _, p := range handedOver {
		if l.received == nil {
			l.received = map[types.UID][]time.Time{}
		}
		l.received[p.UID] = append(l.received[p.UID], p.ScheduledTime)
	}
	var traced logr.Logger
	if TraceLogV > 0 {
		traced = funcr.New(func(_, args string) { w.tracef("%s log: %s", l.id, args) }, funcr.Options{Verbosity: TraceLogV})
	}
	base := klog.NewContext(context.Background(), logr.New(controllerSink{l: l, traced: traced.GetSink()}))
	l.ctx, l.cancel = context.WithCancel(base)
	l.runCtx, l.runCancel = context.WithCancel(base)
	cs := &fake.Clientset{}
	cs.AddReactor("*", "*", l.react)
	cs.AddWatchReactor("*", l.watchReact)
	factory := informers.NewSharedInformerFactory(cs, 0)
	jobs := factory.Batch().V1().Jobs()
	cronJobs := factory.Batch().V1().CronJobs()
	ji := jobInformer{inf: sortedInformer{jobs.Informer()}, lister: jobs.Lister()}
	ci := cronJobInformer{inf: sortedInformer{cronJobs.Informer()}, lister: keyLister{cronJobs.Lister(), l}}
	l.informers = []cache.SharedIndexInformer{jobs.Informer(), cronJobs.Informer()}
	deliver := func(obj interface{}) {
		if t, ok := obj.(cache.DeletedFinalStateUnknown); ok {
			obj = t.Obj
		}
		if j, ok := obj.(*batchv1.Job); ok {
			l.mu.Lock()
			if l.delivered == nil {
				l.delivered = map[types.UID]time.Time{}
			}
			if _, seen := l.delivered[j.UID]; !seen {
				l.delivered[j.UID] = l.w.clock.Now()
			}
			l.mu.Unlock()
		}
	}
	if _, err := jobs.Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    deliver,
		UpdateFunc: func(_, obj interface{}) { deliver(obj) },
		DeleteFunc: deliver,
	}); err != nil {
		return nil, fmt.Errorf("watching the Job informer's deliveries: %w", err)
	}

	metricsProvider.mu.Lock()
	metricsProvider.current = l
	metricsProvider.mu.Unlock()
	opts := cronjob.Options{
		Clock:              w.clock,
		DeferStatusUpdates: w.deferStatus,
		DeferEvents:        w.deferStatus,
		PendingSkips:       handedOver,
	}
	if handedOverFrom != nil {
		// A graceful stop: the binary's handover record (patch 0023).
		opts.PredecessorHandedOver, opts.PredecessorTookOver = true, *handedOverFrom
		l.predecessorTookOver = *handedOverFrom
	}
	// Options.DecisionsSince (patch 0022) is set by name, so that the
	// simulation also builds against the series without that patch (make
	// sim WITHOUT=0022, the negative control of the metric double count).
	if f := reflect.ValueOf(&opts).Elem().FieldByName("DecisionsSince"); f.IsValid() {
		f.Set(reflect.ValueOf(decisionsSince))
	}
	jm, err := cronjob.NewControllerV2WithOptions(l.ctx, ji, ci, cs, opts)
	if err != nil {
		metricsProvider.mu.Lock()
		metricsProvider.current = nil
		metricsProvider.mu.Unlock()
		return nil, fmt.Errorf("building the controller: %w", err)
	}
	l.jm = jm
	// The job tracker, as pkg/app's runControllers builds it: the shared
	// Job and CronJob informers, a clientset of its own (its requests fail
	// once the process is gone; API faults and the crash-after-writes
	// count only the CronJob controller's), per-CronJob series, the
	// world's clock, and the previous leader's last renewal as the
	// CronJob controller's DecisionsSince.
	tcs := &fake.Clientset{}
	tcs.AddReactor("*", "*", l.reactTracker)
	tcs.AddWatchReactor("*", l.watchReact)
	previous := decisionsSince
	if w.trackerPreviousUntil != nil {
		previous = w.trackerPreviousUntil(decisionsSince)
	}
	l.trackerCtx = klog.NewContext(l.ctx, logr.New(observationSink{l}))
	l.trackerDone = make(chan struct{})
	l.tracker, err = jobtracker.New(l.trackerCtx, ji, ci, tcs, jobtracker.Options{
		PerCronJobLabels:    true,
		Clock:               w.clock,
		PreviousLeaderUntil: previous,
	})
	metricsProvider.mu.Lock()
	metricsProvider.current = nil
	metricsProvider.mu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("building the job tracker: %w", err)
	}
	w.tracef("%s starts leading (counts decisions since %s)", l.id, w.fmtTime(decisionsSince))
	go func() {
		defer close(l.done)
		jm.Run(l.runCtx, 0)
	}()
	synctest.Wait()
	for _, inf := range l.informers {
		go inf.Run(l.stopCh)
		synctest.Wait()
		if !inf.HasSynced() {
			return nil, fmt.Errorf("%s: an informer did not sync", l.id)
		}
	}
	// The tracker starts its pod informer once the Job informer synced.
	go func() {
		defer close(l.trackerDone)
		l.tracker.Run(l.trackerCtx, 0)
	}()
	synctest.Wait()
	if !l.tracker.HasSynced() {
		return nil, fmt.Errorf("%s: the job tracker's pod informer did not sync", l.id)
	}
	w.leaderListsPods()
	return l, nil
}

// reactTracker answers the requests of the leader's job tracker: they fail
// once the process is gone, and go to the API server otherwise (no injected
// faults: those target the CronJob controller's requests).
func (l *leader) reactTracker(action clienttesting.Action) (bool, runtime.Object, error) {
	if l.isDead() {
		return true, nil, errGone
	}
	obj, err := l.w.srv.serve(action, l.id, l)
	if action.GetVerb() == "patch" {
		if err != nil {
			l.w.tracef("%s's tracker patch jobs %s/%s failed: %v", l.id, action.GetNamespace(), action.(clienttesting.PatchAction).GetName(), err)
		} else {
			l.w.tracef("%s's tracker annotates Job %s/%s: %s", l.id, action.GetNamespace(), action.(clienttesting.PatchAction).GetName(), action.(clienttesting.PatchAction).GetPatch())
		}
	}
	return true, obj, err
}

// jobKey names a Job in traces, with its scheduled time.
func jobDesc(j *batchv1.Job) string {
	s := j.Namespace + "/" + j.Name
	if t := j.Annotations[batchv1.CronJobScheduledTimestampAnnotation]; t != "" {
		s += " for " + t
	}
	return s
}

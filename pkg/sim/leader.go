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
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-logr/logr"
	batchv1 "k8s.io/api/batch/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/informers"
	batchv1informers "k8s.io/client-go/informers/batch/v1"
	"k8s.io/client-go/kubernetes/fake"
	batchv1listers "k8s.io/client-go/listers/batch/v1"
	clienttesting "k8s.io/client-go/testing"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/klog/v2"
	"k8s.io/utils/clock"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/steadycron/steadycron/pkg/controller/cronjob"
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
)

// fault fails the next count requests of verb on resource (and subresource).
type fault struct {
	kind                        faultKind
	verb, resource, subresource string
	count                       int
}

func (f fault) String() string {
	r := f.resource
	if f.subresource != "" {
		r += "/" + f.subresource
	}
	return fmt.Sprintf("%s on the next %d %s %s", f.kind, f.count, f.verb, r)
}

// leader is one controller process that holds the lease: its own clientset,
// informers, clock view and controller, over the shared API server.
type leader struct {
	id     string
	w      *world
	ctx    context.Context
	cancel context.CancelFunc
	stopCh chan struct{}
	clock  *leaderClock
	done   chan struct{}

	// delivered counts the handler calls the informers owe (one per listed
	// object and per delivered watch event); handled counts those made.
	delivered, handled atomic.Int64
	inFlight           atomic.Int64
	queues             map[string]*queueStats

	mu sync.Mutex
	// dead: the process is gone, its requests fail and do nothing.
	dead bool
	// stopping: its context was cancelled (graceful stop).
	stopping bool
	faults   []fault
	// crashAfter > 0: the process dies right after its crashAfter-th
	// write from now (the write takes effect, the answer is lost).
	crashAfter int
	// stopAfter > 0: the process is told to stop (graceful, the sync in
	// progress drains) right after its stopAfter-th write from now.
	stopAfter int
	watches   []*proxyWatch
}

// queueStats follows a work queue through workqueue's metrics.
type queueStats struct {
	depth, gets, dones atomic.Int64
}

func (q *queueStats) idle() bool { return q.depth.Load() == 0 && q.gets.Load() == q.dones.Load() }

// idle reports whether the leader has nothing left to do at this time:
// every informer event handled, no request in flight, the queues empty and
// no item being processed, and no fired timer not yet received.
func (l *leader) idle() bool {
	if l.delivered.Load() != l.handled.Load() || l.inFlight.Load() != 0 || l.clock.firedUnread() {
		return false
	}
	for _, q := range l.queues {
		if !q.idle() {
			return false
		}
	}
	return true
}

func (l *leader) isDead() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.dead
}

var errGone = errors.New("connection refused: the process is gone")

// react answers every request of the leader's clientset.
func (l *leader) react(action clienttesting.Action) (bool, runtime.Object, error) {
	l.inFlight.Add(1)
	defer l.inFlight.Add(-1)
	res := action.GetResource().Resource
	mutating := res != "events" && (action.GetVerb() == "create" || action.GetVerb() == "update" || action.GetVerb() == "delete" || action.GetVerb() == "patch")
	l.mu.Lock()
	if l.dead {
		l.mu.Unlock()
		return true, nil, errGone
	}
	var injected *fault
	for i := range l.faults {
		f := &l.faults[i]
		if f.count > 0 && f.verb == action.GetVerb() && f.resource == res && f.subresource == action.GetSubresource() {
			f.count--
			injected = &fault{kind: f.kind}
			break
		}
	}
	l.mu.Unlock()
	gr := schema.GroupResource{Group: "batch", Resource: res}
	if injected != nil && injected.kind != faultTimeout {
		l.w.tracef("%s %s %s%s: injected %s", l.id, action.GetVerb(), res, sub(action), injected.kind)
		if injected.kind == faultConflict {
			return true, nil, apierrors.NewConflict(gr, "", errors.New("injected conflict"))
		}
		return true, nil, apierrors.NewInternalError(errors.New("injected error"))
	}
	obj, err := l.w.srv.serve(action, l.id, l)
	if mutating {
		l.w.traceWrite(l.id, action, obj, err)
	}
	if injected != nil && err == nil {
		l.w.tracef("%s %s %s%s: succeeded, answer lost (injected timeout)", l.id, action.GetVerb(), res, sub(action))
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

// leaderClock is the shared fake clock as one leader sees it; it remembers
// the timer channels it handed out, so that the simulation knows when a
// fired timer has not been received yet.
type leaderClock struct {
	*clocktesting.FakeClock
	mu      sync.Mutex
	chans   map[<-chan time.Time]bool
	fresh   map[<-chan time.Time]bool
	freshAt time.Time
}

func (c *leaderClock) track(ch <-chan time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.chans[ch] = true
}

func (c *leaderClock) After(d time.Duration) <-chan time.Time {
	ch := c.FakeClock.After(d)
	c.track(ch)
	return ch
}

func (c *leaderClock) NewTimer(d time.Duration) clock.Timer {
	t := c.FakeClock.NewTimer(d)
	c.track(t.C())
	return &trackedTimer{Timer: t, c: c}
}

type trackedTimer struct {
	clock.Timer
	c *leaderClock
}

func (t *trackedTimer) Stop() bool {
	t.c.mu.Lock()
	delete(t.c.chans, t.C())
	t.c.mu.Unlock()
	return t.Timer.Stop()
}

// full returns the tracked channels holding a fired value.
func (c *leaderClock) full() map[<-chan time.Time]bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[<-chan time.Time]bool{}
	for ch := range c.chans {
		if len(ch) > 0 {
			out[ch] = true
		}
	}
	return out
}

// fired records the channels that the last time step filled (given those
// full before it), for firedUnread.
func (c *leaderClock) fired(before map[<-chan time.Time]bool) {
	fresh := map[<-chan time.Time]bool{}
	for ch := range c.full() {
		if !before[ch] {
			fresh[ch] = true
		}
	}
	c.mu.Lock()
	c.fresh, c.freshAt = fresh, time.Now()
	c.mu.Unlock()
}

// firedUnread reports whether a timer that the last time step fired has
// not been received yet. A timer that nobody receives from (its reader
// chose another channel) is not waited for beyond a few milliseconds of
// real time.
func (c *leaderClock) firedUnread() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.freshAt) > 5*time.Millisecond {
		return false
	}
	for ch := range c.fresh {
		if len(ch) > 0 {
			return true
		}
	}
	return false
}

// countingInformer counts the calls of the handlers registered on it.
type countingInformer struct {
	cache.SharedIndexInformer
	l *leader
}

func (i countingInformer) AddEventHandler(h cache.ResourceEventHandler) (cache.ResourceEventHandlerRegistration, error) {
	return i.SharedIndexInformer.AddEventHandler(countingHandler{h: h, l: i.l})
}

type countingHandler struct {
	h cache.ResourceEventHandler
	l *leader
}

func (c countingHandler) OnAdd(obj interface{}, initial bool) {
	c.h.OnAdd(obj, initial)
	c.l.handled.Add(1)
}

func (c countingHandler) OnUpdate(oldObj, newObj interface{}) {
	c.h.OnUpdate(oldObj, newObj)
	c.l.handled.Add(1)
}

func (c countingHandler) OnDelete(obj interface{}) {
	c.h.OnDelete(obj)
	c.l.handled.Add(1)
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

var (
	_ batchv1informers.JobInformer     = jobInformer{}
	_ batchv1informers.CronJobInformer = cronJobInformer{}
)

// queueMetrics is workqueue's metrics provider for the whole process: it
// attributes each queue to the leader being built when the queue is made.
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

type counter struct{ v *atomic.Int64 }

func (c counter) Inc()              { c.v.Add(1) }
func (c counter) Observe(_ float64) { c.v.Add(1) }

type noop struct{}

func (noop) Inc()            {}
func (noop) Observe(float64) {}
func (noop) Set(float64)     {}

func (p *queueMetrics) NewDepthMetric(name string) workqueue.GaugeMetric {
	return gauge{&p.stats(name).depth}
}
func (p *queueMetrics) NewAddsMetric(string) workqueue.CounterMetric { return noop{} }
func (p *queueMetrics) NewLatencyMetric(name string) workqueue.HistogramMetric {
	return counter{&p.stats(name).gets}
}
func (p *queueMetrics) NewWorkDurationMetric(name string) workqueue.HistogramMetric {
	return counter{&p.stats(name).dones}
}
func (p *queueMetrics) NewUnfinishedWorkSecondsMetric(string) workqueue.SettableGaugeMetric {
	return noop{}
}
func (p *queueMetrics) NewLongestRunningProcessorSecondsMetric(string) workqueue.SettableGaugeMetric {
	return noop{}
}
func (p *queueMetrics) NewRetriesMetric(string) workqueue.CounterMetric { return noop{} }

// startLeader builds a controller process over the shared API server and
// runs it: its informers list and watch through proxy watches, its clock is
// the world's fake clock.
func (w *world) startLeader(decisionsSince time.Time) (*leader, error) {
	w.leaderCount++
	l := &leader{
		id:     fmt.Sprintf("L%d", w.leaderCount),
		w:      w,
		stopCh: make(chan struct{}),
		done:   make(chan struct{}),
		clock:  &leaderClock{FakeClock: w.clock, chans: map[<-chan time.Time]bool{}},
		queues: map[string]*queueStats{},
	}
	l.ctx, l.cancel = context.WithCancel(klog.NewContext(context.Background(), logr.Discard()))
	cs := &fake.Clientset{}
	cs.AddReactor("*", "*", l.react)
	cs.AddWatchReactor("*", l.watchReact)
	factory := informers.NewSharedInformerFactory(cs, 0)
	jobs := factory.Batch().V1().Jobs()
	cronJobs := factory.Batch().V1().CronJobs()
	ji := jobInformer{inf: countingInformer{SharedIndexInformer: jobs.Informer(), l: l}, lister: jobs.Lister()}
	ci := cronJobInformer{inf: countingInformer{SharedIndexInformer: cronJobs.Informer(), l: l}, lister: cronJobs.Lister()}

	metricsProvider.mu.Lock()
	metricsProvider.current = l
	metricsProvider.mu.Unlock()
	jm, err := cronjob.NewControllerV2WithOptions(l.ctx, ji, ci, cs, cronjob.Options{
		Clock:              l.clock,
		DeferStatusUpdates: w.deferStatus,
		DeferEvents:        w.deferStatus,
		DecisionsSince:     decisionsSince,
	})
	metricsProvider.mu.Lock()
	metricsProvider.current = nil
	metricsProvider.mu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("building the controller: %w", err)
	}
	factory.Start(l.stopCh)
	go func() {
		defer close(l.done)
		jm.Run(l.ctx, 1)
	}()
	w.tracef("%s starts leading (counts decisions since %s)", l.id, w.fmtTime(decisionsSince))
	return l, nil
}

// jobKey names a Job in traces, with its scheduled time.
func jobDesc(j *batchv1.Job) string {
	s := j.Namespace + "/" + j.Name
	if t := j.Annotations[batchv1.CronJobScheduledTimestampAnnotation]; t != "" {
		s += " for " + t
	}
	return s
}

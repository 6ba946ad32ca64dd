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
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"sync"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
	clienttesting "k8s.io/client-go/testing"
)

// apiServer is the simulation's API server: an in-memory store of Jobs and
// CronJobs with resource versions, optimistic concurrency, a status
// subresource and watches that the simulation delivers when it chooses
// (proxyWatch). Every client (each leader's clientset, and the simulated
// users through the methods below) goes through it. Events are accepted and
// dropped.
type apiServer struct {
	mu      sync.Mutex
	now     func() metav1.Time
	rv      int64
	uids    int64
	podUIDs int64
	// objs holds the stored objects by resource ("jobs", "cronjobs"), then
	// namespace/name.
	objs map[string]map[string]runtime.Object
	// history is every watch event by resource, with its resourceVersion,
	// so that a watch can start from a list's resourceVersion.
	history  map[string][]watch.Event
	watchers []*proxyWatch
	// onJobCreate, if set, is called (with mu held) before a Job that a
	// controller creates is stored.
	onJobCreate func(job *batchv1.Job, by string)
	// onJobStored, if set, is called (with mu held) for every Job created.
	onJobStored func(job *batchv1.Job)
	// onDeliver, if set, is called (with mu held) for each event a watch
	// hands its informer.
	onDeliver func(w *proxyWatch, ev watch.Event)
	// lateCommits are Job creates whose client got a timeout and that the
	// server has not carried out yet (faultLateCommit), in the order sent.
	lateCommits []*lateCommit
	// committing is the late commit being carried out, for onJobCreate.
	committing *lateCommit
	// jobDeletions are the deleted Jobs, by UID.
	jobDeletions map[types.UID]jobDeletion
}

// jobDeletion is when a Job was deleted, and the resourceVersion of the
// deletion.
type jobDeletion struct {
	at time.Time
	rv int64
}

// lateCommit is a Job create that timed out on the client and that the API
// server carries out at at, or right after the next GET of the Job's name
// that finds nothing if afterGet.
type lateCommit struct {
	job        *batchv1.Job
	by         string
	sentAt, at time.Time
	afterGet   bool
	// view is what the sender's informers held when it sent the request:
	// the view it decided on (classify.go judges the commit by it); nil
	// if unknown. server is what the API server held then (its CronJobs
	// and Jobs). creates is how many Jobs the controllers had created by
	// then (the length of checkState.creates).
	view    *processView
	server  *processView
	creates int
}

// queueLateCommit queues c; sent, if set, is called with mu held to
// complete c with what the checks know at the send (world.sentLate).
func (s *apiServer) queueLateCommit(c *lateCommit, sent func(*lateCommit)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sent != nil {
		sent(c)
	}
	s.lateCommits = append(s.lateCommits, c)
}

// takeLateCommits removes and returns the late commits due at now, and with
// getKey (namespace/name) those for that Job that wait for a GET.
func (s *apiServer) takeLateCommits(now time.Time, getKey string) []*lateCommit {
	s.mu.Lock()
	defer s.mu.Unlock()
	var due, left []*lateCommit
	for _, c := range s.lateCommits {
		if !c.at.After(now) || (c.afterGet && key(c.job) == getKey) {
			due = append(due, c)
		} else {
			left = append(left, c)
		}
	}
	s.lateCommits = left
	return due
}

// nextLateCommit returns the earliest time a late commit is due, zero if
// none is pending.
func (s *apiServer) nextLateCommit() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	var next time.Time
	for _, c := range s.lateCommits {
		if next.IsZero() || c.at.Before(next) {
			next = c.at
		}
	}
	return next
}

// commitLate carries out a late commit: the Job is created now, unless its
// name is taken by then (the create then fails on the server, and nobody
// hears of it).
func (s *apiServer) commitLate(c *lateCommit) error {
	s.mu.Lock()
	s.committing = c
	s.mu.Unlock()
	_, err := s.create("jobs", c.job, c.by)
	s.mu.Lock()
	s.committing = nil
	s.mu.Unlock()
	return err
}

func newAPIServer(now func() metav1.Time) *apiServer {
	return &apiServer{
		now:     now,
		objs:    map[string]map[string]runtime.Object{"jobs": {}, "cronjobs": {}, "pods": {}},
		history: map[string][]watch.Event{},

		jobDeletions: map[types.UID]jobDeletion{},
	}
}

func key(obj metav1.Object) string { return obj.GetNamespace() + "/" + obj.GetName() }

// emit records a watch event and queues it on the matching watchers; mu is held.
func (s *apiServer) emit(resource string, t watch.EventType, obj runtime.Object) {
	ev := watch.Event{Type: t, Object: obj.DeepCopyObject()}
	s.history[resource] = append(s.history[resource], ev)
	for _, w := range s.watchers {
		if w.resource == resource && !w.stopped {
			w.pending = append(w.pending, watch.Event{Type: t, Object: obj.DeepCopyObject()})
		}
	}
}

func (s *apiServer) create(resource string, obj runtime.Object, by string) (runtime.Object, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := meta.NewAccessor()
	name, _ := m.Name(obj)
	ns, _ := m.Namespace(obj)
	if _, ok := s.objs[resource][ns+"/"+name]; ok {
		return nil, apierrors.NewAlreadyExists(schema.GroupResource{Group: "batch", Resource: resource}, name)
	}
	obj = obj.DeepCopyObject()
	o, _ := meta.Accessor(obj)
	s.rv++
	o.SetResourceVersion(strconv.FormatInt(s.rv, 10))
	if resource == "pods" {
		// Pods count apart, so that Jobs and CronJobs keep the UIDs they
		// had before the simulation had pods.
		s.podUIDs++
		o.SetUID(types.UID(fmt.Sprintf("pod-uid-%d", s.podUIDs)))
	} else {
		s.uids++
		o.SetUID(types.UID(fmt.Sprintf("uid-%d", s.uids)))
	}
	o.SetCreationTimestamp(s.now())
	if cj, ok := obj.(*batchv1.CronJob); ok {
		cj.ManagedFields = nil
		recordManagedFields(&cj.ObjectMeta, managerOf(by), "", "spec", nil, cj.Spec, s.now().Time)
	}
	if job, ok := obj.(*batchv1.Job); ok && s.onJobCreate != nil {
		s.onJobCreate(job, by)
	}
	if job, ok := obj.(*batchv1.Job); ok && s.onJobStored != nil {
		s.onJobStored(job)
	}
	s.objs[resource][key(o)] = obj
	s.emit(resource, watch.Added, obj)
	return obj.DeepCopyObject(), nil
}

// update writes obj; with status, only its status. The resourceVersion must
// match the stored one, as for a real API server.
func (s *apiServer) update(resource string, obj runtime.Object, status bool) (runtime.Object, error) {
	return s.updateAs(resource, obj, status, "user")
}

// updateAs is update by the writer by ("user", "restore", a leader's id): a
// CronJob's metadata.managedFields record the write (recordManagedFields).
func (s *apiServer) updateAs(resource string, obj runtime.Object, status bool, by string) (runtime.Object, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, _ := meta.Accessor(obj)
	gr := groupResource(resource)
	old, ok := s.objs[resource][key(o)]
	if !ok {
		return nil, apierrors.NewNotFound(gr, o.GetName())
	}
	oldMeta, _ := meta.Accessor(old)
	if o.GetResourceVersion() != "" && o.GetResourceVersion() != oldMeta.GetResourceVersion() {
		return nil, apierrors.NewConflict(gr, o.GetName(), fmt.Errorf("the object has been modified"))
	}
	var stored runtime.Object
	switch in := obj.(type) {
	case *batchv1.CronJob:
		cj := old.(*batchv1.CronJob).DeepCopy()
		if status {
			recordManagedFields(&cj.ObjectMeta, managerOf(by), "status", "status", cj.Status, in.Status, s.now().Time)
			cj.Status = *in.Status.DeepCopy()
		} else {
			recordManagedFields(&cj.ObjectMeta, managerOf(by), "", "spec", cj.Spec, in.Spec, s.now().Time)
			cj.Spec = *in.Spec.DeepCopy()
			cj.Labels = in.Labels
			cj.Annotations = in.Annotations
		}
		stored = cj
	case *batchv1.Job:
		j := old.(*batchv1.Job).DeepCopy()
		if status {
			j.Status = *in.Status.DeepCopy()
		} else {
			j.Spec = *in.Spec.DeepCopy()
			j.Labels = in.Labels
			j.Annotations = in.Annotations
		}
		stored = j
	case *corev1.Pod:
		p := old.(*corev1.Pod).DeepCopy()
		if status {
			p.Status = *in.Status.DeepCopy()
		} else {
			p.Spec = *in.Spec.DeepCopy()
			p.Labels = in.Labels
			p.Annotations = in.Annotations
		}
		stored = p
	default:
		return nil, fmt.Errorf("unexpected %T", obj)
	}
	if apiequality.Semantic.DeepEqual(stored, old) {
		// kube-apiserver does not write an object that the update leaves
		// as it was: the resourceVersion stays, and no watch event goes
		// out (a controller whose sync writes the status it read would
		// otherwise wake itself up again at once).
		return stored.DeepCopyObject(), nil
	}
	s.rv++
	sm, _ := meta.Accessor(stored)
	sm.SetResourceVersion(strconv.FormatInt(s.rv, 10))
	s.objs[resource][key(sm)] = stored
	s.emit(resource, watch.Modified, stored)
	return stored.DeepCopyObject(), nil
}

func (s *apiServer) delete(resource, ns, name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.objs[resource][ns+"/"+name]
	if !ok {
		return apierrors.NewNotFound(schema.GroupResource{Group: "batch", Resource: resource}, name)
	}
	delete(s.objs[resource], ns+"/"+name)
	s.rv++
	old = old.DeepCopyObject()
	om, _ := meta.Accessor(old)
	om.SetResourceVersion(strconv.FormatInt(s.rv, 10))
	s.emit(resource, watch.Deleted, old)
	if resource == "jobs" {
		s.jobDeletions[om.GetUID()] = jobDeletion{at: s.now().Time, rv: s.rv}
		s.collectPodsLocked(om.GetUID())
	}
	return nil
}

// collectPodsLocked deletes the pods of a deleted Job, as the garbage
// collector does (at once here); mu is held.
func (s *apiServer) collectPodsLocked(jobUID types.UID) {
	var keys []string
	for k, o := range s.objs["pods"] {
		if o.(*corev1.Pod).Labels[batchv1.ControllerUidLabel] == string(jobUID) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		pod := s.objs["pods"][k].DeepCopyObject().(*corev1.Pod)
		delete(s.objs["pods"], k)
		s.rv++
		pod.ResourceVersion = strconv.FormatInt(s.rv, 10)
		s.emit("pods", watch.Deleted, pod)
	}
}

// patchJob applies a JSON merge patch of a Job's metadata annotations, as
// the job tracker sends them: with a resourceVersion in the patch, it must
// match the stored one (a conditional write).
func (s *apiServer) patchJob(ns, name string, patch []byte) (runtime.Object, error) {
	var p struct {
		Metadata struct {
			ResourceVersion string            `json:"resourceVersion"`
			Annotations     map[string]string `json:"annotations"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(patch, &p); err != nil {
		return nil, apierrors.NewBadRequest(err.Error())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	gr := groupResource("jobs")
	old, ok := s.objs["jobs"][ns+"/"+name]
	if !ok {
		return nil, apierrors.NewNotFound(gr, name)
	}
	j := old.(*batchv1.Job).DeepCopy()
	if p.Metadata.ResourceVersion != "" && p.Metadata.ResourceVersion != j.ResourceVersion {
		return nil, apierrors.NewConflict(gr, name, fmt.Errorf("the object has been modified"))
	}
	if j.Annotations == nil {
		j.Annotations = map[string]string{}
	}
	for k, v := range p.Metadata.Annotations {
		j.Annotations[k] = v
	}
	s.rv++
	j.ResourceVersion = strconv.FormatInt(s.rv, 10)
	s.objs["jobs"][key(j)] = j
	s.emit("jobs", watch.Modified, j)
	return j.DeepCopy(), nil
}

// groupResource names the API group of the simulation's resources.
func groupResource(resource string) schema.GroupResource {
	if resource == "pods" {
		return schema.GroupResource{Resource: resource}
	}
	return schema.GroupResource{Group: "batch", Resource: resource}
}

func (s *apiServer) get(resource, ns, name string) (runtime.Object, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.objs[resource][ns+"/"+name]
	if !ok {
		return nil, apierrors.NewNotFound(schema.GroupResource{Group: "batch", Resource: resource}, name)
	}
	return o.DeepCopyObject(), nil
}

// jobs returns the stored Jobs sorted by namespace/name.
func (s *apiServer) jobs() []*batchv1.Job {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.jobsLocked()
}

func (s *apiServer) jobsLocked() []*batchv1.Job {
	var out []*batchv1.Job
	for _, o := range s.objs["jobs"] {
		out = append(out, o.(*batchv1.Job).DeepCopy())
	}
	sort.Slice(out, func(i, j int) bool { return key(out[i]) < key(out[j]) })
	return out
}

func (s *apiServer) cronJobs() []*batchv1.CronJob {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*batchv1.CronJob
	for _, o := range s.objs["cronjobs"] {
		out = append(out, o.(*batchv1.CronJob).DeepCopy())
	}
	sort.Slice(out, func(i, j int) bool { return key(out[i]) < key(out[j]) })
	return out
}

func (s *apiServer) list(resource, ns string) runtime.Object {
	s.mu.Lock()
	defer s.mu.Unlock()
	rv := strconv.FormatInt(s.rv, 10)
	var keys []string
	for k, o := range s.objs[resource] {
		if om, _ := meta.Accessor(o); ns == "" || om.GetNamespace() == ns {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	switch resource {
	case "pods":
		l := &corev1.PodList{ListMeta: metav1.ListMeta{ResourceVersion: rv}}
		for _, k := range keys {
			l.Items = append(l.Items, *s.objs[resource][k].(*corev1.Pod).DeepCopy())
		}
		return l
	case "jobs":
		l := &batchv1.JobList{ListMeta: metav1.ListMeta{ResourceVersion: rv}}
		for _, k := range keys {
			l.Items = append(l.Items, *s.objs[resource][k].(*batchv1.Job).DeepCopy())
		}
		return l
	default:
		l := &batchv1.CronJobList{ListMeta: metav1.ListMeta{ResourceVersion: rv}}
		for _, k := range keys {
			l.Items = append(l.Items, *s.objs[resource][k].(*batchv1.CronJob).DeepCopy())
		}
		return l
	}
}

// watch starts a watch of resource for owner's informer from resourceVersion
// fromRV (the list's).
func (s *apiServer) watch(resource string, fromRV string, owner *leader) *proxyWatch {
	s.mu.Lock()
	defer s.mu.Unlock()
	from, _ := strconv.ParseInt(fromRV, 10, 64)
	w := &proxyWatch{resource: resource, owner: owner, ch: make(chan watch.Event, watchBuffer), known: map[string]types.UID{}, srv: s}
	for _, o := range s.objs[resource] {
		om, _ := meta.Accessor(o)
		if rv, _ := strconv.ParseInt(om.GetResourceVersion(), 10, 64); rv <= from {
			w.known[key(om)] = om.GetUID()
		}
	}
	for _, ev := range s.history[resource] {
		om, _ := meta.Accessor(ev.Object)
		if rv, _ := strconv.ParseInt(om.GetResourceVersion(), 10, 64); rv > from {
			w.pending = append(w.pending, watch.Event{Type: ev.Type, Object: ev.Object.DeepCopyObject()})
		}
	}
	s.watchers = append(s.watchers, w)
	return w
}

// watchBuffer is how many events a proxy watch holds for its informer.
const watchBuffer = 256

// pumpOne delivers the pending events of the first watch (in the order the
// watches were made) that is not held and has any, and reports whether it
// delivered something. Delivering one watch at a time, and waiting for its
// informer between two, keeps the informers' handlers from running at the
// same time (the order in which they queue CronJobs would vary).
func (s *apiServer) pumpOne() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, w := range s.watchers {
		if !w.held && !w.stopped && len(w.pending) > 0 {
			w.deliver()
			return true
		}
	}
	return false
}

// pending reports whether a watch that is not held has events to deliver.
func (s *apiServer) pending() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, w := range s.watchers {
		if !w.held && !w.stopped && len(w.pending) > 0 {
			return true
		}
	}
	return false
}

// proxyWatch is a watch whose events reach the informer only when the
// simulation pumps them: held, it gives the informer a stale view; released
// with coalesce, the informer sees only the last state of each object
// (intermediate updates are never observed).
type proxyWatch struct {
	srv      *apiServer
	resource string
	owner    *leader
	ch       chan watch.Event
	pending  []watch.Event
	held     bool
	coalesce bool
	stopped  bool
	// known is what the informer has been told exists: the UID of the
	// object it was last handed under each key (a Job deleted and created
	// anew under its name, while the watch was held and coalesced, is
	// handed over as an update of the older one).
	known map[string]types.UID
}

// deliver sends the pending events and returns how many it sent; the
// server's mu is held.
func (w *proxyWatch) deliver() int {
	if w.held || w.stopped || len(w.pending) == 0 {
		return 0
	}
	if w.coalesce {
		w.coalesce = false
		last := map[string]int{}
		for i, ev := range w.pending {
			om, _ := meta.Accessor(ev.Object)
			last[key(om)] = i
		}
		var kept []watch.Event
		for i, ev := range w.pending {
			om, _ := meta.Accessor(ev.Object)
			if last[key(om)] == i {
				kept = append(kept, ev)
			}
		}
		w.pending = kept
	}
	// At most what the channel holds: the rest goes with the next pump,
	// once the informer has read these.
	n, sent := 0, 0
	for _, ev := range w.pending {
		if len(w.ch) == cap(w.ch) {
			break
		}
		n++
		om, _ := meta.Accessor(ev.Object)
		k := key(om)
		switch ev.Type {
		case watch.Deleted:
			if _, ok := w.known[k]; !ok {
				continue // never seen: the informer would ignore it
			}
			delete(w.known, k)
		default:
			if _, ok := w.known[k]; !ok {
				ev.Type = watch.Added
			} else {
				ev.Type = watch.Modified
			}
			w.known[k] = om.GetUID()
		}
		if w.srv.onDeliver != nil {
			w.srv.onDeliver(w, ev)
		}
		w.ch <- ev
		sent++
	}
	w.pending = w.pending[n:]
	if len(w.pending) == 0 {
		w.pending = nil
	}
	return sent
}

func (w *proxyWatch) Stop() {
	w.srv.mu.Lock()
	defer w.srv.mu.Unlock()
	if !w.stopped {
		w.stopped = true
		close(w.ch)
	}
}

func (w *proxyWatch) ResultChan() <-chan watch.Event { return w.ch }

// serve answers a client action of a leader; faults are applied by the caller.
func (s *apiServer) serve(action clienttesting.Action, by string, l *leader) (runtime.Object, error) {
	resource := action.GetResource().Resource
	if resource == "events" {
		switch a := action.(type) {
		case clienttesting.CreateAction:
			return a.GetObject(), nil
		default:
			return &corev1.Event{}, nil
		}
	}
	if resource != "jobs" && resource != "cronjobs" && resource != "pods" {
		return nil, fmt.Errorf("the simulation serves no %s", resource)
	}
	if resource == "pods" && action.GetVerb() != "list" && action.GetVerb() != "get" {
		return nil, fmt.Errorf("the simulation serves no %s of pods to controllers", action.GetVerb())
	}
	switch action.GetVerb() {
	case "list":
		return s.list(resource, action.GetNamespace()), nil
	case "get":
		return s.get(resource, action.GetNamespace(), action.(clienttesting.GetAction).GetName())
	case "create":
		obj := action.(clienttesting.CreateAction).GetObject().DeepCopyObject()
		if om, _ := meta.Accessor(obj); om.GetNamespace() == "" {
			om.SetNamespace(action.GetNamespace())
		}
		return s.create(resource, obj, by)
	case "update":
		obj := action.(clienttesting.UpdateAction).GetObject().DeepCopyObject()
		if om, _ := meta.Accessor(obj); om.GetNamespace() == "" {
			om.SetNamespace(action.GetNamespace())
		}
		return s.updateAs(resource, obj, action.GetSubresource() == "status", by)
	case "delete":
		return nil, s.delete(resource, action.GetNamespace(), action.(clienttesting.DeleteAction).GetName())
	case "patch":
		a := action.(clienttesting.PatchAction)
		if resource != "jobs" || a.GetPatchType() != types.MergePatchType || a.GetSubresource() != "" {
			return nil, fmt.Errorf("the simulation serves only merge patches of Jobs")
		}
		return s.patchJob(a.GetNamespace(), a.GetName(), a.GetPatch())
	}
	return nil, fmt.Errorf("the simulation serves no %s of %s", action.GetVerb(), resource)
}

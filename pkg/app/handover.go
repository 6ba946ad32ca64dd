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
	"encoding/json"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	corev1client "k8s.io/client-go/kubernetes/typed/core/v1"
	"k8s.io/client-go/tools/leaderelection/resourcelock"
	"k8s.io/klog/v2"

	"github.com/steadycron/steadycron/pkg/controller/cronjob"
)

const (
	// handoverSuffix names the ConfigMap through which a leader that stops
	// gracefully hands its pending skips to the next one: the lease's name
	// and this suffix, in the lease's namespace (steadycron-handover).
	handoverSuffix = "-handover"
	// handoverKey is the ConfigMap's data key, holding a handoverRecord as
	// JSON.
	handoverKey = "pendingSkips.json"
	// handoverVersion is the schema version of handoverRecord that this
	// binary writes. It reads versions oldestHandoverVersion to
	// handoverVersion; a record of another version is not used (its reader
	// then waits as after a crash). Version 2 added settlingCreates: a
	// version 1 reader would take a record without them for the whole
	// handover (review h15k: a rollback ran a time twice).
	handoverVersion       = 2
	oldestHandoverVersion = 1
	// handoverTimeout bounds the write at a stop and the read at a
	// takeover: a stop must not outlast terminationGracePeriodSeconds, and
	// a takeover must not wait long to lead.
	handoverTimeout = 5 * time.Second
	// handoverMaxBytes bounds the record, well within a ConfigMap's 1 MiB;
	// the skips beyond it are dropped (and counted in the record).
	handoverMaxBytes = 768 * 1024
	// handoverMaxAge is how much earlier than the release of the lease a
	// record may have been written: the writer writes it right before it
	// releases, within handoverTimeout.
	handoverMaxAge = handoverTimeout + 25*time.Second
)

// handoverRecord is what a leader that stops gracefully leaves for the next
// one: the tentative skips its CronJob controller had not counted
// (cronjob.ControllerV2.PendingSkips), which the next leader counts
// (cronjob.Options.PendingSkips).
type handoverRecord struct {
	Version int `json:"version"`
	// Writer is the lease identity of the leader that wrote the record,
	// WrittenAt when, by its clock (the clock of its release of the lease).
	Writer    string    `json:"writer"`
	WrittenAt time.Time `json:"writtenAt"`
	// LeaderTransitions is the lease's leaderTransitions while the writer
	// held it; its release keeps the value, and the next acquisition
	// raises it, so a record whose value differs from the released lease
	// the next leader read is an older leader's.
	LeaderTransitions int `json:"leaderTransitions"`
	// TookOver is when the writer took over from the leader before it (see
	// takeover.ended), or started leading if nobody did: the creates of
	// earlier leaders may land until a minute after it
	// (cronjob.Options.PredecessorTookOver).
	TookOver     time.Time      `json:"tookOver"`
	PendingSkips []handoverSkip `json:"pendingSkips"`
	// Dropped is how many skips did not fit in handoverMaxBytes.
	Dropped int `json:"dropped,omitempty"`
}

type handoverSkip struct {
	Namespace     string    `json:"namespace"`
	Name          string    `json:"name"`
	UID           types.UID `json:"uid"`
	ScheduledTime time.Time `json:"scheduledTime"`
	Reason        string    `json:"reason"`
	CreateFailed  bool      `json:"createFailed,omitempty"`
	// UncertainCreate, CreateFailedAt, HeldFrom and SettlingCreates: see
	// cronjob.PendingSkip. A reader that predates SettlingCreates ignores
	// them, as it would have had none.
	UncertainCreate *time.Time       `json:"uncertainCreate,omitempty"`
	CreateFailedAt  *time.Time       `json:"createFailedAt,omitempty"`
	HeldFrom        *time.Time       `json:"heldFrom,omitempty"`
	SettlingCreates []handoverCreate `json:"settlingCreates,omitempty"`
}

// handoverCreate is a cronjob.FailedCreate in the record.
type handoverCreate struct {
	ScheduledTime time.Time `json:"scheduledTime"`
	FailedAt      time.Time `json:"failedAt"`
}

// handoverSkipOf and pendingSkip convert a pending skip to and from its form
// in the record; zero times are left out.
func handoverSkipOf(p cronjob.PendingSkip) handoverSkip {
	optional := func(t time.Time) *time.Time {
		if t.IsZero() {
			return nil
		}
		return &t
	}
	s := handoverSkip{Namespace: p.Namespace, Name: p.Name, UID: p.UID, ScheduledTime: p.ScheduledTime, Reason: p.Reason,
		CreateFailed: p.CreateFailed, UncertainCreate: optional(p.UncertainCreate), CreateFailedAt: optional(p.CreateFailedAt), HeldFrom: optional(p.HeldFrom)}
	for _, f := range p.SettlingCreates {
		s.SettlingCreates = append(s.SettlingCreates, handoverCreate{ScheduledTime: f.ScheduledTime, FailedAt: f.FailedAt})
	}
	return s
}

func (s handoverSkip) pendingSkip() cronjob.PendingSkip {
	p := cronjob.PendingSkip{Namespace: s.Namespace, Name: s.Name, UID: s.UID, ScheduledTime: s.ScheduledTime, Reason: s.Reason, CreateFailed: s.CreateFailed}
	if s.UncertainCreate != nil {
		p.UncertainCreate = *s.UncertainCreate
	}
	if s.CreateFailedAt != nil {
		p.CreateFailedAt = *s.CreateFailedAt
	}
	if s.HeldFrom != nil {
		p.HeldFrom = *s.HeldFrom
	}
	for _, f := range s.SettlingCreates {
		p.SettlingCreates = append(p.SettlingCreates, cronjob.FailedCreate{ScheduledTime: f.ScheduledTime, FailedAt: f.FailedAt})
	}
	return p
}

// handoverStore reads and writes the handover ConfigMap.
type handoverStore struct {
	configMaps corev1client.ConfigMapInterface
	name       string
}

func newHandoverStore(configMaps corev1client.ConfigMapInterface, leaseName string) *handoverStore {
	return &handoverStore{configMaps: configMaps, name: leaseName + handoverSuffix}
}

// encodeHandover returns the JSON of a record of skips, with as many skips as
// fit in maxBytes, and how many were dropped.
func encodeHandover(record handoverRecord, skips []cronjob.PendingSkip, maxBytes int) ([]byte, int, error) {
	record.PendingSkips = nil
	empty, err := json.Marshal(record)
	if err != nil {
		return nil, 0, err
	}
	// Room for the skips, and for the count of the dropped ones.
	size := len(empty) + len(`,"dropped":`) + 20
	for _, p := range skips {
		s := handoverSkipOf(p)
		b, err := json.Marshal(s)
		if err != nil {
			return nil, 0, err
		}
		if size+len(b)+1 > maxBytes {
			break
		}
		size += len(b) + 1
		record.PendingSkips = append(record.PendingSkips, s)
	}
	record.Dropped = len(skips) - len(record.PendingSkips)
	data, err := json.Marshal(record)
	return data, record.Dropped, err
}

// put writes the handover of a leader that stopped gracefully, before it
// releases the lease, also without skips (the record says that its creates
// have all returned: cronjob.Options.PredecessorHandedOver): writer is its
// lease identity, own the lease record it last wrote as the holder, tookOver
// when it took over. It is bounded by handoverTimeout, on a context of its own
// (the process's has ended), and only logs a failure: the next leader then
// counts, and waits, as after a crash.
func (s *handoverStore) put(ctx context.Context, writer string, own resourcelock.LeaderElectionRecord, tookOver time.Time, skips []cronjob.PendingSkip) {
	logger := klog.FromContext(ctx)
	data, dropped, err := encodeHandover(handoverRecord{
		Version:           handoverVersion,
		Writer:            writer,
		WrittenAt:         time.Now(),
		LeaderTransitions: own.LeaderTransitions,
		TookOver:          tookOver,
	}, skips, handoverMaxBytes)
	if err != nil {
		logger.Error(err, "Encoding the pending skips for the next leader")
		return
	}
	if dropped > 0 {
		logger.Info("Too many pending skips for the handover ConfigMap: the next leader does not count the rest", "configMap", s.name, "dropped", dropped, "kept", len(skips)-dropped)
	}
	writeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), handoverTimeout)
	defer cancel()
	cm := &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Name: s.name, Labels: map[string]string{"app.kubernetes.io/name": "steadycron"}},
		Data:       map[string]string{handoverKey: string(data)},
	}
	_, err = s.configMaps.Create(writeCtx, cm, metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		// A record the last takeover could not delete: overwrite it.
		_, err = s.configMaps.Update(writeCtx, cm, metav1.UpdateOptions{})
	}
	if err != nil {
		logger.Error(err, "Writing the pending skips for the next leader: it will not count them", "configMap", s.name, "pendingSkips", len(skips)-dropped)
		return
	}
	logger.Info("Handed the pending skips over to the next leader", "configMap", s.name, "pendingSkips", len(skips)-dropped)
}

// take reads the record the previous leader left and deletes it, so that no
// later leader takes it too. It returns the skips and when that leader took
// over (on this process's clock, see tookOverAt), and whether the record is the
// whole handover (no skip dropped), if the record is that leader's: previous, the lease record the elector read before it acquired
// the lease, shows a release (a graceful stop), with the leaderTransitions
// the writer held the lease with, and the record was written before the
// release and at most handoverMaxAge before it. Any other record (an older
// leader's, left when the one between them crashed or wrote none) is
// dropped: client-go raises leaderTransitions at every acquisition, so an
// older leader's record cannot carry the transitions of a later release. The
// writer need not be the last holder this process saw: a leader that held the
// lease between two of its tries wrote it. take is bounded by
// handoverTimeout.
func (s *handoverStore) take(ctx context.Context, previous resourcelock.LeaderElectionRecord, now time.Time, leads time.Duration) ([]cronjob.PendingSkip, time.Time, bool) {
	logger := klog.FromContext(ctx)
	ctx, cancel := context.WithTimeout(ctx, handoverTimeout)
	defer cancel()
	cm, err := s.configMaps.Get(ctx, s.name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil, time.Time{}, false
	}
	if err != nil {
		logger.Error(err, "Reading the pending skips of the previous leader: they are not counted", "configMap", s.name)
		return nil, time.Time{}, false
	}
	uid := cm.UID
	if err := s.configMaps.Delete(ctx, s.name, metav1.DeleteOptions{Preconditions: &metav1.Preconditions{UID: &uid}}); err != nil && !apierrors.IsNotFound(err) {
		logger.Error(err, "Deleting the handover ConfigMap once read", "configMap", s.name)
	}
	var record handoverRecord
	if err := json.Unmarshal([]byte(cm.Data[handoverKey]), &record); err != nil {
		logger.Error(err, "Decoding the pending skips of the previous leader: they are not counted", "configMap", s.name)
		return nil, time.Time{}, false
	}
	if reason := record.staleFor(previous); reason != "" {
		logger.Info("Not taking over the pending skips of the handover ConfigMap", "configMap", s.name, "reason", reason,
			"writer", record.Writer, "writtenAt", record.WrittenAt, "pendingSkips", len(record.PendingSkips))
		return nil, time.Time{}, false
	}
	skips := make([]cronjob.PendingSkip, 0, len(record.PendingSkips))
	for _, p := range record.PendingSkips {
		skips = append(skips, p.pendingSkip())
	}
	logger.Info("Taking over the pending skips of the previous leader", "configMap", s.name, "writer", record.Writer, "pendingSkips", len(skips), "droppedByWriter", record.Dropped)
	// Skips dropped for the record's bound may have been creates that can
	// still land: then the next leader waits as after a crash.
	return skips, record.tookOverAt(previous, now, leads), record.Dropped == 0
}

// tookOverAt is the writer's takeover on this process's clock, now: the
// writer released the lease (previous.RenewTime, on its clock) before now,
// so a release later than now shows its clock ahead by at least as much, and
// the takeover is taken that much earlier. It may still be later than now:
// after a crash, a leader reckons the crashed one's end (takeover.ended) up
// to three lease durations after that one's last renewal, so after its own
// acquisition, and may stop before then (review h15l: taken to be now, a
// Forbid catch-up ran beside the crashed leader's late create). A takeover
// later than now by more than leads, how long a leader with this process's
// flags may lead after its last renewal, no such leader writes: it is taken
// to be now.
func (r handoverRecord) tookOverAt(previous resourcelock.LeaderElectionRecord, now time.Time, leads time.Duration) time.Time {
	tookOver := r.TookOver
	if ahead := previous.RenewTime.Sub(now); ahead > 0 {
		tookOver = tookOver.Add(-ahead)
	}
	if tookOver.After(now.Add(leads)) {
		return now
	}
	return tookOver
}

// staleFor says why the record is not the handover of the leader whose
// release previous is (see take), "" if it is.
func (r handoverRecord) staleFor(previous resourcelock.LeaderElectionRecord) string {
	switch {
	case r.Version < oldestHandoverVersion || r.Version > handoverVersion:
		return fmt.Sprintf("schema version %d, want %d to %d", r.Version, oldestHandoverVersion, handoverVersion)
	case previous.HolderIdentity != "":
		return "the previous leader did not release the lease (it crashed or lost it): the record is an older leader's"
	case previous.RenewTime.IsZero():
		return "the lease shows no release time"
	case r.LeaderTransitions != previous.LeaderTransitions:
		return fmt.Sprintf("written at leader transition %d, the lease was released at %d: an older leader's", r.LeaderTransitions, previous.LeaderTransitions)
	case r.WrittenAt.After(previous.RenewTime.Time.Add(time.Second)):
		return "written after the release of the lease"
	case previous.RenewTime.Sub(r.WrittenAt) > handoverMaxAge:
		return fmt.Sprintf("written %v before the release of the lease", previous.RenewTime.Sub(r.WrittenAt).Round(time.Second))
	}
	return ""
}

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
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/tools/leaderelection/resourcelock"
	"k8s.io/klog/v2/ktesting"
	"k8s.io/utils/ptr"

	"github.com/steadycron/steadycron/pkg/controller/cronjob"
)

// TestLeadAndRunHandsThePendingSkipsOver: a leader that stops gracefully
// writes the tentative skips its controller had not counted to the handover
// ConfigMap before it releases the lease, and the next leader passes them to
// its controller (cronjob.Options.PendingSkips) and deletes the ConfigMap.
func TestLeadAndRunHandsThePendingSkipsOver(t *testing.T) {
	_, ctx := ktesting.NewTestContext(t)
	client := fake.NewClientset()
	store := newHandoverStore(client.CoreV1().ConfigMaps("kube-system"), "steadycron")
	skips := []cronjob.PendingSkip{
		{Namespace: "team-a", Name: "nightly", UID: "uid-1", ScheduledTime: time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC), Reason: "concurrencyPolicy"},
		{Namespace: "team-b", Name: "hourly", UID: "uid-2", ScheduledTime: time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC), Reason: "error", CreateFailed: true,
			UncertainCreate: time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC), CreateFailedAt: time.Date(2026, 11, 30, 3, 0, 2, 0, time.UTC)},
		{Namespace: "team-c", Name: "minutely", UID: "uid-3", HeldFrom: time.Date(2026, 11, 30, 3, 1, 0, 0, time.UTC)},
		{Namespace: "team-d", Name: "replace", UID: "uid-4", SettlingCreates: []cronjob.FailedCreate{
			{ScheduledTime: time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC), FailedAt: time.Date(2026, 11, 30, 3, 0, 40, 0, time.UTC)},
			{ScheduledTime: time.Date(2026, 11, 30, 3, 1, 0, 0, time.UTC), FailedAt: time.Date(2026, 11, 30, 3, 1, 1, 0, time.UTC)},
		}},
	}
	first := leadOnce(ctx, t, client, "replica-a", store, skips)
	assert.Empty(t, first.pendingSkips, "nobody led before")
	cm, err := client.CoreV1().ConfigMaps("kube-system").Get(ctx, "steadycron-handover", metav1.GetOptions{})
	require.NoError(t, err, "the stopping leader wrote no handover ConfigMap")
	var record handoverRecord
	require.NoError(t, json.Unmarshal([]byte(cm.Data[handoverKey]), &record))
	assert.Equal(t, handoverVersion, record.Version)
	assert.Equal(t, "replica-a", record.Writer)
	assert.Len(t, record.PendingSkips, len(skips))
	assert.False(t, record.TookOver.IsZero(), "the record does not say when its writer took over")

	second := leadOnce(ctx, t, client, "replica-b", store, nil)
	assert.Equal(t, skips, second.pendingSkips, "the next leader did not take the pending skips over")
	assert.True(t, second.handedOver, "the next leader does not know the previous one handed over")
	assert.True(t, record.TookOver.Equal(second.predecessorTookOver), "predecessorTookOver %v, want the record's %v", second.predecessorTookOver, record.TookOver)
	firstTookOver := record.TookOver
	// replica-a's record was deleted at the takeover; the one there is
	// replica-b's, written at its stop.
	cm, err = client.CoreV1().ConfigMaps("kube-system").Get(ctx, "steadycron-handover", metav1.GetOptions{})
	require.NoError(t, err, "replica-b wrote no handover ConfigMap")
	require.NoError(t, json.Unmarshal([]byte(cm.Data[handoverKey]), &record))
	assert.Equal(t, "replica-b", record.Writer, "replica-a's handover ConfigMap is left after the takeover")
	// replica-a handed everything over, so only the creates of the leaders
	// before it may land: replica-b passes replica-a's takeover on, not its
	// own (review h15k: two quick handovers made the third leader wait).
	assert.True(t, record.TookOver.Equal(firstTookOver), "replica-b's record took over at %v, want replica-a's %v", record.TookOver, firstTookOver)
	assert.Empty(t, record.PendingSkips)

	// replica-b had nothing pending: the leader after it takes no skip
	// over, but knows that replica-b handed over (its creates all returned).
	third := leadOnce(ctx, t, client, "replica-c", store, nil)
	assert.Empty(t, third.pendingSkips)
	assert.True(t, third.handedOver, "a graceful stop without pending skips wrote no handover")
}

// TestHandoverPassesOnACrashedLeadersReckonedEnd: leader B takes over the
// expired lease of replica-a, which may still send creates until its last
// renewal plus three lease durations (takeover.ended), later than B's
// acquisition; B stops gracefully before then, and the next leader C waits
// for replica-a's creates as B did: its PredecessorTookOver is that end, not
// C's acquisition (review h15l: a Forbid catch-up ran beside replica-a's
// late create). Once that end has passed when B stops, C gets it all the same.
func TestHandoverPassesOnACrashedLeadersReckonedEnd(t *testing.T) {
	for name, renewedAgo := range map[string]time.Duration{
		"replica-a's reckoned end is after B stops": 0,
		"replica-a's reckoned end passed long ago":  time.Hour,
	} {
		t.Run(name, func(t *testing.T) {
			_, ctx := ktesting.NewTestContext(t)
			renewed := time.Now().Add(-renewedAgo).Truncate(time.Microsecond)
			client := fake.NewClientset(&coordinationv1.Lease{
				ObjectMeta: metav1.ObjectMeta{Namespace: "kube-system", Name: "steadycron"},
				Spec: coordinationv1.LeaseSpec{
					HolderIdentity: ptr.To("replica-a"),
					// The lease duration of every replica's flags here
					// (leadOnce): B acquires it 2 s after it first read
					// this record, and replica-a may lead until 3 × 2 s
					// after its renewal.
					LeaseDurationSeconds: ptr.To[int32](2),
					AcquireTime:          ptr.To(metav1.NewMicroTime(renewed)),
					RenewTime:            ptr.To(metav1.NewMicroTime(renewed)),
				},
			})
			store := newHandoverStore(client.CoreV1().ConfigMaps("kube-system"), "steadycron")
			reckonedEnd := renewed.Add(6 * time.Second)

			b := leadOnce(ctx, t, client, "replica-b", store, nil)
			require.True(t, b.ended.Equal(reckonedEnd), "B's reckoning of replica-a's end %v, want %v", b.ended, reckonedEnd)
			require.False(t, b.handedOver, "replica-a crashed: no handover")

			c := leadOnce(ctx, t, client, "replica-c", store, nil)
			require.True(t, c.handedOver, "B stopped gracefully: a whole handover")
			assert.True(t, c.predecessorTookOver.Equal(reckonedEnd), "C's predecessorTookOver %v, want replica-a's reckoned end %v, as B had it", c.predecessorTookOver, reckonedEnd)
		})
	}
}

// TestHandoverTakeUsesOnlyThePreviousLeadersRecord: the next leader uses the
// record only if the lease it read shows the writer's release (a graceful
// stop); a record left by an older leader (the leader between them crashed,
// or stopped without writing one) is dropped. Either way it is deleted.
func TestHandoverTakeUsesOnlyThePreviousLeadersRecord(t *testing.T) {
	released := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	skip := cronjob.PendingSkip{Namespace: "team-a", Name: "nightly", UID: "uid-1", ScheduledTime: released.Add(-time.Hour), Reason: "suspended"}
	release := resourcelock.LeaderElectionRecord{LeaderTransitions: 4, RenewTime: metav1.NewTime(released), AcquireTime: metav1.NewTime(released)}
	written := handoverRecord{Version: handoverVersion, Writer: "replica-a", WrittenAt: released.Add(-50 * time.Millisecond), LeaderTransitions: 4}
	for name, tc := range map[string]struct {
		edit func(r *handoverRecord, previous *resourcelock.LeaderElectionRecord)
		want bool
		// partial: skips were dropped for the record's bound, so it is not
		// the whole handover (the next leader waits as after a crash)
		partial bool
		// wantTookOver: the writer's takeover as taken (the record's, at
		// most the taker's clock, here the release)
		wantTookOver time.Time
	}{
		"released by the writer, which took over an hour ahead of this clock: taken to be now": {
			edit:         func(r *handoverRecord, _ *resourcelock.LeaderElectionRecord) { r.TookOver = released.Add(time.Hour) },
			want:         true,
			wantTookOver: released,
		},
		// Its release an hour later than this clock: the writer's clock
		// was an hour ahead, and its takeover, 10 s before its release,
		// is taken 10 s before now.
		"released by a writer whose clock was an hour ahead: its takeover taken on this clock": {
			edit: func(r *handoverRecord, p *resourcelock.LeaderElectionRecord) {
				p.RenewTime = metav1.NewTime(released.Add(time.Hour))
				r.WrittenAt = released.Add(time.Hour - 50*time.Millisecond)
				r.TookOver = released.Add(time.Hour - 10*time.Second)
			},
			want:         true,
			wantTookOver: released.Add(-10 * time.Second),
		},
		// Review h15l: the writer took over an expired lease and reckoned
		// the crashed leader's end 30 s after now; it stopped before it.
		"released by the writer, whose takeover reckoned a crashed leader's end after now: taken as written": {
			edit: func(r *handoverRecord, _ *resourcelock.LeaderElectionRecord) {
				r.TookOver = released.Add(30 * time.Second)
			},
			want:         true,
			wantTookOver: released.Add(30 * time.Second),
		},
		"released by the writer, whose takeover is later than now by more than a leader may lead: taken to be now": {
			edit: func(r *handoverRecord, _ *resourcelock.LeaderElectionRecord) {
				r.TookOver = released.Add(46 * time.Second)
			},
			want:         true,
			wantTookOver: released,
		},
		"released by the writer": {edit: func(*handoverRecord, *resourcelock.LeaderElectionRecord) {}, want: true},
		"released by the writer, skips dropped for the bound": {
			edit: func(r *handoverRecord, _ *resourcelock.LeaderElectionRecord) { r.Dropped = 3 }, want: true, partial: true,
		},
		"released by a writer this process never saw hold it (it led between two tries)": {
			edit: func(r *handoverRecord, _ *resourcelock.LeaderElectionRecord) { r.Writer = "replica-c" }, want: true,
		},
		"the previous leader crashed, not released": {edit: func(_ *handoverRecord, p *resourcelock.LeaderElectionRecord) {
			p.HolderIdentity = "replica-b"
			p.LeaderTransitions = 5
		}},
		"an older leader's, the one between wrote none": {
			edit: func(_ *handoverRecord, p *resourcelock.LeaderElectionRecord) { p.LeaderTransitions = 5 },
		},
		"written after the release": {edit: func(r *handoverRecord, _ *resourcelock.LeaderElectionRecord) { r.WrittenAt = released.Add(time.Minute) }},
		"written long before the release": {
			edit: func(r *handoverRecord, _ *resourcelock.LeaderElectionRecord) { r.WrittenAt = released.Add(-time.Hour) },
		},
		"a newer schema version": {edit: func(r *handoverRecord, _ *resourcelock.LeaderElectionRecord) { r.Version = handoverVersion + 1 }},
		"version 1, from a binary before settlingCreates: taken": {
			edit: func(r *handoverRecord, _ *resourcelock.LeaderElectionRecord) { r.Version = 1 }, want: true,
		},
	} {
		t.Run(name, func(t *testing.T) {
			_, ctx := ktesting.NewTestContext(t)
			record, previous := written, release
			tc.edit(&record, &previous)
			data, _, err := encodeHandover(record, []cronjob.PendingSkip{skip}, handoverMaxBytes)
			require.NoError(t, err)
			if record.Dropped > 0 {
				// as if more skips had been handed over than fit
				var encoded handoverRecord
				require.NoError(t, json.Unmarshal(data, &encoded))
				encoded.Dropped = record.Dropped
				data, err = json.Marshal(encoded)
				require.NoError(t, err)
			}
			client := fake.NewClientset(&corev1.ConfigMap{
				ObjectMeta: metav1.ObjectMeta{Namespace: "kube-system", Name: "steadycron-handover", UID: "cm-uid"},
				Data:       map[string]string{handoverKey: string(data)},
			})
			store := newHandoverStore(client.CoreV1().ConfigMaps("kube-system"), "steadycron")

			// 3 lease durations of 15 s
			got, tookOver, whole := store.take(ctx, previous, released, 45*time.Second)
			assert.Equal(t, tc.want && !tc.partial, whole)
			if tc.want {
				assert.True(t, tookOver.Equal(tc.wantTookOver), "tookOver %v, want %v", tookOver, tc.wantTookOver)
			}
			if tc.want {
				assert.Equal(t, []cronjob.PendingSkip{skip}, got)
			} else {
				assert.Empty(t, got)
			}
			_, err = client.CoreV1().ConfigMaps("kube-system").Get(ctx, "steadycron-handover", metav1.GetOptions{})
			assert.True(t, apierrors.IsNotFound(err), "the handover ConfigMap is left after it was read: %v", err)
		})
	}
}

// TestEncodeHandoverDropsWhatDoesNotFit: the record stays within its bound
// (a ConfigMap holds 1 MiB) and says how many skips it dropped.
func TestEncodeHandoverDropsWhatDoesNotFit(t *testing.T) {
	var skips []cronjob.PendingSkip
	for i := range 100 {
		skips = append(skips, cronjob.PendingSkip{Namespace: "ns", Name: fmt.Sprintf("cronjob-%03d", i), UID: "uid", ScheduledTime: time.Unix(0, 0).UTC(), Reason: "error"})
	}
	for name, tc := range map[string]struct {
		maxBytes    int
		wantDropped bool
	}{
		"all fit":         {maxBytes: handoverMaxBytes},
		"some do not fit": {maxBytes: 4096, wantDropped: true},
	} {
		t.Run(name, func(t *testing.T) {
			data, dropped, err := encodeHandover(handoverRecord{Version: handoverVersion, Writer: "replica-a"}, skips, tc.maxBytes)
			require.NoError(t, err)
			assert.LessOrEqual(t, len(data), tc.maxBytes)
			var record handoverRecord
			require.NoError(t, json.Unmarshal(data, &record))
			assert.Equal(t, dropped, record.Dropped)
			assert.Equal(t, len(skips), len(record.PendingSkips)+record.Dropped)
			assert.Equal(t, tc.wantDropped, dropped > 0, "dropped %d", dropped)
		})
	}
}

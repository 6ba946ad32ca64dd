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
	"bytes"
	"encoding/json"
	"sort"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// The field managers the simulated API server records (metadata.managedFields)
// for the CronJob writes: every leader sends the binary's user agent, so all
// of them are one manager, as for kube-apiserver; the user's edits and the
// tool that restores a CronJob's status are others.
const (
	managerController = "cronjob-controller"
	managerUser       = "kubectl"
	managerRestore    = "velero"
)

// managerOf is the field manager of a writer of the simulation ("L3", "user",
// "restore").
func managerOf(by string) string {
	switch by {
	case "user":
		return managerUser
	case "restore":
		return managerRestore
	}
	return managerController
}

// recordManagedFields updates m.ManagedFields as kube-apiserver does for a
// create or an update (operation Update) of subresource ("" or "status") by
// manager: the top-level fields of part ("spec" or "status") that differ
// between oldPart and newPart (nil for a create) and are set in newPart go to
// manager's entry of that subresource, which keeps the fields it owned and
// takes the time of the write (now, the API server's clock, to the second as
// the entry is stored); the other entries lose them, and an entry left with no
// field goes. A field the write removes is nobody's. A write that changes no
// field leaves every entry, its time included, as it was
// (k8s.io/apiserver's managedFieldsUpdater moves a manager's time only when
// the operation took a field).
func recordManagedFields(m *metav1.ObjectMeta, manager, subresource, part string, oldPart, newPart any, now time.Time) {
	oldFields, newFields := topFields(oldPart), topFields(newPart)
	var changed, removed []string
	for f, v := range newFields {
		if o, ok := oldFields[f]; !ok || !bytes.Equal(o, v) {
			changed = append(changed, f)
		}
	}
	for f := range oldFields {
		if _, ok := newFields[f]; !ok {
			removed = append(removed, f)
		}
	}
	if len(changed) == 0 && len(removed) == 0 {
		return
	}
	prefix := "f:" + part
	var entries []metav1.ManagedFieldsEntry
	found := false
	for _, e := range m.ManagedFields {
		if e.Subresource != subresource {
			// A write of the main resource changes no field of the
			// status subresource, and the other way round.
			entries = append(entries, e)
			continue
		}
		owned := ownedFields(e, prefix)
		mine := e.Manager == manager && e.Subresource == subresource && e.Operation == metav1.ManagedFieldsOperationUpdate
		for _, f := range removed {
			delete(owned, f)
		}
		for _, f := range changed {
			if mine {
				owned[f] = true
			} else {
				delete(owned, f)
			}
		}
		if mine {
			found = true
			e.Time = &metav1.Time{Time: now.Truncate(time.Second)}
		}
		e.FieldsV1 = fieldsV1(prefix, owned)
		if len(owned) > 0 {
			entries = append(entries, e)
		}
	}
	if !found && len(changed) > 0 {
		owned := map[string]bool{}
		for _, f := range changed {
			owned[f] = true
		}
		entries = append(entries, metav1.ManagedFieldsEntry{
			Manager:     manager,
			Operation:   metav1.ManagedFieldsOperationUpdate,
			APIVersion:  "batch/v1",
			Time:        &metav1.Time{Time: now.Truncate(time.Second)},
			FieldsType:  "FieldsV1",
			FieldsV1:    fieldsV1(prefix, owned),
			Subresource: subresource,
		})
	}
	m.ManagedFields = entries
}

// topFields returns the top-level fields set in part's JSON form, "f:name"
// to the field's JSON value; none for nil.
func topFields(part any) map[string]json.RawMessage {
	out := map[string]json.RawMessage{}
	if part == nil {
		return out
	}
	raw, err := json.Marshal(part)
	if err != nil {
		return out
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return out
	}
	for f, v := range fields {
		out["f:"+f] = v
	}
	return out
}

// ownedFields returns the fields under prefix ("f:status") that the entry
// owns, as a set the caller may change.
func ownedFields(e metav1.ManagedFieldsEntry, prefix string) map[string]bool {
	owned := map[string]bool{}
	if e.FieldsV1 == nil {
		return owned
	}
	var fields map[string]map[string]json.RawMessage
	if err := json.Unmarshal(e.FieldsV1.Raw, &fields); err != nil {
		return owned
	}
	for f := range fields[prefix] {
		owned[f] = true
	}
	return owned
}

// fieldsV1 is the FieldsV1 form of the fields under prefix:
// {"f:status":{"f:active":{},"f:lastScheduleTime":{}}}.
func fieldsV1(prefix string, owned map[string]bool) *metav1.FieldsV1 {
	var names []string
	for f := range owned {
		names = append(names, f)
	}
	sort.Strings(names)
	inner := map[string]struct{}{}
	for _, f := range names {
		inner[f] = struct{}{}
	}
	raw, _ := json.Marshal(map[string]map[string]struct{}{prefix: inner})
	return &metav1.FieldsV1{Raw: raw}
}

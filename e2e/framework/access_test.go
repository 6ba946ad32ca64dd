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

package framework

import (
	"slices"
	"testing"
)

func TestAccessString(t *testing.T) {
	cases := map[string]struct {
		access Access
		want   string
	}{
		"a resource in every namespace":  {ResourceAccess("list", "batch", "cronjobs", "", "", ""), "list batch/cronjobs"},
		"a subresource in any namespace": {ResourceAccess("update", "batch", "cronjobs", "status", "any", ""), "update batch/cronjobs/status in any"},
		"a named object of the core group": {
			ResourceAccess("get", "", "configmaps", "", "kube-system", "extension-apiserver-authentication"),
			"get /configmaps kube-system/extension-apiserver-authentication",
		},
		"a non-resource URL": {NonResourceAccess("get", "/metrics"), "get /metrics"},
		"neither":            {Access{}, "nothing"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := tc.access.String(); got != tc.want {
				t.Errorf("%q, want %q", got, tc.want)
			}
		})
	}
}

// TestServiceAccountSubjectHasTheTokenGroups: the groups are the ones the
// API server gives a ServiceAccount token, so that a review answers for
// bindings to the group as well as to the account.
func TestServiceAccountSubjectHasTheTokenGroups(t *testing.T) {
	s := ServiceAccountSubject("kube-system", "steadycron")
	if s.User != "system:serviceaccount:kube-system:steadycron" {
		t.Errorf("user %q", s.User)
	}
	want := []string{"system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated"}
	if !slices.Equal(s.Groups, want) {
		t.Errorf("groups %v, want %v", s.Groups, want)
	}
}

// TestSteadycronNeedsAreResourceAccesses: every entry is a well-formed
// request on a resource, and none is listed twice.
func TestSteadycronNeedsAreResourceAccesses(t *testing.T) {
	seen := map[string]bool{}
	for _, a := range SteadycronNeeds {
		if a.Resource == nil || a.NonResource != nil || a.Resource.Verb == "" || a.Resource.Resource == "" {
			t.Errorf("not a resource access: %+v", a)
			continue
		}
		if seen[a.String()] {
			t.Errorf("listed twice: %s", a)
		}
		seen[a.String()] = true
	}
}

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
	"context"
	"fmt"
	"testing"
	"time"

	authorizationv1 "k8s.io/api/authorization/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
)

// What an identity may do, as the API server's authorizer answers a
// SubjectAccessReview.

// Subject is the user and groups a SubjectAccessReview asks about.
type Subject struct {
	User   string
	Groups []string
}

// ServiceAccountSubject is the identity of the ServiceAccount ns/name, with
// the groups the API server gives every ServiceAccount token.
func ServiceAccountSubject(ns, name string) Subject {
	return Subject{
		User:   "system:serviceaccount:" + ns + ":" + name,
		Groups: []string{"system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated"},
	}
}

// Access is one request to ask about: on a resource or on a non-resource
// URL (exactly one of the two is set).
type Access struct {
	Resource    *authorizationv1.ResourceAttributes
	NonResource *authorizationv1.NonResourceAttributes
}

// ResourceAccess is verb on group/resource[/subresource], in namespace ("" for
// every namespace or a cluster-scoped resource) and of name ("" for any).
func ResourceAccess(verb, group, resource, subresource, namespace, name string) Access {
	return Access{Resource: &authorizationv1.ResourceAttributes{
		Verb: verb, Group: group, Resource: resource, Subresource: subresource, Namespace: namespace, Name: name,
	}}
}

// NonResourceAccess is verb on the URL path, e.g. get /metrics.
func NonResourceAccess(verb, path string) Access {
	return Access{NonResource: &authorizationv1.NonResourceAttributes{Verb: verb, Path: path}}
}

// String reads like "update batch/cronjobs/status in any" or "get /metrics".
func (a Access) String() string {
	if a.Resource == nil {
		if a.NonResource == nil {
			return "nothing"
		}
		return a.NonResource.Verb + " " + a.NonResource.Path
	}
	r := a.Resource
	s := r.Verb + " " + r.Group + "/" + r.Resource
	if r.Subresource != "" {
		s += "/" + r.Subresource
	}
	switch {
	case r.Name != "":
		s += " " + r.Namespace + "/" + r.Name
	case r.Namespace != "":
		s += " in " + r.Namespace
	}
	return s
}

// SteadycronNeeds is every request the controller makes of the API server
// (steadycron's informers, Job and status writes, events, its Lease and the
// handover ConfigMap beside it, and the delegated authentication and
// authorization of its /metrics): what
// deploy/rbac grants its ServiceAccount, and what the kube-controller-manager
// identity needs to run it as a sidecar. "any" stands for any namespace.
var SteadycronNeeds = []Access{
	ResourceAccess("list", "batch", "cronjobs", "", "", ""),
	ResourceAccess("watch", "batch", "cronjobs", "", "", ""),
	ResourceAccess("update", "batch", "cronjobs", "status", "any", ""),
	ResourceAccess("update", "batch", "cronjobs", "finalizers", "any", ""),
	ResourceAccess("create", "batch", "jobs", "", "any", ""),
	ResourceAccess("delete", "batch", "jobs", "", "any", ""),
	ResourceAccess("patch", "batch", "jobs", "", "any", ""),
	ResourceAccess("watch", "", "pods", "", "", ""),
	ResourceAccess("create", "", "events", "", "any", ""),
	ResourceAccess("create", "events.k8s.io", "events", "", "any", ""),
	ResourceAccess("get", "coordination.k8s.io", "leases", "", "kube-system", "steadycron"),
	ResourceAccess("update", "coordination.k8s.io", "leases", "", "kube-system", "steadycron"),
	ResourceAccess("create", "coordination.k8s.io", "leases", "", "kube-system", ""),
	ResourceAccess("get", "", "configmaps", "", "kube-system", "steadycron-handover"),
	ResourceAccess("update", "", "configmaps", "", "kube-system", "steadycron-handover"),
	ResourceAccess("delete", "", "configmaps", "", "kube-system", "steadycron-handover"),
	ResourceAccess("create", "", "configmaps", "", "kube-system", ""),
	ResourceAccess("create", "authentication.k8s.io", "tokenreviews", "", "", ""),
	ResourceAccess("create", "authorization.k8s.io", "subjectaccessreviews", "", "", ""),
	ResourceAccess("get", "", "configmaps", "", "kube-system", "extension-apiserver-authentication"),
}

// AccessMismatches asks the authorizer (a SubjectAccessReview as the admin)
// whether s may do each access and returns one line for each answer that is
// not want, with the authorizer's reason. An error is a review that could
// not be made.
func (c *Cluster) AccessMismatches(ctx context.Context, s Subject, want bool, accesses ...Access) ([]string, error) {
	var mismatches []string
	for _, a := range accesses {
		sar, err := c.Client.AuthorizationV1().SubjectAccessReviews().Create(ctx, &authorizationv1.SubjectAccessReview{
			Spec: authorizationv1.SubjectAccessReviewSpec{
				User: s.User, Groups: s.Groups, ResourceAttributes: a.Resource, NonResourceAttributes: a.NonResource,
			},
		}, metav1.CreateOptions{})
		if err != nil {
			return nil, fmt.Errorf("asking whether %s may %s: %w", s.User, a, err)
		}
		if sar.Status.Allowed != want {
			mismatches = append(mismatches, fmt.Sprintf("%s: %s allowed=%t, want %t (%s)", s.User, a, sar.Status.Allowed, want, sar.Status.Reason))
		}
	}
	return mismatches, nil
}

// accessSettleTimeout bounds how long ExpectAccess waits for the
// authorizer's answers. kube-apiserver's RBAC authorizer reads Roles and
// bindings from an informer, so a binding just written is honoured a watch
// event later, not at once.
const accessSettleTimeout = 30 * time.Second

// ExpectAccess waits up to accessSettleTimeout for every answer to be want
// (AccessMismatches), then fails t (and goes on) for each access that s may
// still do when want is false, or may still not do when want is true; it
// stops t when a review cannot be made. A want of false passes at once unless
// the access is allowed, so check the grants that must be seen first.
func (c *Cluster) ExpectAccess(t testing.TB, s Subject, want bool, accesses ...Access) {
	t.Helper()
	var mismatches []string
	var reviewErr error
	err := wait.PollUntilContextTimeout(t.Context(), 200*time.Millisecond, accessSettleTimeout, true, func(ctx context.Context) (bool, error) {
		mismatches, reviewErr = c.AccessMismatches(ctx, s, want, accesses...)
		return reviewErr != nil || len(mismatches) == 0, nil
	})
	if reviewErr != nil {
		t.Fatal(reviewErr)
	}
	if err != nil && len(mismatches) == 0 {
		t.Fatalf("waiting %s for the authorizer's answers: %v", accessSettleTimeout, err)
	}
	for _, m := range mismatches {
		t.Errorf("%s (for %s)", m, accessSettleTimeout)
	}
}

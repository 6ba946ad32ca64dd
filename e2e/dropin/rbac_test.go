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

package dropin

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	authorizationv1 "k8s.io/api/authorization/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/steadycron/steadycron/e2e/framework"
)

// TestSteadycronRBACIsLeastPrivilege asks the apiserver (SubjectAccessReview)
// what deploy/rbac lets the steadycron ServiceAccount do: what the
// controller needs, and a sample of what it must not be able to do.
func TestSteadycronRBACIsLeastPrivilege(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	user := "system:serviceaccount:" + framework.SteadycronNamespace + ":" + framework.SteadycronServiceAccount
	groups := []string{"system:serviceaccounts", "system:serviceaccounts:" + framework.SteadycronNamespace, "system:authenticated"}

	type access struct {
		verb, group, resource, subresource, namespace, name string
	}
	allowed := []access{
		{verb: "list", group: "batch", resource: "cronjobs"},
		{verb: "watch", group: "batch", resource: "cronjobs"},
		{verb: "update", group: "batch", resource: "cronjobs", subresource: "status", namespace: "any"},
		{verb: "update", group: "batch", resource: "cronjobs", subresource: "finalizers", namespace: "any"},
		{verb: "create", group: "batch", resource: "jobs", namespace: "any"},
		{verb: "delete", group: "batch", resource: "jobs", namespace: "any"},
		{verb: "patch", group: "batch", resource: "jobs", namespace: "any"},
		{verb: "watch", resource: "pods"},
		{verb: "create", resource: "events", namespace: "any"},
		{verb: "create", group: "events.k8s.io", resource: "events", namespace: "any"},
		{verb: "get", group: "coordination.k8s.io", resource: "leases", namespace: "kube-system", name: "steadycron"},
		{verb: "update", group: "coordination.k8s.io", resource: "leases", namespace: "kube-system", name: "steadycron"},
		{verb: "create", group: "coordination.k8s.io", resource: "leases", namespace: "kube-system"},
		{verb: "create", group: "authentication.k8s.io", resource: "tokenreviews"},
		{verb: "create", group: "authorization.k8s.io", resource: "subjectaccessreviews"},
		{verb: "get", resource: "configmaps", namespace: "kube-system", name: "extension-apiserver-authentication"},
	}
	denied := []access{
		{verb: "create", group: "batch", resource: "cronjobs", namespace: "any"},
		{verb: "delete", group: "batch", resource: "cronjobs", namespace: "any"},
		{verb: "delete", resource: "pods", namespace: "any"},
		{verb: "create", resource: "pods", namespace: "any"},
		{verb: "update", resource: "pods", subresource: "status", namespace: "any"},
		{verb: "get", resource: "secrets", namespace: "kube-system"},
		{verb: "list", resource: "configmaps", namespace: "any"},
		{verb: "update", group: "coordination.k8s.io", resource: "leases", namespace: "kube-system", name: "kube-controller-manager"},
		{verb: "create", group: "coordination.k8s.io", resource: "leases", namespace: "default"},
		{verb: "delete", group: "coordination.k8s.io", resource: "leases", namespace: "kube-system", name: "steadycron"},
		{verb: "update", group: "apps", resource: "deployments", namespace: "any"},
	}
	check := func(a access, want bool) {
		sar, err := cluster.Client.AuthorizationV1().SubjectAccessReviews().Create(ctx, &authorizationv1.SubjectAccessReview{
			Spec: authorizationv1.SubjectAccessReviewSpec{
				User: user, Groups: groups,
				ResourceAttributes: &authorizationv1.ResourceAttributes{
					Verb: a.verb, Group: a.group, Resource: a.resource, Subresource: a.subresource,
					Namespace: a.namespace, Name: a.name,
				},
			},
		}, metav1.CreateOptions{})
		require.NoError(t, err)
		what := fmt.Sprintf("%s %s/%s", a.verb, a.group, a.resource)
		if a.subresource != "" {
			what += "/" + a.subresource
		}
		if a.name != "" {
			what += " " + a.namespace + "/" + a.name
		}
		assert.Equal(t, want, sar.Status.Allowed, "%s: allowed=%t, want %t (%s)", what, sar.Status.Allowed, want, sar.Status.Reason)
	}
	for _, a := range allowed {
		check(a, true)
	}
	for _, a := range denied {
		check(a, false)
	}
}

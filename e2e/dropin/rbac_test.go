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
	"testing"

	"github.com/steadycron/steadycron/e2e/framework"
)

// TestSteadycronRBACIsLeastPrivilege asks the apiserver (SubjectAccessReview)
// what deploy/rbac lets the steadycron ServiceAccount do: what the
// controller needs, and a sample of what it must not be able to do.
func TestSteadycronRBACIsLeastPrivilege(t *testing.T) {
	t.Parallel()
	sa := framework.ServiceAccountSubject(framework.SteadycronNamespace, framework.SteadycronServiceAccount)
	denied := []framework.Access{
		framework.ResourceAccess("create", "batch", "cronjobs", "", "any", ""),
		framework.ResourceAccess("delete", "batch", "cronjobs", "", "any", ""),
		framework.ResourceAccess("delete", "", "pods", "", "any", ""),
		framework.ResourceAccess("create", "", "pods", "", "any", ""),
		framework.ResourceAccess("update", "", "pods", "status", "any", ""),
		framework.ResourceAccess("get", "", "secrets", "", "kube-system", ""),
		framework.ResourceAccess("list", "", "configmaps", "", "any", ""),
		framework.ResourceAccess("update", "", "configmaps", "", "kube-system", "kubeadm-config"),
		framework.ResourceAccess("create", "", "configmaps", "", "default", ""),
		framework.ResourceAccess("update", "coordination.k8s.io", "leases", "", "kube-system", "kube-controller-manager"),
		framework.ResourceAccess("create", "coordination.k8s.io", "leases", "", "default", ""),
		framework.ResourceAccess("delete", "coordination.k8s.io", "leases", "", "kube-system", "steadycron"),
		framework.ResourceAccess("update", "apps", "deployments", "", "any", ""),
	}
	cluster.ExpectAccess(t, sa, true, framework.SteadycronNeeds...)
	cluster.ExpectAccess(t, sa, false, denied...)
}

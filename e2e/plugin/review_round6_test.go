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

package plugin

import (
	"testing"

	"github.com/stretchr/testify/require"

	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/steadycron/steadycron/e2e/framework"
)

// TestReview6RunWithTheDocumentedPermissions (review round 6): a user with
// the permissions docs/plugin.md lists for run (get the CronJob, list the
// namespace's Jobs, create a Job) may run `kubectl create job
// --from=cronjob/NAME`, which run says it does as; `kubectl cronjob run NAME`
// must work for that user too. The control plane enables
// OwnerReferencesPermissionEnforcement (e2e/README.md), as OpenShift does.
//
// Expected: both create a Job.
// Actual: kubectl create job succeeds; kubectl cronjob run is refused:
// "cannot set blockOwnerDeletion if an ownerReference refers to a resource
// you can't set finalizers on" (pkg/plugin/run.go, jobFromCronJob sets
// blockOwnerDeletion, which kubectl leaves unset on purpose).
func TestReview6RunWithTheDocumentedPermissions(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)
	_, err := cluster.CreateCronJob(ctx, ns, cluster.NewCronJob("quick", "0 0 1 1 *", framework.Succeeds))
	require.NoError(t, err)
	const user = "review6-runner"
	_, err = cluster.Client.RbacV1().Roles(ns).Create(ctx, &rbacv1.Role{
		ObjectMeta: metav1.ObjectMeta{Name: user},
		Rules: []rbacv1.PolicyRule{
			{APIGroups: []string{"batch"}, Resources: []string{"cronjobs"}, Verbs: []string{"get", "list", "watch"}},
			{APIGroups: []string{"batch"}, Resources: []string{"jobs"}, Verbs: []string{"get", "list", "watch", "create"}},
		},
	}, metav1.CreateOptions{})
	require.NoError(t, err)
	_, err = cluster.Client.RbacV1().RoleBindings(ns).Create(ctx, &rbacv1.RoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: user},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "Role", Name: user},
		Subjects:   []rbacv1.Subject{{APIGroup: rbacv1.GroupName, Kind: rbacv1.UserKind, Name: user}},
	}, metav1.CreateOptions{})
	require.NoError(t, err)

	out, err := cluster.Kubectl(ctx, "--as", user, "-n", ns, "create", "job", "by-kubectl", "--from=cronjob/quick")
	t.Logf("kubectl create job --from=cronjob/quick as %s:\n%s", user, out)
	require.NoError(t, err, "kubectl create job --from=cronjob/quick as %s", user)
	_, err = kubectlCronJob(t, ns, "--as", user, "run", "quick")
	require.NoError(t, err, "kubectl cronjob run quick as %s, who may run kubectl create job --from=cronjob/quick", user)
}

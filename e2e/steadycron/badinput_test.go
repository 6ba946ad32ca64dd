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

package steadycron

import (
	"bytes"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	clientv3 "go.etcd.io/etcd/client/v3"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/serializer/protobuf"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/utils/ptr"

	"github.com/steadycron/steadycron/e2e/framework"
)

// storeBypassingValidation writes cj to etcd the way kube-apiserver stores a
// batch/v1 CronJob (protobuf, under /registry/cronjobs/<namespace>/<name>), so
// the cluster holds an object its validation would refuse today: one created
// before a validation existed, or restored from a backup.
func storeBypassingValidation(t *testing.T, ns string, cj *batchv1.CronJob) *batchv1.CronJob {
	t.Helper()
	endpoint := cluster.EtcdEndpoint()
	require.NotEmpty(t, endpoint, "needs the local control plane's etcd")

	cj = cj.DeepCopy()
	cj.TypeMeta = metav1.TypeMeta{APIVersion: "batch/v1", Kind: "CronJob"}
	cj.Namespace = ns
	cj.UID = types.UID(uuid.NewString())
	cj.CreationTimestamp = metav1.Now()
	cj.Generation = 1
	// What the API server's defaulting would have set.
	cj.Spec.Suspend = ptr.To(false)
	cj.Spec.SuccessfulJobsHistoryLimit = ptr.To[int32](3)
	cj.Spec.FailedJobsHistoryLimit = ptr.To[int32](1)
	var buf bytes.Buffer
	require.NoError(t, protobuf.NewSerializer(scheme.Scheme, scheme.Scheme).Encode(cj, &buf))

	client, err := clientv3.New(clientv3.Config{Endpoints: []string{endpoint}, DialTimeout: 10 * time.Second})
	require.NoError(t, err)
	defer func() { _ = client.Close() }()
	_, err = client.Put(t.Context(), "/registry/cronjobs/"+ns+"/"+cj.Name, buf.String())
	require.NoError(t, err)
	return cj
}

// TestUnknownTimeZoneIsCounted: a CronJob whose time zone the controller does
// not know (stored before validation refused it) gets an UnknownTimeZone
// warning and one skip/invalidTimeZone, creates no Job, and does not keep the
// CronJob next to it from running.
func TestUnknownTimeZoneIsCounted(t *testing.T) {
	cluster.RequireLocal(t, scrapesMetrics)
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	bad := cluster.NewCronJob("mars", "* * * * *", framework.Succeeds)
	bad.Spec.TimeZone = ptr.To("Mars/Olympus_Mons")
	bad.Spec.ConcurrencyPolicy = batchv1.AllowConcurrent
	bad.Spec.JobTemplate.Spec.Template.Spec.RestartPolicy = corev1.RestartPolicyNever
	stored := storeBypassingValidation(t, ns, bad)
	good, err := cluster.CreateCronJob(ctx, ns, cluster.NewCronJob("earth", "* * * * *", framework.Succeeds))
	require.NoError(t, err)

	_, err = cluster.WaitForEvent(ctx, ns, stored, time.Minute, "UnknownTimeZone")
	require.NoError(t, err)
	_, err = framework.WaitCounter(ctx, cluster.Steadycron(), decisionsMetric, framework.Decision(ns, stored.Name, "skip", "invalidTimeZone"), 1, 10*time.Second)
	require.NoError(t, err)

	_, err = cluster.WaitForJobs(ctx, good, 1, untilMinuteMarks(1))
	require.NoError(t, err, "a CronJob with a bad time zone stalled the one next to it")
	jobs, err := cluster.JobsOf(ctx, stored)
	require.NoError(t, err)
	assert.Empty(t, jobs)
	skips, err := framework.ScrapeSeries(ctx, cluster.Steadycron(), decisionsMetric, framework.Decision(ns, stored.Name, "skip", "invalidTimeZone"))
	require.NoError(t, err)
	assert.Equal(t, 1.0, skips.Value, "counted once, however often the CronJob is synced")
}

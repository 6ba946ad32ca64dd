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
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	clientv3 "go.etcd.io/etcd/client/v3"

	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/serializer/protobuf"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/utils/ptr"
)

// StoreCronJobBypassingValidation writes cj into etcd the way kube-apiserver
// stores a batch/v1 CronJob (protobuf, under /registry/cronjobs/<ns>/<name>),
// so the cluster holds an object its validation would refuse today: one
// created before a validation existed, or restored from a backup. It returns
// the object as stored (with its UID, for events). Storing that object again,
// changed, is an update of the same object, which watchers see as such (a
// way to make the controller sync an object the API would refuse to update).
// Status is stored as given. Local cluster only.
func (c *Cluster) StoreCronJobBypassingValidation(ctx context.Context, ns string, cj *batchv1.CronJob) (*batchv1.CronJob, error) {
	endpoint := c.EtcdEndpoint()
	if endpoint == "" {
		return nil, ErrExternalCluster
	}
	cj = cj.DeepCopy()
	cj.TypeMeta = metav1.TypeMeta{APIVersion: "batch/v1", Kind: "CronJob"}
	cj.Namespace = ns
	cj.ResourceVersion = "" // etcd's revision is the resourceVersion
	if cj.UID == "" {
		cj.UID = types.UID(uuid.NewString())
		cj.CreationTimestamp = metav1.Now()
		cj.Generation = 1
	}
	// What the API server's defaulting would have set.
	if cj.Spec.Suspend == nil {
		cj.Spec.Suspend = ptr.To(false)
	}
	if cj.Spec.ConcurrencyPolicy == "" {
		cj.Spec.ConcurrencyPolicy = batchv1.AllowConcurrent
	}
	cj.Spec.SuccessfulJobsHistoryLimit = ptr.To[int32](3)
	cj.Spec.FailedJobsHistoryLimit = ptr.To[int32](1)
	var buf bytes.Buffer
	if err := protobuf.NewSerializer(scheme.Scheme, scheme.Scheme).Encode(cj, &buf); err != nil {
		return nil, fmt.Errorf("encoding CronJob %s/%s: %w", ns, cj.Name, err)
	}
	client, err := clientv3.New(clientv3.Config{Endpoints: []string{endpoint}, DialTimeout: 10 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("connecting to etcd at %s: %w", endpoint, err)
	}
	defer func() { _ = client.Close() }()
	if _, err := client.Put(ctx, "/registry/cronjobs/"+ns+"/"+cj.Name, buf.String()); err != nil {
		return nil, fmt.Errorf("writing CronJob %s/%s to etcd: %w", ns, cj.Name, err)
	}
	return cj, nil
}

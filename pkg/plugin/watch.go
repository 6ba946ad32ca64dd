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
	"context"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"
)

// watchListerWatcher lists and watches the Jobs of a field selector.
type watchListerWatcher struct {
	client    kubernetes.Interface
	namespace string
	selector  string
	// refused, when set, is called with the error of a list or watch the API
	// server refuses for the user's permissions (Forbidden, Unauthorized):
	// the informer would retry it forever, and retrying does not mend it.
	refused func(error)
}

func (lw *watchListerWatcher) List(options metav1.ListOptions) (runtime.Object, error) {
	options.FieldSelector = lw.selector
	list, err := lw.client.BatchV1().Jobs(lw.namespace).List(context.Background(), options)
	lw.check(err)
	return list, err
}

func (lw *watchListerWatcher) Watch(options metav1.ListOptions) (watch.Interface, error) {
	options.FieldSelector = lw.selector
	w, err := lw.client.BatchV1().Jobs(lw.namespace).Watch(context.Background(), options)
	lw.check(err)
	return w, err
}

func (lw *watchListerWatcher) check(err error) {
	if lw.refused != nil && (apierrors.IsForbidden(err) || apierrors.IsUnauthorized(err)) {
		lw.refused(err)
	}
}

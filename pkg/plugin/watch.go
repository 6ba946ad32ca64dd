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
}

func (lw *watchListerWatcher) List(options metav1.ListOptions) (runtime.Object, error) {
	options.FieldSelector = lw.selector
	return lw.client.BatchV1().Jobs(lw.namespace).List(context.Background(), options)
}

func (lw *watchListerWatcher) Watch(options metav1.ListOptions) (watch.Interface, error) {
	options.FieldSelector = lw.selector
	return lw.client.BatchV1().Jobs(lw.namespace).Watch(context.Background(), options)
}

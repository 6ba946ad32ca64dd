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
	"os"
	"path/filepath"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"sigs.k8s.io/yaml"
)

// Manifests: read from YAML files and server-side applied, for real or as a
// dry run.

// ApplyOptions says how ApplyObjects applies.
type ApplyOptions struct {
	// DefaultNamespace is where namespaced objects without a namespace go.
	DefaultNamespace string
	// FieldManager owns the applied fields; "steadycron-e2e" when empty.
	FieldManager string
	// DryRun, when set and true for an object, sends that object with
	// dryRun=All: validated, defaulted and admitted, never stored.
	DryRun func(*unstructured.Unstructured) bool
	// SkipUnserved skips (ApplyResult.Skipped) an object whose API the
	// server does not serve, instead of failing.
	SkipUnserved bool
	// Created, when set, is called for each object the apply stored that
	// did not exist before, with a function that deletes it: for a test to
	// remove what it created when it ends.
	Created func(what string, remove func(context.Context) error)
}

// ApplyResult lists the kinds of the objects applied and of those skipped,
// in the order of the objects.
type ApplyResult struct {
	Applied, Skipped []string
}

// Apply server-side applies objects as cluster admin; namespaced objects
// without a namespace go to defaultNamespace.
func (c *Cluster) Apply(ctx context.Context, defaultNamespace string, objs []*unstructured.Unstructured) error {
	_, err := ApplyObjects(ctx, c.Config, objs, ApplyOptions{DefaultNamespace: defaultNamespace})
	return err
}

// ApplyObjects server-side applies objs in order with the identity of cfg,
// forcing conflicts. It stops at the first object that fails.
func ApplyObjects(ctx context.Context, cfg *rest.Config, objs []*unstructured.Unstructured, opts ApplyOptions) (ApplyResult, error) {
	var res ApplyResult
	dc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		return res, fmt.Errorf("building a discovery client: %w", err)
	}
	mapper := restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(dc))
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return res, fmt.Errorf("building a dynamic client: %w", err)
	}
	manager := opts.FieldManager
	if manager == "" {
		manager = fieldManager
	}
	for _, obj := range objs {
		gvk := obj.GroupVersionKind()
		what := fmt.Sprintf("%s %s/%s", gvk.Kind, obj.GetNamespace(), obj.GetName())
		m, err := mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
		if opts.SkipUnserved && meta.IsNoMatchError(err) {
			res.Skipped = append(res.Skipped, gvk.Kind)
			continue
		}
		if err != nil {
			return res, fmt.Errorf("mapping %s: %w", what, err)
		}
		var ri dynamic.ResourceInterface = dyn.Resource(m.Resource)
		if m.Scope.Name() == meta.RESTScopeNameNamespace {
			ns := obj.GetNamespace()
			if ns == "" {
				ns = opts.DefaultNamespace
			}
			ri = dyn.Resource(m.Resource).Namespace(ns)
		}
		apply := metav1.ApplyOptions{FieldManager: manager, Force: true}
		dryRun := opts.DryRun != nil && opts.DryRun(obj)
		created := false
		if dryRun {
			apply.DryRun = []string{metav1.DryRunAll}
		} else if opts.Created != nil {
			_, err := ri.Get(ctx, obj.GetName(), metav1.GetOptions{})
			created = apierrors.IsNotFound(err)
		}
		if _, err := ri.Apply(ctx, obj.GetName(), obj, apply); err != nil {
			return res, fmt.Errorf("applying %s (dryRun=%t): %w", what, dryRun, err)
		}
		res.Applied = append(res.Applied, gvk.Kind)
		if created {
			name := obj.GetName()
			opts.Created(what, func(ctx context.Context) error {
				if err := ri.Delete(ctx, name, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
					return fmt.Errorf("deleting %s: %w", what, err)
				}
				return nil
			})
		}
	}
	return res, nil
}

// applyKustomizeDir server-side applies every object of the files a
// kustomization.yaml lists under resources (plain files only: no patches,
// generators or remote bases, which deploy/rbac does not use).
func applyKustomizeDir(ctx context.Context, cfg *rest.Config, dir string) error {
	kpath := filepath.Join(dir, "kustomization.yaml")
	data, err := os.ReadFile(kpath)
	if err != nil {
		return fmt.Errorf("reading %s: %w", kpath, err)
	}
	var k struct {
		Resources []string `json:"resources"`
	}
	if err := yaml.Unmarshal(data, &k); err != nil {
		return fmt.Errorf("parsing %s: %w", kpath, err)
	}
	if len(k.Resources) == 0 {
		return fmt.Errorf("%s lists no resources", kpath)
	}
	var objs []*unstructured.Unstructured
	for _, res := range k.Resources {
		o, err := ReadObjects(filepath.Join(dir, res))
		if err != nil {
			return err
		}
		objs = append(objs, o...)
	}
	_, err = ApplyObjects(ctx, cfg, objs, ApplyOptions{})
	return err
}

// ReadObjects splits a multi-document YAML file into objects.
func ReadObjects(path string) ([]*unstructured.Unstructured, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	objs, err := ParseObjects(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return objs, nil
}

// ParseObjects splits multi-document YAML into objects, leaving out empty
// documents; a kind List stays one object (see Unstructured.EachListItem).
func ParseObjects(data []byte) ([]*unstructured.Unstructured, error) {
	var objs []*unstructured.Unstructured
	for i, doc := range splitYAMLDocuments(data) {
		var m map[string]any
		if err := yaml.Unmarshal(doc, &m); err != nil {
			return nil, fmt.Errorf("document %d: %w", i+1, err)
		}
		if len(m) == 0 {
			continue
		}
		objs = append(objs, &unstructured.Unstructured{Object: m})
	}
	return objs, nil
}

func splitYAMLDocuments(data []byte) [][]byte {
	var docs [][]byte
	var cur []byte
	for _, line := range bytes.SplitAfter(data, []byte("\n")) {
		if bytes.Equal(bytes.TrimRight(line, " \t\r\n"), []byte("---")) {
			docs = append(docs, cur)
			cur = nil
			continue
		}
		cur = append(cur, line...)
	}
	return append(docs, cur)
}

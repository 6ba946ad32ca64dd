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

// Package validate checks steadycron's deployment artifacts with the tools'
// own libraries: the PrometheusRule with Prometheus' rule-file parser and
// PromQL parser, the Grafana dashboard's queries with the PromQL parser, and
// kind-config with kind's v1alpha4 types. Queries may select only the
// families of the metric contract, docs/metrics-contract.yaml, which
// docs/metrics.md must document exactly and outside which no file of the
// repository may name a metric or a steadycron.io/ annotation. It is a module of its own so that
// Prometheus and kind stay out of the product's go.mod. Run it with
//
//	cd deploy/validate && go test ./...
package validate

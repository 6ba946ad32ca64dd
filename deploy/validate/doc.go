// Package validate checks steadycron's deployment artifacts with the tools'
// own libraries: the PrometheusRule with Prometheus' rule-file parser and
// PromQL parser, the Grafana dashboard's queries with the PromQL parser, and
// kind-config with kind's v1alpha4 types. It is a module of its own so that
// Prometheus and kind stay out of the product's go.mod. Run it with
//
//	cd deploy/validate && go test ./...
package validate

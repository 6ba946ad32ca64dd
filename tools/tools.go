//go:build tools

// Package tools pins the programs that make up the e2e test cluster. It is
// never compiled into steadycron; scripts/cluster-binaries.sh builds the
// packages below into _output/bin so that `go mod tidy` keeps their
// dependencies in this module's go.mod.
package tools

import (
	_ "go.etcd.io/etcd/server/v3"
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kubectl"
	_ "sigs.k8s.io/kwok/cmd/kwok"
)

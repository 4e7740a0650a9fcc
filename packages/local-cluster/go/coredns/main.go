// A minimal CoreDNS for the local cluster: the plugins a cluster DNS needs (the kubernetes plugin
// serving cluster.local, health/ready probes, cache, errors, loadbalance) and nothing that calls out to
// a cloud. Same Corefile syntax and behaviour as the coredns/coredns image minikube runs.
package main

import (
	"github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/loadbalance"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/ready"
)

// the order in which plugins run, as in CoreDNS's plugin.cfg (a subset)
var directives = []string{"ready", "health", "errors", "log", "loadbalance", "cache", "kubernetes"}

func init() { dnsserver.Directives = directives }

func main() { coremain.Run() }

// The Pod sandbox ("pause") process: holds the Pod's namespaces, reaps zombies, exits on SIGINT/SIGTERM.
// Behaves like registry.k8s.io/pause, which no registry here can serve; built static and packed into a
// one-file image by cluster.sh.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	signals := make(chan os.Signal, 4)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for sig := range signals {
		if sig == syscall.SIGCHLD {
			for {
				pid, err := syscall.Wait4(-1, nil, syscall.WNOHANG, nil)
				if pid <= 0 || err != nil {
					break
				}
			}
			continue
		}
		os.Exit(0)
	}
}

// Command pulumi-resource-kubernetes is the Kubernetes resource provider, built from the
// provider module on the Go module proxy. The upstream cmd package embeds files that
// `go generate` makes and the module zip lacks, so this wrapper embeds the ones that
// packages/pulumi-engine/pulumi-engine.sh generates next to it (schema-embed.json, terraform-mapping-embed.json).
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

//go:embed schema-embed.json
var pulumiSchema []byte

//go:embed terraform-mapping-embed.json
var terraformMapping []byte

func main() {
	provider.Serve("kubernetes", version.Version, pulumiSchema, terraformMapping)
}

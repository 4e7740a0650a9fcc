// Command pulumi-language-nodejs is this repository's Node.js language host for the Pulumi engine, a stand-in for
// upstream's (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3, which the Go module proxy does
// not serve). Like upstream's it is a Go binary next to the CLI that speaks the engine's LanguageRuntime gRPC
// protocol, and runs the program the way upstream does: `node <nodeargs> @pulumi/pulumi/cmd/run ...` with the
// stack's config in PULUMI_CONFIG. The engine starts it twice per command (once for the program's plugins, once
// to run it), so a Go binary matters: about 0.25 s less per start than a Node.js host loading gRPC.
//
// It implements what `pulumi preview|up|refresh|destroy|stack|config|about` need: Handshake, GetRequiredPlugins,
// GetRequiredPackages, GetPluginInfo, Run, About, GetProgramDependencies, RuntimeOptionsPrompts, Cancel.
// Built by packages/pulumi-engine/pulumi-engine.sh in the CLI's wrapper module (its packages are the CLI's).
//
// Usage (by the engine): pulumi-language-nodejs [flags] <engine address>
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// Set at build time (-ldflags -X): version is the CLI's, which upstream's bundled host reports too; source is the
// hash of this file, so that pulumi-engine.sh rebuilds the binary when the file changes.
var (
	version = "0.0.0"
	source  = ""
)

// exitAlreadyReported is the exit code with which @pulumi/pulumi's cmd/run says it already reported the error.
const exitAlreadyReported = 32

// pulumiPackage is the `pulumi` block of an installed npm package that declares a resource plugin.
type pulumiPackage struct {
	Resource bool   `json:"resource"`
	Name     string `json:"name"`
	Version  string `json:"version"`
	Server   string `json:"server"`
}

func readPulumiPackage(packageJSON string) (pulumiPackage, bool) {
	data, err := os.ReadFile(packageJSON)
	if err != nil {
		return pulumiPackage{}, false
	}
	var parsed struct {
		Pulumi *pulumiPackage `json:"pulumi"`
	}
	if json.Unmarshal(data, &parsed) != nil || parsed.Pulumi == nil || !parsed.Pulumi.Resource || parsed.Pulumi.Name == "" {
		return pulumiPackage{}, false
	}
	return *parsed.Pulumi, true
}

// requiredPackages lists the resource plugins declared by the packages in node_modules of the program directory and
// its parents (the nearest declaration of a name wins), as upstream's host finds them.
func requiredPackages(programDirectory string) []pulumiPackage {
	var found []pulumiPackage
	seen := map[string]bool{}
	dir, _ := filepath.Abs(programDirectory)
	for {
		modules := filepath.Join(dir, "node_modules")
		entries, _ := os.ReadDir(modules)
		for _, entry := range entries {
			candidates := []string{filepath.Join(modules, entry.Name())}
			if strings.HasPrefix(entry.Name(), "@") {
				candidates = nil
				scoped, _ := os.ReadDir(filepath.Join(modules, entry.Name()))
				for _, sub := range scoped {
					candidates = append(candidates, filepath.Join(modules, entry.Name(), sub.Name()))
				}
			}
			for _, candidate := range candidates {
				if pkg, ok := readPulumiPackage(filepath.Join(candidate, "package.json")); ok && !seen[pkg.Name] {
					seen[pkg.Name] = true
					found = append(found, pkg)
				}
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return found
		}
		dir = parent
	}
}

func programDirectoryOf(info *pulumirpc.ProgramInfo, fallback string) string {
	if dir := info.GetProgramDirectory(); dir != "" {
		return dir
	}
	if fallback != "" {
		return fallback
	}
	cwd, _ := os.Getwd()
	return cwd
}

// resolveRunEntry finds @pulumi/pulumi/cmd/run as Node's resolution would from the program directory.
func resolveRunEntry(programDirectory string) (string, bool) {
	for dir := programDirectory; ; dir = filepath.Dir(dir) {
		entry := filepath.Join(dir, "node_modules", "@pulumi", "pulumi", "cmd", "run", "index.js")
		if _, err := os.Stat(entry); err == nil {
			return filepath.Dir(entry), true
		}
		if filepath.Dir(dir) == dir {
			return "", false
		}
	}
}

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string

	mu                 sync.Mutex
	handshakeDirectory string
	running            map[*exec.Cmd]bool
}

func (h *host) Handshake(_ context.Context, req *pulumirpc.LanguageHandshakeRequest) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.mu.Lock()
	h.handshakeDirectory = req.GetProgramDirectory()
	h.mu.Unlock()
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

func (h *host) GetRequiredPackages(_ context.Context, req *pulumirpc.GetRequiredPackagesRequest) (*pulumirpc.GetRequiredPackagesResponse, error) {
	h.mu.Lock()
	fallback := h.handshakeDirectory
	h.mu.Unlock()
	var packages []*pulumirpc.PackageDependency
	for _, pkg := range requiredPackages(programDirectoryOf(req.GetInfo(), fallback)) {
		packages = append(packages, &pulumirpc.PackageDependency{Name: pkg.Name, Kind: "resource", Version: pkg.Version, Server: pkg.Server})
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: packages}, nil
}

func (h *host) GetRequiredPlugins(_ context.Context, req *pulumirpc.GetRequiredPluginsRequest) (*pulumirpc.GetRequiredPluginsResponse, error) {
	var plugins []*pulumirpc.PluginDependency
	for _, pkg := range requiredPackages(programDirectoryOf(req.GetInfo(), req.GetPwd())) {
		plugins = append(plugins, &pulumirpc.PluginDependency{Name: pkg.Name, Kind: "resource", Version: pkg.Version, Server: pkg.Server})
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
}

func (h *host) GetProgramDependencies(_ context.Context, req *pulumirpc.GetProgramDependenciesRequest) (*pulumirpc.GetProgramDependenciesResponse, error) {
	var deps []*pulumirpc.DependencyInfo
	for _, pkg := range requiredPackages(programDirectoryOf(req.GetInfo(), req.GetPwd())) {
		deps = append(deps, &pulumirpc.DependencyInfo{Name: pkg.Name, Version: pkg.Version})
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}

func (h *host) RuntimeOptionsPrompts(context.Context, *pulumirpc.RuntimeOptionsRequest) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

func (h *host) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, errors.New("node is not on PATH")
	}
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("%s --version failed: %w", node, err)
	}
	return &pulumirpc.AboutResponse{Executable: node, Version: strings.TrimPrefix(strings.TrimSpace(string(out)), "v")}, nil
}

func (h *host) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for cmd := range h.running {
		_ = cmd.Process.Signal(syscall.SIGINT)
	}
	return &emptypb.Empty{}, nil
}

// Run runs the program through @pulumi/pulumi's cmd/run and answers with how it ended.
func (h *host) Run(_ context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	programDirectory := programDirectoryOf(info, req.GetPwd())
	options := info.GetOptions().AsMap()
	runEntry, ok := resolveRunEntry(programDirectory)
	if !ok {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("@pulumi/pulumi is not installed for the program in %s: run npm install there first", programDirectory)}, nil
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: "could not find node on PATH: install Node.js (the program runs on it)"}, nil
	}

	var args []string
	if nodeargs, ok := options["nodeargs"].(string); ok {
		args = append(args, strings.Fields(nodeargs)...)
	}
	rootDirectory := info.GetRootDirectory()
	if rootDirectory == "" {
		rootDirectory = req.GetPwd()
	}
	args = append(args, runEntry,
		"--monitor="+req.GetMonitorAddress(),
		"--engine="+h.engineAddress,
		"--organization="+req.GetOrganization(),
		"--project="+req.GetProject(),
		"--stack="+req.GetStack(),
		"--pwd="+req.GetPwd(),
		"--root-directory="+rootDirectory,
		fmt.Sprintf("--parallel=%d", req.GetParallel()),
	)
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	program := info.GetEntryPoint()
	if program == "" {
		program = req.GetProgram()
	}
	if program == "" {
		program = "."
	}
	args = append(args, program)
	args = append(args, req.GetArgs()...)

	config, err := json.Marshal(req.GetConfig())
	if err != nil {
		return nil, err
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}
	typescript := "true"
	if value, ok := options["typescript"].(bool); ok {
		typescript = fmt.Sprint(value)
	}
	env := append(os.Environ(), "PULUMI_CONFIG="+string(config), "PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON), "PULUMI_NODEJS_TYPESCRIPT="+typescript)
	if tsconfig, ok := options["tsconfig"].(string); ok {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+tsconfig)
	}

	cmd := exec.Command(node, args...)
	cmd.Dir = req.GetPwd()
	if cmd.Dir == "" {
		cmd.Dir = programDirectory
	}
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		return &pulumirpc.RunResponse{Error: "could not start node for the program: " + err.Error()}, nil
	}
	h.mu.Lock()
	h.running[cmd] = true
	h.mu.Unlock()
	err = cmd.Wait()
	h.mu.Lock()
	delete(h.running, cmd)
	h.mu.Unlock()

	var exit *exec.ExitError
	switch {
	case err == nil:
		return &pulumirpc.RunResponse{}, nil
	case errors.As(err, &exit) && exit.ExitCode() == exitAlreadyReported:
		return &pulumirpc.RunResponse{Bail: true}, nil
	case errors.As(err, &exit) && exit.ExitCode() < 0:
		return &pulumirpc.RunResponse{Error: "Program exited with " + exit.String()}, nil
	case errors.As(err, &exit):
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with exit code %d", exit.ExitCode())}, nil
	default:
		return &pulumirpc.RunResponse{Error: "running the program failed: " + err.Error()}, nil
	}
}

func main() {
	// the engine address is the last argument that is not a flag
	engineAddress := ""
	for _, arg := range os.Args[1:] {
		if !strings.HasPrefix(arg, "-") {
			engineAddress = arg
		}
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintf(os.Stderr, "language host: cannot listen on 127.0.0.1: %v\n", err)
		os.Exit(1)
	}
	server := grpc.NewServer()
	pulumirpc.RegisterLanguageRuntimeServer(server, &host{engineAddress: engineAddress, running: map[*exec.Cmd]bool{}})
	// the engine reads the port from the first line of stdout
	fmt.Printf("%d\n", listener.Addr().(*net.TCPAddr).Port)
	if err := server.Serve(listener); err != nil {
		fmt.Fprintf(os.Stderr, "language host: %v\n", err)
		os.Exit(1)
	}
}

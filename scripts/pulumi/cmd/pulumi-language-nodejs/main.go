// pulumi-language-nodejs: a small Node.js language host for the Pulumi CLI that
// scripts/install-pulumi builds.
//
// The Pulumi engine starts a language host per program, talks to it over gRPC
// (the LanguageRuntime service of github.com/pulumi/pulumi/sdk/v3/proto/go) and
// asks it to run the program against the engine's resource monitor. Pulumi's own
// Node.js host lives in a module that the Go module proxy reachable here does not
// serve, so floe builds this one: it implements what `pulumi up`, `preview`,
// `refresh`, `destroy` and `stack` need, and answers Unimplemented to the rest
// (project templates, code generation, dependency installation, debugging), which
// the engine treats as "not supported by this host".
//
// Running a program means running @pulumi/pulumi's own entry point
// (@pulumi/pulumi/cmd/run, resolved from the program's directory) in node, with the
// flags and environment that entry point reads (see its usage text), and the
// Pulumi.yaml runtime options `typescript`, `tsconfig` and `nodeargs`.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
)

// Exit code of @pulumi/pulumi/cmd/run after it has already shown the user an
// actionable error: the engine should stop without adding a message of its own.
const exitAfterUserMessage = 32

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
	// Cancelled by the engine's Cancel call or by SIGINT: stops a running program.
	cancel context.Context
	stop   context.CancelFunc
}

func main() {
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.String("tracing", "", "accepted for compatibility; tracing is not supported")
	runtimeName := flag.String("runtime", "nodejs", "only nodejs is supported")
	flag.Parse()
	if *showVersion {
		fmt.Println(version.Version)
		return
	}
	if *runtimeName != "nodejs" {
		fail(fmt.Errorf("unsupported runtime %q: this language host runs Node.js only", *runtimeName))
	}

	h := &host{}
	if flag.NArg() > 0 {
		h.engineAddress = flag.Arg(0)
	}
	h.cancel, h.stop = signal.NotifyContext(context.Background(), os.Interrupt)

	done := make(chan bool)
	go func() {
		<-h.cancel.Done()
		close(done)
	}()
	if h.engineAddress != "" {
		// Exit when the engine goes away, rather than linger as an orphan.
		if err := rpcutil.Healthcheck(h.cancel, h.engineAddress, 5*time.Minute, h.stop); err != nil {
			fail(fmt.Errorf("could not start the engine health check: %w", err))
		}
	}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: done,
		Init: func(server *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(server, h)
			return nil
		},
	})
	if err != nil {
		fail(fmt.Errorf("could not start the language host's gRPC server: %w", err))
	}
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fail(fmt.Errorf("the language host's gRPC server stopped: %w", err))
	}
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
	os.Exit(1)
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

func (h *host) Handshake(_ context.Context, req *pulumirpc.LanguageHandshakeRequest) (*pulumirpc.LanguageHandshakeResponse, error) {
	if h.engineAddress == "" {
		h.engineAddress = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.stop()
	return &emptypb.Empty{}, nil
}

// GetRequiredPackages lists the resource plugins of the program's npm
// dependencies: the packages in its node_modules whose package.json says
// `"pulumi": {"resource": true}` (as @pulumi/snowflake does). The engine installs
// or loads those; with PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION it only notes
// the missing ones and fails later if a resource actually needs one.
func (h *host) GetRequiredPackages(_ context.Context, req *pulumirpc.GetRequiredPackagesRequest) (*pulumirpc.GetRequiredPackagesResponse, error) {
	deps, err := resourcePackages(req.GetInfo().GetProgramDirectory())
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: deps}, nil
}

func (h *host) GetRequiredPlugins(ctx context.Context, req *pulumirpc.GetRequiredPluginsRequest) (*pulumirpc.GetRequiredPluginsResponse, error) {
	deps, err := resourcePackages(req.GetInfo().GetProgramDirectory())
	if err != nil {
		return nil, err
	}
	plugins := make([]*pulumirpc.PluginDependency, 0, len(deps))
	for _, d := range deps {
		plugins = append(plugins, &pulumirpc.PluginDependency{Name: d.Name, Kind: d.Kind, Version: d.Version, Server: d.Server})
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
}

type packageJSON struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Pulumi  struct {
		Resource bool   `json:"resource"`
		Name     string `json:"name"`
		Version  string `json:"version"`
		Server   string `json:"server"`
	} `json:"pulumi"`
}

// resourcePackages reads node_modules/<pkg>/package.json and
// node_modules/@scope/<pkg>/package.json under the nearest node_modules at or
// above the program directory.
func resourcePackages(programDir string) ([]*pulumirpc.PackageDependency, error) {
	modules := nearestNodeModules(programDir)
	if modules == "" {
		return nil, nil
	}
	var dirs []string
	entries, err := os.ReadDir(modules)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", modules, err)
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		if strings.HasPrefix(name, "@") {
			scoped, err := os.ReadDir(filepath.Join(modules, name))
			if err != nil {
				continue
			}
			for _, s := range scoped {
				dirs = append(dirs, filepath.Join(modules, name, s.Name()))
			}
			continue
		}
		dirs = append(dirs, filepath.Join(modules, name))
	}
	sort.Strings(dirs)
	var deps []*pulumirpc.PackageDependency
	for _, dir := range dirs {
		data, err := os.ReadFile(filepath.Join(dir, "package.json"))
		if err != nil {
			continue
		}
		var info packageJSON
		if err := json.Unmarshal(data, &info); err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "package.json"), err)
		}
		if !info.Pulumi.Resource {
			continue
		}
		name := info.Pulumi.Name
		if name == "" {
			name = strings.TrimPrefix(strings.TrimPrefix(info.Name, "@pulumi/"), "@")
		}
		v := info.Pulumi.Version
		if v == "" {
			v = info.Version
		}
		if v != "" && !strings.HasPrefix(v, "v") {
			v = "v" + v
		}
		deps = append(deps, &pulumirpc.PackageDependency{Name: name, Kind: "resource", Version: v, Server: info.Pulumi.Server})
	}
	return deps, nil
}

func nearestNodeModules(dir string) string {
	for dir != "" {
		candidate := filepath.Join(dir, "node_modules")
		if st, err := os.Stat(candidate); err == nil && st.IsDir() {
			return candidate
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return ""
}

// runtimeOptions are the Pulumi.yaml `runtime.options` this host honours.
type runtimeOptions struct {
	typescript bool
	tsconfig   string
	nodeargs   []string
}

func readOptions(options map[string]any) (runtimeOptions, error) {
	opts := runtimeOptions{typescript: true}
	for key, value := range options {
		switch key {
		case "typescript":
			b, ok := value.(bool)
			if !ok {
				return opts, errors.New("runtime option typescript must be true or false")
			}
			opts.typescript = b
		case "tsconfig":
			s, ok := value.(string)
			if !ok {
				return opts, errors.New("runtime option tsconfig must be a path")
			}
			opts.tsconfig = s
		case "nodeargs":
			s, ok := value.(string)
			if !ok {
				return opts, errors.New("runtime option nodeargs must be a string")
			}
			opts.nodeargs = strings.Fields(s)
		case "packagemanager":
			// Used only to install dependencies, which this host does not do.
		default:
			return opts, fmt.Errorf("runtime option %q is not supported by floe's language host (supported: typescript, tsconfig, nodeargs)", key)
		}
	}
	return opts, nil
}

// resolveFrom runs node to resolve a module the way the program's own require would.
func resolveFrom(dir, module string) (string, error) {
	cmd := exec.Command("node", "-e", "process.stdout.write(require.resolve(process.argv[1]))", module)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("cannot find %s from %s: is @pulumi/pulumi installed there (npm install)? (%v)", module, dir, err)
	}
	return string(out), nil
}

// Run runs the program in node and reports how it ended. The program's output goes
// straight to this host's stdout and stderr, which the engine shows.
func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	programDir := info.GetProgramDirectory()
	if programDir == "" {
		programDir = req.GetPwd()
	}
	opts, err := readOptions(info.GetOptions().AsMap())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	runPath := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH")
	if runPath == "" {
		runPath, err = resolveFrom(programDir, "@pulumi/pulumi/cmd/run")
		if err != nil {
			return &pulumirpc.RunResponse{Error: err.Error()}, nil
		}
	}

	args := append([]string{}, opts.nodeargs...)
	args = append(args, runPath)
	flagIf := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	flagIf("monitor", req.GetMonitorAddress())
	flagIf("engine", h.engineAddress)
	flagIf("organization", req.GetOrganization())
	flagIf("project", req.GetProject())
	flagIf("root-directory", info.GetRootDirectory())
	flagIf("stack", req.GetStack())
	flagIf("pwd", programDir)
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	flagIf("parallel", strconv.Itoa(int(req.GetParallel())))
	entry := info.GetEntryPoint()
	if entry == "" {
		entry = "."
	}
	args = append(args, entry)
	args = append(args, req.GetArgs()...)

	// @pulumi/pulumi reads config keys as "<namespace>:config:<name>".
	config := map[string]string{}
	for key, value := range req.GetConfig() {
		namespace, name, found := strings.Cut(key, ":")
		if found && !strings.HasPrefix(name, "config:") {
			key = namespace + ":config:" + name
		}
		config[key] = value
	}
	configJSON, err := json.Marshal(config)
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
	env := append(os.Environ(), "PULUMI_CONFIG="+string(configJSON), "PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON))
	if opts.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}

	runCtx, cancelRun := context.WithCancel(h.cancel)
	defer cancelRun()
	context.AfterFunc(ctx, cancelRun)
	cmd := exec.CommandContext(runCtx, "node", args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	cmd.Dir = programDir
	cmd.Env = env
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	err = cmd.Run()
	if err == nil {
		return &pulumirpc.RunResponse{}, nil
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		if exit.ExitCode() == exitAfterUserMessage {
			return &pulumirpc.RunResponse{Bail: true}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exit.ExitCode())}, nil
	}
	return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not run node: %v", err)}, nil
}

// About is what `pulumi about` shows for the language.
func (h *host) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	path, err := exec.LookPath("node")
	if err != nil {
		return nil, status.Error(codes.FailedPrecondition, "node is not on PATH")
	}
	out, err := exec.Command(path, "--version").Output()
	if err != nil {
		return nil, err
	}
	return &pulumirpc.AboutResponse{Executable: path, Version: strings.TrimSpace(string(out))}, nil
}

// A Node.js language host for the Pulumi engine (`pulumi-language-nodejs` on PATH, through the launcher
// that pulumi-engine.sh writes). The upstream host is a Go module that the Go module proxy does
// not serve (see pulumi-engine.sh), so this one speaks the same gRPC protocol, using the
// language service definitions that @pulumi/pulumi ships, and runs the program the same way: through
// @pulumi/pulumi's own `cmd/run` entry point, with the stack's config in PULUMI_CONFIG.
//
// It implements what `pulumi preview|up|refresh|destroy` need: Handshake, GetRequiredPackages,
// GetRequiredPlugins, GetPluginInfo, Run, About, GetProgramDependencies, RuntimeOptionsPrompts, Cancel.
// Usage (by the engine): language-host.ts <engine address>
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire, enableCompileCache } from "node:module";
import * as fs from "node:fs";
import * as path from "node:path";
import type * as Grpc from "@grpc/grpc-js";
import type * as EmptyPb from "google-protobuf/google/protobuf/empty_pb.js";
import type * as LanguageGrpc from "@pulumi/pulumi/proto/language_grpc_pb.js";
import type * as LanguagePb from "@pulumi/pulumi/proto/language_pb.js";
import type * as PluginPb from "@pulumi/pulumi/proto/plugin_pb.js";

// The engine starts this host twice per command (once for the runtime's metadata, once to run the program), and
// upstream's is a Go binary that starts in milliseconds: Node's compile cache (NODE_COMPILE_CACHE, else the OS
// temp directory) keeps gRPC's and the protobuf modules' compiled code between starts. The launcher sets
// NODE_COMPILE_CACHE, so this file's own type stripping is cached too; started without it, the cache is turned on
// here, before those modules load, hence require() below rather than static imports.
enableCompileCache();
// The protobuf modules are CommonJS whose exports Node cannot name for an ES import: require them.
const load = createRequire(process.argv[1] ?? `${process.cwd()}/`);
const grpc = load("@grpc/grpc-js") as typeof Grpc;
const emptyPb = load("google-protobuf/google/protobuf/empty_pb.js") as typeof EmptyPb;
const languageGrpc = load("@pulumi/pulumi/proto/language_grpc_pb.js") as typeof LanguageGrpc;
const languagePb = load("@pulumi/pulumi/proto/language_pb.js") as typeof LanguagePb;
const pluginPb = load("@pulumi/pulumi/proto/plugin_pb.js") as typeof PluginPb;

/** Exit code with which @pulumi/pulumi's cmd/run says it already reported the error to the engine. */
const EXIT_ALREADY_REPORTED = 32;

const engineAddress = process.argv.slice(2).filter((a) => !a.startsWith("-")).at(-1) ?? "";
const hostVersion = process.env["PULUMI_ENGINE_LANGUAGE_HOST_VERSION"] ?? "0.0.0";
const running = new Set<ChildProcess>();

interface PulumiPackage {
  name: string;
  version: string;
  server: string;
}

/** The `pulumi` block of an installed package's package.json, when it declares a resource plugin. */
function readPulumiPackage(packageJsonPath: string): PulumiPackage | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(packageJsonPath, "utf8"));
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null || !("pulumi" in parsed)) return undefined;
  const block: unknown = parsed.pulumi;
  if (typeof block !== "object" || block === null) return undefined;
  const field = (key: string): string => {
    const value: unknown = (block as Record<string, unknown>)[key];
    return typeof value === "string" ? value : "";
  };
  if ((block as Record<string, unknown>)["resource"] !== true || field("name") === "") return undefined;
  return { name: field("name"), version: field("version"), server: field("server") };
}

/** Resource plugins declared by the packages in node_modules of the program directory and its parents. */
function requiredPackages(programDirectory: string): PulumiPackage[] {
  const found = new Map<string, PulumiPackage>();
  for (let dir = path.resolve(programDirectory); ; dir = path.dirname(dir)) {
    const modules = path.join(dir, "node_modules");
    const entries = fs.existsSync(modules) ? fs.readdirSync(modules) : [];
    for (const entry of entries) {
      const candidates = entry.startsWith("@")
        ? fs.readdirSync(path.join(modules, entry)).map((sub) => path.join(modules, entry, sub))
        : [path.join(modules, entry)];
      for (const candidate of candidates) {
        const pkg = readPulumiPackage(path.join(candidate, "package.json"));
        if (pkg && !found.has(pkg.name)) found.set(pkg.name, pkg);
      }
    }
    if (path.dirname(dir) === dir) break;
  }
  return [...found.values()];
}

function programDirectoryOf(info: LanguagePb.ProgramInfo | undefined, fallback: string): string {
  return info?.getProgramDirectory() || fallback || process.cwd();
}

function runtimeOptions(info: LanguagePb.ProgramInfo | undefined): Record<string, unknown> {
  const options = info?.getOptions()?.toJavaScript();
  return options ?? {};
}

function packageDependency(pkg: PulumiPackage): PluginPb.PackageDependency {
  return new pluginPb.PackageDependency()
    .setName(pkg.name)
    .setKind("resource")
    .setVersion(pkg.version)
    .setServer(pkg.server);
}

function pluginDependency(pkg: PulumiPackage): PluginPb.PluginDependency {
  return new pluginPb.PluginDependency()
    .setName(pkg.name)
    .setKind("resource")
    .setVersion(pkg.version)
    .setServer(pkg.server);
}

/** Runs the program through @pulumi/pulumi's cmd/run and resolves with the engine's RunResponse. */
function runProgram(request: LanguagePb.RunRequest): Promise<LanguagePb.RunResponse> {
  const info = request.getInfo();
  const programDirectory = programDirectoryOf(info, request.getPwd());
  const options = runtimeOptions(info);
  const requireFromProgram = createRequire(path.join(programDirectory, "package.json"));
  let runEntry: string;
  try {
    runEntry = requireFromProgram.resolve("@pulumi/pulumi/cmd/run");
  } catch {
    return Promise.resolve(
      new languagePb.RunResponse().setError(
        `@pulumi/pulumi is not installed for the program in ${programDirectory}: run npm install there first`,
      ),
    );
  }
  const nodeArgs = typeof options["nodeargs"] === "string" ? options["nodeargs"].split(/\s+/).filter(Boolean) : [];
  const args = [
    ...nodeArgs,
    runEntry,
    `--monitor=${request.getMonitorAddress()}`,
    `--engine=${engineAddress}`,
    `--organization=${request.getOrganization()}`,
    `--project=${request.getProject()}`,
    `--stack=${request.getStack()}`,
    `--pwd=${request.getPwd()}`,
    `--root-directory=${info?.getRootDirectory() ?? request.getPwd()}`,
    `--parallel=${request.getParallel()}`,
  ];
  if (request.getDryrun()) args.push("--dry-run");
  args.push(info?.getEntryPoint() || request.getProgram() || ".", ...request.getArgsList());

  const config: Record<string, string> = {};
  for (const [key, value] of request.getConfigMap().entries()) config[key] = value;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PULUMI_CONFIG: JSON.stringify(config),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(request.getConfigsecretkeysList()),
    PULUMI_NODEJS_TYPESCRIPT: String(options["typescript"] ?? true),
  };
  if (typeof options["tsconfig"] === "string") env["PULUMI_NODEJS_TSCONFIG_PATH"] = options["tsconfig"];
  // the launcher turned Node's compile cache on for this host; the program gets the environment upstream's gives it
  if (env["PULUMI_ENGINE_SET_COMPILE_CACHE"] === "1") delete env["NODE_COMPILE_CACHE"];
  delete env["PULUMI_ENGINE_SET_COMPILE_CACHE"];

  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: request.getPwd() || programDirectory, env, stdio: "inherit" });
    running.add(child);
    child.on("error", (err) => {
      running.delete(child);
      resolve(new languagePb.RunResponse().setError(`could not start node for the program: ${err.message}`));
    });
    child.on("exit", (code, signal) => {
      running.delete(child);
      const response = new languagePb.RunResponse();
      if (code === EXIT_ALREADY_REPORTED) response.setBail(true);
      else if (code !== 0) response.setError(`Program exited with ${signal ? `signal ${signal}` : `exit code ${code}`}`);
      resolve(response);
    });
  });
}

type Unary<Req, Res> = Grpc.handleUnaryCall<Req, Res>;

function unary<Req, Res>(handler: (request: Req) => Res | Promise<Res>): Unary<Req, Res> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => handler(call.request))
      .then(
        (response) => callback(null, response),
        (err: unknown) => callback({ code: grpc.status.INTERNAL, details: err instanceof Error ? err.message : String(err) }),
      );
  };
}

let handshakeProgramDirectory = "";

const service = {
  handshake: unary((request: LanguagePb.LanguageHandshakeRequest) => {
    handshakeProgramDirectory = request.getProgramDirectory() ?? "";
    return new languagePb.LanguageHandshakeResponse();
  }),
  getPluginInfo: unary(() => new pluginPb.PluginInfo().setVersion(hostVersion)),
  getRequiredPackages: unary((request: LanguagePb.GetRequiredPackagesRequest) =>
    new languagePb.GetRequiredPackagesResponse().setPackagesList(
      requiredPackages(programDirectoryOf(request.getInfo(), handshakeProgramDirectory)).map(packageDependency),
    ),
  ),
  getRequiredPlugins: unary((request: LanguagePb.GetRequiredPluginsRequest) =>
    new languagePb.GetRequiredPluginsResponse().setPluginsList(
      requiredPackages(programDirectoryOf(request.getInfo(), request.getPwd())).map(pluginDependency),
    ),
  ),
  run: unary(runProgram),
  about: unary(() =>
    new languagePb.AboutResponse().setExecutable(process.execPath).setVersion(process.versions.node),
  ),
  getProgramDependencies: unary((request: LanguagePb.GetProgramDependenciesRequest) =>
    new languagePb.GetProgramDependenciesResponse().setDependenciesList(
      requiredPackages(programDirectoryOf(request.getInfo(), request.getPwd())).map((pkg) =>
        new languagePb.DependencyInfo().setName(pkg.name).setVersion(pkg.version),
      ),
    ),
  ),
  runtimeOptionsPrompts: unary(() => new languagePb.RuntimeOptionsResponse()),
  cancel: unary(() => {
    for (const child of running) child.kill("SIGINT");
    return new emptyPb.Empty();
  }),
} satisfies Partial<LanguageGrpc.ILanguageRuntimeServer>;

const server = new grpc.Server();
server.addService(languageGrpc.LanguageRuntimeService, service);
server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) {
    console.error(`language host: cannot listen on 127.0.0.1: ${err.message}`);
    process.exit(1);
  }
  // The engine reads the port from the first line of stdout.
  process.stdout.write(`${port}\n`);
});

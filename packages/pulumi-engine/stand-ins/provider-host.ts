// Serves a stand-in resource provider (random-provider.ts, docker-provider.ts) to the Pulumi engine over
// the provider gRPC protocol, using the service definitions that @pulumi/pulumi ships. The upstream
// providers' Go modules are not served by the Go module proxy (see pulumi-engine.sh), so the
// launchers `pulumi-resource-random` and `pulumi-resource-docker` that the script writes run this file.
//
// Usage (by the engine, through the launcher): provider-host.ts <provider module file> <engine address>
import { createRequire, enableCompileCache } from "node:module";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type * as Grpc from "@grpc/grpc-js";
import type * as EmptyPb from "google-protobuf/google/protobuf/empty_pb.js";
import type * as StructPb from "google-protobuf/google/protobuf/struct_pb.js";
import type * as PluginPb from "@pulumi/pulumi/proto/plugin_pb.js";
import type * as ProviderGrpc from "@pulumi/pulumi/proto/provider_grpc_pb.js";
import type * as ProviderPb from "@pulumi/pulumi/proto/provider_pb.js";

// Served by a launcher (which names the provider): the engine starts each provider once per command, and
// upstream's providers are Go binaries that start in milliseconds. Node's compile cache (NODE_COMPILE_CACHE, else
// the OS temp directory) keeps gRPC's, the protobuf modules' and the provider module's compiled code between starts;
// turned on before they load, hence require() below rather than static imports. Not when a test imports the helpers.
if (process.env["PULUMI_ENGINE_PROVIDER_NAME"] !== undefined) enableCompileCache();
// The protobuf modules are CommonJS whose exports Node cannot name for an ES import: require them.
const load = createRequire(process.argv[1] ?? `${process.cwd()}/`);
const grpc = load("@grpc/grpc-js") as typeof Grpc;
const emptyPb = load("google-protobuf/google/protobuf/empty_pb.js") as typeof EmptyPb;
const structPb = load("google-protobuf/google/protobuf/struct_pb.js") as typeof StructPb;
const pluginPb = load("@pulumi/pulumi/proto/plugin_pb.js") as typeof PluginPb;
const providerGrpc = load("@pulumi/pulumi/proto/provider_grpc_pb.js") as typeof ProviderGrpc;
const providerPb = load("@pulumi/pulumi/proto/provider_pb.js") as typeof ProviderPb;

export type Props = Record<string, unknown>;

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export interface CheckFailure {
  property: string;
  reason: string;
}

export interface DiffResult {
  /** Top-level properties whose change is a difference. */
  diffs: string[];
  /** Those of them that force a replacement. */
  replaces: string[];
}

/** Helpers handed to a provider module's factory (modules import only types from this file). */
export interface ProviderTools {
  /** The value the engine sends for an input that is not known yet (during preview). */
  unknown: string;
  secret(value: unknown): Props;
  reveal(value: unknown): unknown;
  containsUnknown(value: unknown): boolean;
}

/** A stand-in provider module's default export. */
export type ProviderFactory = (tools: ProviderTools) => StandInProvider;

export interface StandInProvider {
  /** Called with the provider's configuration (Configure args, keys without the package prefix); a rejection fails the command. */
  configure(config: Props): void | Promise<void>;
  check(type: string, news: Props, olds: Props): Promise<{ inputs: Props; failures: CheckFailure[] }>;
  diff(type: string, oldInputs: Props, news: Props): DiffResult;
  create(type: string, inputs: Props): Promise<{ id: string; outputs: Props }>;
  update(type: string, id: string, oldOutputs: Props, news: Props): Promise<Props>;
  /** Current state, or undefined when the resource no longer exists. */
  read(type: string, id: string, outputs: Props): Promise<Props | undefined>;
  delete(type: string, id: string, outputs: Props): Promise<void>;
}

function isSecret(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null && (value as Props)[SECRET_SIG_KEY] === SECRET_SIG;
}

function secret(value: unknown): Props {
  return { [SECRET_SIG_KEY]: SECRET_SIG, value };
}

/** Removes secret wrappers (the engine keeps track of secrecy itself). */
function reveal(value: unknown): unknown {
  if (isSecret(value)) return reveal(value.value);
  if (Array.isArray(value)) return value.map(reveal);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(v)]));
  }
  return value;
}

function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (typeof value === "object" && value !== null) return Object.values(value).some(containsUnknown);
  return false;
}

function toStruct(props: Props): StructPb.Struct {
  // JSON round trip drops undefined values, which Struct.fromJavaScript rejects.
  return structPb.Struct.fromJavaScript(JSON.parse(JSON.stringify(props)) as Record<string, StructPb.JavaScriptValue>);
}

function fromStruct(struct: StructPb.Struct | undefined): Props {
  return (struct?.toJavaScript() ?? {}) as Props;
}

/** "urn:pulumi:stack::project::parent$pkg:mod:Type::name" → "pkg:mod:Type" */
function typeOf(request: { getType(): string; getUrn(): string }): string {
  if (request.getType()) return request.getType();
  const qualified = request.getUrn().split("::")[2] ?? "";
  return qualified.split("$").at(-1) ?? qualified;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function unary<Req, Res>(handler: (request: Req) => Res | Promise<Res>): Grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => handler(call.request))
      .then(
        (response) => callback(null, response),
        (err: unknown) => callback({ code: grpc.status.UNKNOWN, details: errorMessage(err) }),
      );
  };
}

function serve(name: string, version: string, provider: StandInProvider): void {
  const service = {
    getPluginInfo: unary(() => new pluginPb.PluginInfo().setVersion(version)),
    getSchema: unary(() => new providerPb.GetSchemaResponse().setSchema(JSON.stringify({ name, version }))),
    checkConfig: unary((request: ProviderPb.CheckRequest) =>
      new providerPb.CheckResponse().setInputs(request.getNews()),
    ),
    diffConfig: unary((request: ProviderPb.DiffRequest) => {
      const same = JSON.stringify(fromStruct(request.getOlds())) === JSON.stringify(fromStruct(request.getNews()));
      return new providerPb.DiffResponse().setChanges(
        same ? providerPb.DiffResponse.DiffChanges.DIFF_NONE : providerPb.DiffResponse.DiffChanges.DIFF_SOME,
      );
    }),
    configure: unary(async (request: ProviderPb.ConfigureRequest) => {
      const config: Props = {};
      for (const [key, value] of request.getVariablesMap().entries()) {
        config[key.replace(`${name}:config:`, "")] = value;
      }
      Object.assign(config, reveal(fromStruct(request.getArgs())));
      await provider.configure(config);
      // supportsPreview stays false: the engine then never asks for a create or update during preview.
      return new providerPb.ConfigureResponse().setAcceptsecrets(true).setAcceptresources(false);
    }),
    check: unary(async (request: ProviderPb.CheckRequest) => {
      const result = await provider.check(typeOf(request), fromStruct(request.getNews()), fromStruct(request.getOlds()));
      return new providerPb.CheckResponse()
        .setInputs(toStruct(result.inputs))
        .setFailuresList(
          result.failures.map((f) => new providerPb.CheckFailure().setProperty(f.property).setReason(f.reason)),
        );
    }),
    diff: unary((request: ProviderPb.DiffRequest) => {
      const oldInputs = request.getOldInputs() ? fromStruct(request.getOldInputs()) : fromStruct(request.getOlds());
      const result = provider.diff(typeOf(request), oldInputs, fromStruct(request.getNews()));
      return new providerPb.DiffResponse()
        .setChanges(
          result.diffs.length > 0
            ? providerPb.DiffResponse.DiffChanges.DIFF_SOME
            : providerPb.DiffResponse.DiffChanges.DIFF_NONE,
        )
        .setDiffsList(result.diffs)
        .setReplacesList(result.replaces);
    }),
    create: unary(async (request: ProviderPb.CreateRequest) => {
      const result = await provider.create(typeOf(request), fromStruct(request.getProperties()));
      return new providerPb.CreateResponse().setId(result.id).setProperties(toStruct(result.outputs));
    }),
    read: unary(async (request: ProviderPb.ReadRequest) => {
      const current = await provider.read(typeOf(request), request.getId(), fromStruct(request.getProperties()));
      const response = new providerPb.ReadResponse();
      if (current === undefined) return response;
      return response.setId(request.getId()).setProperties(toStruct(current)).setInputs(request.getInputs());
    }),
    update: unary(async (request: ProviderPb.UpdateRequest) => {
      const outputs = await provider.update(
        typeOf(request),
        request.getId(),
        fromStruct(request.getOlds()),
        fromStruct(request.getNews()),
      );
      return new providerPb.UpdateResponse().setProperties(toStruct(outputs));
    }),
    delete: unary(async (request: ProviderPb.DeleteRequest) => {
      await provider.delete(typeOf(request), request.getId(), fromStruct(request.getProperties()));
      return new emptyPb.Empty();
    }),
    attach: unary(() => new emptyPb.Empty()),
    cancel: unary(() => new emptyPb.Empty()),
  } satisfies Partial<ProviderGrpc.IResourceProviderServer>;

  const server = new grpc.Server();
  server.addService(providerGrpc.ResourceProviderService, service);
  server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
    if (err) {
      console.error(`${name} provider: cannot listen on 127.0.0.1: ${err.message}`);
      process.exit(1);
    }
    process.stdout.write(`${port}\n`);
  });
}

/** The helpers every provider module gets (exported for the stand-ins' tests). */
export const providerTools: ProviderTools = { unknown: UNKNOWN, secret, reveal, containsUnknown };

function main(): void {
  const moduleFile = process.argv[2];
  const name = process.env["PULUMI_ENGINE_PROVIDER_NAME"];
  const version = process.env["PULUMI_ENGINE_PROVIDER_VERSION"];
  if (!moduleFile || !name || !version) {
    console.error(
      "usage: PULUMI_ENGINE_PROVIDER_NAME=… PULUMI_ENGINE_PROVIDER_VERSION=… provider-host.ts <provider module> <engine>",
    );
    process.exit(2);
  }
  import(pathToFileURL(path.resolve(moduleFile)).href).then(
    (loaded: { default: ProviderFactory }) =>
      serve(name, version, loaded.default(providerTools)),
    (err: unknown) => {
      console.error(`${name} provider: cannot load ${moduleFile}: ${errorMessage(err)}`);
      process.exit(1);
    },
  );
}

// Serve only when run by a launcher (which names the provider), not when a test imports the helpers.
if (process.env["PULUMI_ENGINE_PROVIDER_NAME"] !== undefined) main();

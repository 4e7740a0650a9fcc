/**
 * Preloaded by Pulumi.yaml's `nodeargs` (`--import`), before @pulumi/pulumi's `cmd/run` loads the SDKs and the
 * program: turns on Node's on-disk compile cache (module.enableCompileCache, Node 22.1+), which keeps the V8 code
 * of every CommonJS and ES module and the type-stripped text of every .ts file between runs. A `pulumi up` loads
 * about 600 modules (@pulumi/pulumi with TypeScript's compiler and gRPC, @pulumi/kubernetes, this stack); without
 * the cache each run parses and compiles them all again, about 0.3 s of CPU before the first resource is
 * registered, and the stack's TypeScript is stripped again.
 *
 * The cache is keyed by each file's content, so an edited source is compiled afresh and nothing stale runs.
 * It lives where NODE_COMPILE_CACHE says, else in <os.tmpdir()>/node-compile-cache; NODE_DISABLE_COMPILE_CACHE=1
 * turns it off. Imports only node: modules, so Node's own type stripping loads it.
 */
import { enableCompileCache } from "node:module";

enableCompileCache();

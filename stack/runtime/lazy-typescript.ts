/**
 * Preloaded by Pulumi.yaml's `nodeargs` (`--import`, after compile-cache.ts): TypeScript's compiler is loaded when
 * something first uses it, not on every run. @pulumi/pulumi's index loads its automation API, which loads
 * runtime/closure/parseFunction.js, whose top level requires the SDK's typescript-shim.js, that is the project's
 * `typescript` (9 MB of JavaScript): about 0.25 s of every `pulumi up|preview|destroy`, spent for closure
 * serialization (`pulumi.runtime.serializeFunction`), which this stack never calls. Upstream already requires the
 * shim inside the functions that need it everywhere else (pulumi/pulumi#10185: rewriteSuper.js, utils.js, tsutils.js);
 * this does the same for parseFunction.js from outside: require's cache gets a stand-in for the shim whose first
 * property read loads the real one. Serializing a function still works, it only loads TypeScript then.
 *
 * Without @pulumi/pulumi beside the program (a bare `node` run), or when the shim was loaded already, it does
 * nothing. Imports only node: modules, so Node's own type stripping loads it.
 */
import { createRequire, Module } from "node:module";

const fromProgram = createRequire(`${process.cwd()}/`);

function resolveShim(): string | undefined {
  try {
    return fromProgram.resolve("@pulumi/pulumi/typescript-shim");
  } catch {
    return undefined;
  }
}

const shimPath = resolveShim();
if (shimPath !== undefined && fromProgram.cache[shimPath] === undefined) {
  let real: object | undefined;
  const load = (): object => {
    if (real === undefined) {
      delete fromProgram.cache[shimPath]; // the real shim takes its own place in the cache
      real = fromProgram(shimPath) as object;
    }
    return real;
  };
  const deferred = new Proxy(
    {},
    {
      get: (_target, key) => Reflect.get(load(), key) as unknown,
      has: (_target, key) => Reflect.has(load(), key),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_target, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
        // a proxy may not report a property non-configurable that its (empty) target lacks
        return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
      },
    },
  );
  const stub = new Module(shimPath);
  stub.filename = shimPath;
  stub.exports = deferred;
  stub.loaded = true;
  fromProgram.cache[shimPath] = stub;
}

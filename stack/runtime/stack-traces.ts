/**
 * Imported first by index.ts: gives the program V8's own stack traces back. @pulumi/pulumi's `cmd/run` installs
 * source-map-support (for ts-node, which moves lines) before it loads the program, and the SDK then formats a
 * full stack trace for every promise it tracks (runtime/debuggable.js) and every resource (resource.js, for its
 * source position), each frame mapped through source-map-support in JavaScript: about 0.5 s of CPU in every
 * `pulumi up` of this stack, a tenth of a no-change run. Node's type stripping keeps every line and column of
 * the .ts files, so the plain traces already point at the right places; only frames inside the SDK's own .js
 * files lose their mapping to its TypeScript sources, which the npm package does not ship.
 */
Reflect.deleteProperty(Error, "prepareStackTrace");

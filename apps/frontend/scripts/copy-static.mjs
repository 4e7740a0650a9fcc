#!/usr/bin/env node
// After `next build`: the standalone server serves .next/static and public/ only when they sit next
// to it, and Next does not copy them there itself. Copying them makes `npm start` (and the image's
// `node server.js`) serve the CSS and JS chunks.
import { copyFileSync, cpSync, existsSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const app = new URL("..", import.meta.url).pathname;
const standaloneApp = join(app, ".next", "standalone", "apps", "frontend");
if (!existsSync(join(standaloneApp, "server.js"))) {
  console.error(`no standalone server at ${standaloneApp}/server.js; did next build run with output: "standalone"?`);
  process.exit(1);
}
cpSync(join(app, ".next", "static"), join(standaloneApp, ".next", "static"), { recursive: true });

// The entry `node server.js` runs: the peer-address hook first (src/server/peer-address-hook.cjs says
// why), then the server Next generated, kept as next-server.js. next build writes a fresh server.js
// each time, so this runs on every build.
renameSync(join(standaloneApp, "server.js"), join(standaloneApp, "next-server.js"));
copyFileSync(join(app, "src", "server", "peer-address-hook.cjs"), join(standaloneApp, "peer-address-hook.cjs"));
writeFileSync(
  join(standaloneApp, "server.js"),
  `// Written by scripts/copy-static.mjs after next build.\nrequire("./peer-address-hook.cjs");\nrequire("./next-server.js");\n`,
);
if (existsSync(join(app, "public"))) cpSync(join(app, "public"), join(standaloneApp, "public"), { recursive: true });
console.log(`standalone server ready: node ${join(".next", "standalone", "apps", "frontend", "server.js")}`);

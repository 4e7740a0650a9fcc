#!/usr/bin/env node
// After `next build`: the standalone server serves .next/static and public/ only when they sit next
// to it, and Next does not copy them there itself. Copying them makes `npm start` (and the image's
// `node server.js`) serve the CSS and JS chunks.
import { cpSync, existsSync } from "node:fs";
import { join } from "node:path";

const app = new URL("..", import.meta.url).pathname;
const standaloneApp = join(app, ".next", "standalone", "apps", "frontend");
if (!existsSync(join(standaloneApp, "server.js"))) {
  console.error(`no standalone server at ${standaloneApp}/server.js; did next build run with output: "standalone"?`);
  process.exit(1);
}
cpSync(join(app, ".next", "static"), join(standaloneApp, ".next", "static"), { recursive: true });
if (existsSync(join(app, "public"))) cpSync(join(app, "public"), join(standaloneApp, "public"), { recursive: true });
console.log(`standalone server ready: node ${join(".next", "standalone", "apps", "frontend", "server.js")}`);

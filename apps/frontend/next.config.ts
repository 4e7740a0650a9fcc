import path from "node:path";
import type { NextConfig } from "next";

// The repository root: npm workspaces hoist dependencies there, so both Turbopack and the standalone
// file tracer must start from it. The standalone server then lives at
// .next/standalone/apps/frontend/server.js.
const repoRoot = path.join(__dirname, "..", "..");

const nextConfig: NextConfig = {
  output: "standalone",
  outputFileTracingRoot: repoRoot,
  turbopack: { root: repoRoot },
  // No image optimisation (the UI has no raster images), so sharp and its native binaries stay out of
  // the standalone bundle and the image.
  images: { unoptimized: true },
  outputFileTracingExcludes: { "*": ["node_modules/sharp/**", "node_modules/@img/**"] },
  // Types are checked by `npm run typecheck` (app, tests and the backend's contract, which the app
  // imports types from). next build only compiles: the image's build context holds the frontend
  // alone, without the backend's sources the contract's types come from.
  typescript: { ignoreBuildErrors: true },
  // Load a route's code when it is first requested instead of all of them at start-up: /healthz
  // answers sooner and an idle pod holds less memory.
  experimental: { preloadEntriesOnStart: false },
  // No gzip in the Node process: it cost every proxied API answer a zlib stream (CPU and memory)
  // for loopback/in-cluster hops; compression belongs to whatever terminates traffic in front.
  compress: false,
  poweredByHeader: false,
  // On every answer (pages, static files, /api); the pages' Content-Security-Policy, which needs a
  // nonce per response, comes from src/proxy.ts.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
  reactStrictMode: true,
  // BACKEND_URL is read by the /api route handler on every request; nothing about the backend is
  // baked into the build.
};

export default nextConfig;

/**
 * `npm run bench:deploy` (tsx, as root): figures, not assertions. The stack's `pulumi up` against what a
 * user of similar projects does by hand — `docker build` of both images into the node's daemon, then
 * `helm upgrade --install --wait` of the same chart with the same values — side by side in one run on one
 * local cluster (@todo/local-cluster). Steps, each the median of --runs (default 3):
 *
 *   first deploy      images in the layer cache (warm), nothing in the cluster; ends when every Pod is Ready
 *   no-change deploy  the same again
 *   one-app change    a backend source line changed, until the new backend Pod is Ready
 *   destroy           pulumi destroy / helm uninstall (+ its namespace)
 *
 * Each run's figures and the load average go to stderr; at the end, the medians and the release's idle
 * footprint per container (memory working set and CPU, from the kubelet's summary API).
 *
 * Targets: a no-change `pulumi up` within 1.5x of a no-change `helm upgrade`; a one-app change faster than
 * the baseline, which rebuilds both images.
 *
 *   npm run bench:deploy               # 3 runs of each step
 *   npm run bench:deploy -- --runs 1
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadavg } from "node:os";
import {
  BASE_IMAGE,
  buildPostgresImage,
  footprintTable,
  KubeClient,
  namespaceFootprint,
  restrictedNamespace,
  startCluster,
  type LocalCluster,
} from "@todo/local-cluster";
import { createWorkspace, enginePath, type Workspace } from "@todo/pulumi-engine";
// helm.ts itself: the package index also exports the machine lock, which imports vitest (tsx cannot require it)
import { helmOk } from "../../packages/testkit/src/helm.ts";
import { minikubeSettings } from "../support/minikube-settings.js";

const repoRoot = resolve(__dirname, "..", "..");
const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive whole number, not "${values.runs}"`);

type Step = "first deploy" | "no-change deploy" | "one-app change" | "destroy";
const STEPS: Step[] = ["first deploy", "no-change deploy", "one-app change", "destroy"];
const figures: Record<"stack" | "baseline", Record<Step, number[]>> = {
  stack: { "first deploy": [], "no-change deploy": [], "one-app change": [], destroy: [] },
  baseline: { "first deploy": [], "no-change deploy": [], "one-app change": [], destroy: [] },
};

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = Date.now();
  await fn();
  return (Date.now() - started) / 1000;
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function touchBackend(dir: string, run: number, who: string): void {
  const sourceDir = join(dir, "apps", "backend", "src");
  const source = readdirSync(sourceDir).find((f) => f.endsWith(".ts"));
  if (!source) throw new Error(`no .ts file in ${sourceDir}`);
  appendFileSync(join(sourceDir, source), `\n// bench:deploy ${who} change ${run}\n`);
}

function docker(cluster: LocalCluster, args: string[]): void {
  const run = spawnSync("/usr/bin/docker", args, { env: cluster.dockerEnv(), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`docker ${args.join(" ")} failed:\n${run.stderr.slice(-3000)}`);
}

/** What a user does by hand: build both images into the node's daemon, then helm upgrade --install --wait. */
async function baselineDeploy(cluster: LocalCluster, dir: string, tag: string, pg: { repository: string; tag: string }): Promise<void> {
  for (const app of ["backend", "frontend"]) {
    docker(cluster, ["build", "-q", "--network", "host", "--build-arg", `NODE_IMAGE=${BASE_IMAGE}`, "-f", join(dir, "apps", app, "Dockerfile"), "-t", `todo-chatbot-${app}:${tag}`, dir]);
  }
  await helmOk(
    [
      "upgrade", "--install", "todo-chatbot", join(dir, "apps", "chart"), "-n", "baseline",
      "--set", `backend.image.tag=${tag},frontend.image.tag=${tag},image.pullPolicy=Never,frontend.service.type=NodePort`,
      "--set", `postgresql.image.repository=${pg.repository},postgresql.image.tag=${pg.tag}`,
      "--set", "secrets.betterAuthSecret=bench-only-auth-secret-0123456789abcdef,secrets.postgresPassword=benchOnlyPgPassword42",
      "--wait", "--timeout", "10m",
    ],
    { kubeconfig: cluster.kubeconfig, timeoutMs: 900_000 },
  );
}

/** How long the release rests after a deploy before its footprint is read. */
const IDLE_SECONDS = 30;
let footprint = "";

async function main(): Promise<void> {
  const pathEntries = enginePath();
  if (!pathEntries) throw new Error("the Pulumi engine is not built: bash packages/pulumi-engine/pulumi-engine.sh");
  const cluster = startCluster("node");
  let ws: Workspace | undefined;
  try {
    const kube = new KubeClient(cluster.kubeconfig);
    await cluster.loadImages([BASE_IMAGE]);
    const pg = await buildPostgresImage(cluster, BASE_IMAGE);
    process.env["KUBECONFIG"] = cluster.kubeconfig;
    ws = createWorkspace({ projectDir: repoRoot, pathEntries, stack: "bench" });
    await ws.pulumiOk(["stack", "init", ws.stack]);
    const settings = { ...minikubeSettings(cluster, `${pg.repository}:${pg.tag}`), frontendServiceType: "NodePort" };
    for (const [key, value] of Object.entries(settings)) await ws.pulumiOk(["config", "set", key, value]);
    const w = ws;
    const up = () => w.pulumiOk(["up", "--yes", "--skip-preview"], 1_800_000);
    // warm the layer cache of both paths once (not counted): the same Dockerfiles, the same base
    await up();
    await w.pulumiOk(["destroy", "--yes", "--skip-preview"], 900_000);

    for (let run = 1; run <= runs; run++) {
      // the stack
      figures.stack["first deploy"].push(await timed(up));
      figures.stack["no-change deploy"].push(await timed(up));
      if (run === runs) {
        // the whole release at rest, as `kubectl top pods --containers` would show it
        await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
        footprint = footprintTable(await namespaceFootprint(kube, cluster.env.NODE_NAME ?? "local-cluster", "todo-chatbot"));
      }
      touchBackend(w.dir, run, "stack");
      figures.stack["one-app change"].push(await timed(up));
      figures.stack.destroy.push(await timed(() => w.pulumiOk(["destroy", "--yes", "--skip-preview"], 900_000)));

      // the baseline, from the same copy of the repository
      await kube.call("POST", "/api/v1/namespaces", restrictedNamespace("baseline"));
      figures.baseline["first deploy"].push(await timed(() => baselineDeploy(cluster, w.dir, `bench-${run}-a`, pg)));
      figures.baseline["no-change deploy"].push(await timed(() => baselineDeploy(cluster, w.dir, `bench-${run}-a`, pg)));
      touchBackend(w.dir, run, "baseline");
      figures.baseline["one-app change"].push(await timed(() => baselineDeploy(cluster, w.dir, `bench-${run}-b`, pg)));
      figures.baseline.destroy.push(
        await timed(async () => {
          await helmOk(["uninstall", "todo-chatbot", "-n", "baseline", "--wait"], { kubeconfig: cluster.kubeconfig, timeoutMs: 600_000 });
          await kube.call("DELETE", "/api/v1/namespaces/baseline");
          while ((await kube.send("GET", "/api/v1/namespaces/baseline")).status !== 404) await new Promise((r) => setTimeout(r, 500));
        }),
      );
      const figure = (side: "stack" | "baseline") => STEPS.map((step) => figures[side][step].at(-1)?.toFixed(1)).join(" / ");
      process.stderr.write(
        `[bench:deploy] run ${run}/${runs} (first / no-change / one-app / destroy, s): stack ${figure("stack")}; baseline ${figure("baseline")}; load average ${loadavg()[0]?.toFixed(2)}\n`,
      );
    }
  } finally {
    if (ws) {
      await ws.pulumi(["destroy", "--yes", "--skip-preview"]).catch(() => undefined);
      ws.destroy();
    }
    cluster.stop();
  }

  console.log(`\nbench:deploy — median of ${runs} run(s), seconds, on one local cluster, one replica of each app`);
  console.log("| step | pulumi up (stack) | docker build + helm upgrade --install --wait | stack / baseline |");
  console.log("|---|---|---|---|");
  for (const step of STEPS) {
    const stack = median(figures.stack[step]);
    const baseline = median(figures.baseline[step]);
    console.log(`| ${step} | ${stack.toFixed(1)} | ${baseline.toFixed(1)} | ${(stack / baseline).toFixed(2)}x |`);
  }
  console.log("targets: no-change deploy ratio <= 1.5x; one-app change ratio < 1.0x");
  console.log(`\nthe release ${IDLE_SECONDS} s after a no-change deploy (kubelet summary API, as kubectl top):\n${footprint}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});

#!/usr/bin/env node
// `npm run up | preview | down`: the usual Pulumi steps for a newcomer, with prerequisite checks that
// say what to install. Usage: node scripts/up.mjs <up|preview|down> [extra pulumi args...]
//
//  1. node >= 22.18, the pulumi CLI, and (unless todo-chatbot:registry is set) minikube, on PATH;
//  2. no Pulumi backend logged in -> a local file backend in ./.pulumi-state (git-ignored);
//  3. no stack selected -> the `dev` stack (created on first use, settings from Pulumi.dev.yaml);
//  4. the Minikube profile (todo-chatbot:minikubeProfile, default "minikube") stopped -> `minikube start -p PROFILE`
//     (missing -> the same with --container-runtime=docker);
//  5. pulumi up / preview / destroy --run-program (destroy runs the program, so the providers are configured with
//     what minikube says now, e.g. the docker driver's forwarded port after a restart, not with the recorded inputs).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const [action = "up", ...extra] = process.argv.slice(2);
const pulumiCommand = { up: ["up"], preview: ["preview"], down: ["destroy", "--run-program"] }[action];
/**
 * The oldest Pulumi CLI the stack works with: 3.215.0, whose engine honours `replacementTrigger` (older engines
 * ignore it silently, and the images would not follow Minikube's daemon); it also has `destroy/refresh
 * --run-program` (3.160).
 */
const PULUMI_MINIMUM = [3, 215, 0];

/** The oldest Node.js that runs the stack: 22.18 strips TypeScript types by itself (Pulumi.yaml runs index.ts so). */
const NODE_MINIMUM = [22, 18, 0];

/** true when the dotted version `parts` is older than `minimum` */
function older(parts, minimum) {
  const first = minimum.findIndex((n, i) => parts[i] !== n);
  return first >= 0 && (parts[first] ?? 0) < minimum[first];
}

/** The messages the README documents for a missing prerequisite. */
const MESSAGES = {
  node: (version) =>
    `Node.js ${version} is too old: this project needs Node ${NODE_MINIMUM.join(".")} or newer (Node 24 LTS recommended, see .nvmrc): https://nodejs.org/en/download`,
  pulumi:
    "The Pulumi CLI (`pulumi`) is not on PATH. Install it: curl -fsSL https://get.pulumi.com | sh " +
    "(macOS: brew install pulumi/tap/pulumi; Windows: winget install pulumi), open a new shell, then run `npm run up` again.",
  pulumiOld: (version) =>
    `The Pulumi CLI ${version} is too old: this project needs ${PULUMI_MINIMUM.join(".")} or newer (its images follow Minikube's daemon through replacementTrigger). ` +
    "Update it: pulumi self-update (or brew upgrade pulumi, winget upgrade pulumi, or curl -fsSL https://get.pulumi.com | sh), then run the command again.",
  minikube:
    "Minikube (`minikube`) is not on PATH. Install it from https://minikube.sigs.k8s.io/docs/start/ , then run `npm run up` again " +
    "(it starts the profile for you). To deploy elsewhere instead, set a registry and a kube context: see the README, \"Beyond Minikube\".",
  deps: "Dependencies are not installed: run `npm ci` in the repository root first.",
};

function fail(message) {
  console.error(`\n✗ ${message}\n`);
  process.exit(1);
}

function step(message) {
  console.log(`→ ${message}`);
}

/** Runs a command, capturing output; returns undefined when the executable does not exist. */
function capture(file, args, env = process.env) {
  const result = spawnSync(file, args, { cwd: root, encoding: "utf8", env });
  if (result.error && result.error.code === "ENOENT") return undefined;
  return { status: result.status ?? 1, stdout: (result.stdout ?? "").trim(), stderr: (result.stderr ?? "").trim() };
}

/** Runs a command attached to the terminal; exits with its status when it fails. */
function run(file, args, env = process.env) {
  step(`${file} ${args.join(" ")}`);
  const result = spawnSync(file, args, { cwd: root, stdio: "inherit", env });
  if (result.error) fail(`${file} could not be started: ${result.error.message}`);
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (!pulumiCommand) fail(`unknown action "${action}": use up, preview or down (npm run up | npm run preview | npm run down)`);

// 1. tools
if (older(process.versions.node.split(".").map(Number), NODE_MINIMUM)) fail(MESSAGES.node(process.versions.node));
if (!existsSync(join(root, "node_modules", "@pulumi", "pulumi"))) fail(MESSAGES.deps);
const pulumiVersion = capture("pulumi", ["version"]);
if (!pulumiVersion) fail(MESSAGES.pulumi);
const pulumiParts = (/^v?(\d+)\.(\d+)\.(\d+)/.exec(pulumiVersion.stdout) ?? []).slice(1).map(Number);
if (pulumiParts.length === 3 && older(pulumiParts, PULUMI_MINIMUM)) fail(MESSAGES.pulumiOld(pulumiVersion.stdout));
step(`pulumi ${pulumiVersion.stdout}`);

// 2. backend: keep whatever the user is logged in to; otherwise a local file backend in the repository
const env = { ...process.env };
const whoami = capture("pulumi", ["whoami"], env);
if (!env.PULUMI_BACKEND_URL && (!whoami || whoami.status !== 0)) {
  const state = join(root, ".pulumi-state");
  mkdirSync(state, { recursive: true });
  env.PULUMI_BACKEND_URL = `file://${state}`;
  step(`no Pulumi backend logged in: using the local file backend ${env.PULUMI_BACKEND_URL}`);
  if (env.PULUMI_CONFIG_PASSPHRASE === undefined && env.PULUMI_CONFIG_PASSPHRASE_FILE === undefined) {
    step("secrets are encrypted with a passphrase: pulumi asks for it (export PULUMI_CONFIG_PASSPHRASE to skip the prompt)");
  }
}

// 3. stack
const current = capture("pulumi", ["stack", "--show-name"], env);
if (!current || current.status !== 0 || current.stdout === "") {
  run("pulumi", ["stack", "select", "dev", "--create"], env);
} else {
  step(`stack ${current.stdout}`);
}

// 4. Minikube (not needed when the stack pushes to a registry and targets another cluster)
const configValue = (key) => {
  const result = capture("pulumi", ["config", "get", `todo-chatbot:${key}`], env);
  return result && result.status === 0 ? result.stdout : "";
};
if (configValue("registry") === "") {
  const profile = configValue("minikubeProfile") || "minikube";
  const version = capture("minikube", ["version", "--short"]);
  if (!version) fail(MESSAGES.minikube);
  const status = capture("minikube", ["-p", profile, "status", "--format", "{{.Host}} {{.Kubelet}} {{.APIServer}}"]);
  if (!status || !/^Running Running Running/.test(status.stdout)) {
    // exit 85 (ExGuestNotFound): no such profile. Only a new profile gets --container-runtime=docker: minikube writes
    // a changed flag into an existing profile's config (and the stack refuses a non-docker profile with its fix).
    const exists = status?.status !== 85;
    if (action === "down") step(`Minikube profile "${profile}" is not running; starting it so that the stack's objects can be deleted`);
    else step(`Minikube profile "${profile}" ${exists ? `is not running (${status?.stdout || "stopped"})` : "does not exist"}: ${exists ? "starting" : "creating"} it`);
    run("minikube", ["start", "-p", profile, ...(exists ? [] : ["--container-runtime=docker"])]);
  } else {
    step(`Minikube profile "${profile}" is running`);
  }
}

// 5. the Pulumi command
run("pulumi", [...pulumiCommand, ...extra], env);
if (action === "up") {
  console.log("\nReach the app:  pulumi stack output frontendUrl   (how: pulumi stack output reachCommand)");
}

/**
 * `npm run up` (scripts/up.mjs) with a PATH that lacks a tool prints the documented message, and with
 * stand-in `pulumi` / `minikube` executables it takes the documented steps in order.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 }); // a busy CI machine, not a timed assertion

const script = join(__dirname, "..", "..", "scripts", "up.mjs");
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A bin directory holding only node (and whatever stand-ins a test adds). */
function binDir(): { dir: string; log: string } {
  const dir = mkdtempSync(join(tmpdir(), "up-script-"));
  dirs.push(dir);
  symlinkSync(process.execPath, join(dir, "node"));
  return { dir, log: join(dir, "calls.log") };
}

/** A stand-in executable that logs its arguments and answers from a small case table. */
function standIn(dir: string, log: string, name: string, cases: string): void {
  const file = join(dir, name);
  writeFileSync(file, `#!/bin/sh\necho "${name} $*" >> "${log}"\ncase "$*" in\n${cases}\n*) exit 0 ;;\nesac\n`);
  chmodSync(file, 0o755);
}

function runUp(dir: string, action = "up"): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [script, action], {
    encoding: "utf8",
    env: { PATH: dir, HOME: dir, PULUMI_CONFIG_PASSPHRASE: "test" },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const calls = (log: string): string[] => {
  try {
    return readFileSync(log, "utf8").trim().split("\n");
  } catch {
    return [];
  }
};

describe("npm run up prerequisite checks", () => {
  it("stops with the install hint when pulumi is missing", () => {
    const { dir } = binDir();
    const { status, output } = runUp(dir);
    expect(status).toBe(1);
    expect(output).toContain("The Pulumi CLI (`pulumi`) is not on PATH. Install it:");
    expect(output).toContain("then run `npm run up` again");
  });

  it("stops with the install hint when minikube is missing", () => {
    const { dir, log } = binDir();
    standIn(dir, log, "pulumi", `version) echo v3.276.0 ;;\nwhoami) echo me ;;\n"stack --show-name") echo dev ;;\n"config get"*) exit 1 ;;`);
    const { status, output } = runUp(dir);
    expect(status).toBe(1);
    expect(output).toContain("Minikube (`minikube`) is not on PATH. Install it from https://minikube.sigs.k8s.io/docs/start/");
    expect(calls(log)).not.toContain("pulumi up");
  });

  it("uses a local backend and the dev stack, starts a stopped profile, then runs pulumi up", () => {
    const { dir, log } = binDir();
    standIn(
      dir,
      log,
      "pulumi",
      `version) echo v3.276.0 ;;\nwhoami) echo "error: not logged in" >&2; exit 1 ;;\n"stack --show-name") exit 1 ;;\n"config get todo-chatbot:minikubeProfile") echo demo ;;\n"config get"*) exit 1 ;;`,
    );
    standIn(dir, log, "minikube", `"version --short") echo v1.37.0 ;;\n"-p demo status"*) echo "Stopped Stopped Stopped"; exit 7 ;;`);
    const { status, output } = runUp(dir);
    expect(status, output).toBe(0);
    expect(output).toContain("using the local file backend file://");
    expect(calls(log)).toEqual([
      "pulumi version",
      "pulumi whoami",
      "pulumi stack --show-name",
      "pulumi stack select dev --create",
      "pulumi config get todo-chatbot:registry",
      "pulumi config get todo-chatbot:minikubeProfile",
      "minikube version --short",
      "minikube -p demo status --format {{.Host}} {{.Kubelet}} {{.APIServer}}",
      "minikube start -p demo",
      "pulumi up",
    ]);
  });

  it("creates a missing profile with the docker runtime (minikube status exits 85); an existing one keeps its flags", () => {
    const { dir, log } = binDir();
    standIn(dir, log, "pulumi", `version) echo v3.276.0 ;;\nwhoami) echo me ;;\n"stack --show-name") echo dev ;;\n"config get"*) exit 1 ;;`);
    standIn(dir, log, "minikube", `"version --short") echo v1.38.1 ;;\n"-p minikube status"*) echo '🤷  Profile "minikube" not found.' >&2; exit 85 ;;`);
    const { status, output } = runUp(dir);
    expect(status, output).toBe(0);
    expect(output).toContain('Minikube profile "minikube" does not exist: creating it');
    expect(calls(log)).toContain("minikube start -p minikube --container-runtime=docker");
  });

  it("needs no minikube when the stack pushes to a registry; down runs pulumi destroy", () => {
    const { dir, log } = binDir();
    standIn(dir, log, "pulumi", `version) echo v3.276.0 ;;\nwhoami) echo me ;;\n"stack --show-name") echo dev ;;\n"config get todo-chatbot:registry") echo ghcr.io/me ;;`);
    const { status, output } = runUp(dir, "down");
    expect(status, output).toBe(0);
    expect(calls(log).at(-1)).toBe("pulumi destroy --run-program");
    expect(calls(log).some((c) => c.startsWith("minikube"))).toBe(false);
  });

  it("stops with the update hint when the Pulumi CLI predates replacementTrigger (3.215)", () => {
    const { dir, log } = binDir();
    standIn(dir, log, "pulumi", `version) echo v3.214.1 ;;`);
    const { status, output } = runUp(dir, "down");
    expect(status).toBe(1);
    expect(output).toContain("The Pulumi CLI v3.214.1 is too old: this project needs 3.215.0 or newer");
    expect(output).toContain("pulumi self-update");
    expect(calls(log)).toEqual(["pulumi version"]);
  });

  it("rejects an unknown action", () => {
    const { dir } = binDir();
    const { status, output } = runUp(dir, "deploy");
    expect(status).toBe(1);
    expect(output).toContain('unknown action "deploy": use up, preview or down');
  });
});

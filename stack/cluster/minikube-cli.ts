/**
 * What the stack asks the `minikube` CLI: the profile's driver and container runtime (`minikube profile
 * list -o json --light`), its Docker daemon (`minikube -p P docker-env`) and its node address
 * (`minikube -p P ip`). The command runner is injectable so that tests never shell out.
 */
import { spawnSync } from "node:child_process";

/** The result of running one command. `missing` is true when the executable was not found. */
export interface CommandResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly missing: boolean;
}

export type CommandRunner = (file: string, args: readonly string[]) => CommandResult;

/** Runs a command synchronously, capturing its output (the real runner). */
export const spawnRunner: CommandRunner = (file, args) => {
  const result = spawnSync(file, [...args], { encoding: "utf8", timeout: 60_000 });
  const code = (result.error as NodeJS.ErrnoException | undefined)?.code;
  return {
    status: result.status,
    stdout: result.stdout ?? "",
    stderr: result.stderr ?? (result.error ? String(result.error.message) : ""),
    missing: code === "ENOENT",
  };
};

let runner: CommandRunner = spawnRunner;

/** Replaces the command runner (tests inject canned `minikube` answers); returns the previous one. */
export function setCommandRunner(next: CommandRunner): CommandRunner {
  const previous = runner;
  runner = next;
  return previous;
}

/** Runs a command through the current runner (the one tests replace). */
export function runCommand(file: string, args: readonly string[]): CommandResult {
  return runner(file, args);
}

/** The Docker daemon a `minikube docker-env` points at. */
export interface DockerEnv {
  /** e.g. tcp://192.168.49.2:2376 */
  readonly host: string;
  /** directory with ca.pem, cert.pem and key.pem; "" when TLS is off */
  readonly certPath: string;
  readonly tlsVerify: boolean;
}

/**
 * Parses `minikube docker-env` output in any of its shell forms: `export K="v"` (bash/zsh),
 * `K=v` (--shell none), `set -gx K "v";` (fish), `$Env:K = "v"` (PowerShell), `SET K=v` (cmd).
 */
export function parseDockerEnv(text: string): DockerEnv {
  const vars = new Map<string, string>();
  const patterns = [
    /^\s*(?:export\s+)?([A-Z_][A-Z0-9_]*)=(.*)$/,
    /^\s*set\s+-gx\s+([A-Z_][A-Z0-9_]*)\s+(.*?);?$/,
    /^\s*\$Env:([A-Z_][A-Z0-9_]*)\s*=\s*(.*)$/,
    /^\s*SET\s+([A-Z_][A-Z0-9_]*)=(.*)$/,
  ];
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*(#|REM\b)/.test(line)) continue;
    for (const pattern of patterns) {
      const match = pattern.exec(line);
      if (match) {
        const value = (match[2] as string).trim().replace(/;$/, "").replace(/^"(.*)"$/, "$1").replace(/^'(.*)'$/, "$1");
        vars.set(match[1] as string, value);
        break;
      }
    }
  }
  const host = vars.get("DOCKER_HOST") ?? "";
  if (host === "") {
    throw new Error(`no DOCKER_HOST in the output of minikube docker-env:\n${text.trim() || "(empty)"}`);
  }
  const tlsVerify = (vars.get("DOCKER_TLS_VERIFY") ?? "") === "1";
  return { host, certPath: vars.get("DOCKER_CERT_PATH") ?? "", tlsVerify };
}

/** The host part of a Docker host URL (tcp://192.168.49.2:2376 -> 192.168.49.2), or "" for a socket. */
export function hostOf(dockerHost: string): string {
  const match = /^(?:tcp|https?|ssh):\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/]+)/.exec(dockerHost);
  return match ? (match[1] as string) : "";
}

/** minikube's exit codes for a profile it cannot use (v1.38.1 pkg/minikube/reason/exitcodes.go). */
const EXIT = { guestNotRunning: 83, guestNotFound: 85, controlPlaneNotRunning: 103, controlPlaneNotFound: 105 } as const;

function minikubeFailure(profile: string, args: readonly string[], result: CommandResult): Error {
  const command = `minikube ${args.join(" ")}`;
  if (result.missing) {
    return new Error(
      `minikube is not installed (or not on PATH), and the stack needs it to find the Docker daemon and ` +
        `kube context of profile "${profile}". Install it (https://minikube.sigs.k8s.io/docs/start/), then ` +
        `run: minikube start -p ${profile}\n` +
        `Or point the stack elsewhere: pulumi config set dockerHost <DOCKER_HOST>; pulumi config set ` +
        `kubeContext <context> (see the README, "Beyond Minikube").`,
    );
  }
  const output = `${result.stderr}\n${result.stdout}`.trim();
  // Without a TTY minikube prints nothing for these and only exits with the code
  // (pkg/minikube/reason/exitcodes.go; mustload.Running's exitTip)
  const code = result.status ?? -1;
  const missing = code === EXIT.guestNotFound || (code !== EXIT.guestNotRunning && /Profile .* not found|does not exist/i.test(output));
  const notRunning = code === EXIT.guestNotRunning || code === EXIT.controlPlaneNotRunning || /not running|Stopped|state=/i.test(output);
  const runtime = /only compatible with the "docker" runtime|only supports the docker|container-runtime/i.test(output);
  const recreate = `minikube delete -p ${profile} && minikube start -p ${profile} --container-runtime=docker`;
  const why = runtime
    ? `profile "${profile}" does not use the docker container runtime, so its images cannot be built into it: ` +
      `recreate it with: ${recreate}`
    : missing
      ? `Minikube profile "${profile}" does not exist. Create it with: minikube start -p ${profile} --container-runtime=docker ` +
        "(npm run up does it), or set todo-chatbot:minikubeProfile to an existing profile (minikube profile list)"
      : code === EXIT.controlPlaneNotFound
        ? `Minikube profile "${profile}" has no control-plane node. Recreate it with: ${recreate}`
        : notRunning
          ? `Minikube profile "${profile}" is not running. Start it with: minikube start -p ${profile}`
          : `\`${command}\` failed (exit ${result.status ?? "signal"}). Check the profile with: minikube -p ${profile} status`;
  return new Error(`${why}\n\`${command}\` said:\n${output || "(nothing)"}`);
}

/** Asks Minikube for the Docker daemon of a profile. */
export function minikubeDockerEnv(profile: string): DockerEnv {
  const args = ["-p", profile, "docker-env", "--shell", "bash"];
  const result = runner("minikube", args);
  if (result.missing || result.status !== 0) throw minikubeFailure(profile, args, result);
  return parseDockerEnv(result.stdout);
}

/** Asks Minikube for the address of the profile's node (where NodePorts listen). */
export function minikubeIp(profile: string): string {
  const args = ["-p", profile, "ip"];
  const result = runner("minikube", args);
  if (result.missing || result.status !== 0) throw minikubeFailure(profile, args, result);
  const ip = result.stdout.trim().split(/\s+/).pop() ?? "";
  if (ip === "") throw new Error(`\`minikube ${args.join(" ")}\` printed no address`);
  return ip;
}

/** What `minikube profile list -o json` says about one profile (pkg/minikube/config/types.go, ClusterConfig). */
export interface MinikubeProfile {
  readonly name: string;
  /** docker, podman, kvm2, hyperkit, qemu2, vfkit, hyperv, ... */
  readonly driver: string;
  /** docker, containerd or cri-o */
  readonly containerRuntime: string;
}

/**
 * The profile as `minikube profile list -o json --light` lists it (valid[].Config), or undefined when
 * minikube cannot list it (not created yet, an older minikube): then `docker-env` says what is wrong.
 */
export function minikubeProfile(profile: string): MinikubeProfile | undefined {
  const result = runner("minikube", ["profile", "list", "-o", "json", "--light"]);
  if (result.missing || result.status !== 0) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(result.stdout);
  } catch {
    return undefined;
  }
  type Listed = { Name?: unknown; Config?: { Driver?: unknown; KubernetesConfig?: { ContainerRuntime?: unknown } } };
  const valid = (body as { valid?: unknown }).valid;
  const found = Array.isArray(valid) ? (valid as Listed[]).find((p) => p.Name === profile) : undefined;
  if (!found) return undefined;
  const str = (v: unknown): string => (typeof v === "string" ? v : "");
  return { name: profile, driver: str(found.Config?.Driver), containerRuntime: str(found.Config?.KubernetesConfig?.ContainerRuntime) };
}

/**
 * Refuses a profile whose container runtime is not docker: its images are built into the profile's Docker
 * daemon, which the kubelet does not use then (containerd: docker-env even succeeds, with an ssh:// host the
 * provider cannot reach; cri-o: docker-env exits 14).
 */
export function requireDockerRuntime(profile: MinikubeProfile): void {
  const runtime = profile.containerRuntime;
  if (runtime === "" || runtime === "docker") return;
  throw new Error(
    `Minikube profile "${profile.name}" runs the ${runtime} container runtime, but the stack builds its images into the ` +
      `profile's Docker daemon, which only the docker runtime uses: recreate it with \`minikube delete -p ${profile.name} && ` +
      `minikube start -p ${profile.name} --container-runtime=docker\`, or set todo-chatbot:minikubeProfile to a docker-runtime profile.`,
  );
}

import { describe, expect, it } from "vitest";
import { hostOf, parseDockerEnv } from "../../stack/cluster/minikube-cli";
import { DOCKER_ENV, ok, runProgram } from "../support/pulumi-mocks";

describe("parsing minikube docker-env", () => {
  const expected = { host: "tcp://192.168.49.2:2376", certPath: "/home/dev/.minikube/certs", tlsVerify: true };
  it.each([
    ["bash", DOCKER_ENV],
    ["none", "DOCKER_TLS_VERIFY=1\nDOCKER_HOST=tcp://192.168.49.2:2376\nDOCKER_CERT_PATH=/home/dev/.minikube/certs\nMINIKUBE_ACTIVE_DOCKERD=minikube\n"],
    ["fish", 'set -gx DOCKER_TLS_VERIFY "1";\nset -gx DOCKER_HOST "tcp://192.168.49.2:2376";\nset -gx DOCKER_CERT_PATH "/home/dev/.minikube/certs";\n'],
    ["powershell", '$Env:DOCKER_TLS_VERIFY = "1"\r\n$Env:DOCKER_HOST = "tcp://192.168.49.2:2376"\r\n$Env:DOCKER_CERT_PATH = "/home/dev/.minikube/certs"\r\n'],
  ])("reads the %s form", (_shell, text) => {
    expect(parseDockerEnv(text)).toEqual(expected);
  });

  it("says what it got when there is no DOCKER_HOST", () => {
    expect(() => parseDockerEnv("something else")).toThrow(/no DOCKER_HOST in the output of minikube docker-env:\nsomething else/);
  });

  it("finds the node address in the daemon URL", () => {
    expect(hostOf("tcp://192.168.49.2:2376")).toBe("192.168.49.2");
    expect(hostOf("tcp://127.0.0.1:55001")).toBe("127.0.0.1");
    expect(hostOf("unix:///var/run/docker.sock")).toBe("");
  });
});

describe("when Minikube cannot serve the stack", () => {
  it("fails with the command that starts a stopped profile", async () => {
    const run = runProgram({
      runner: () => ({
        status: 80,
        stdout: "",
        stderr: '🤷  The control-plane node minikube host is not running: state=Stopped\n👉  To start a cluster, run: "minikube start"',
        missing: false,
      }),
    });
    await expect(run).rejects.toThrow(/Minikube profile "minikube" is not running\. Start it with: minikube start -p minikube/);
  });

  it("fails with install and override hints when minikube is not installed", async () => {
    const run = runProgram({ config: { minikubeProfile: "demo" }, runner: () => ({ status: null, stdout: "", stderr: "", missing: true }) });
    await expect(run).rejects.toThrow(/minikube is not installed[\s\S]*minikube start -p demo[\s\S]*pulumi config set dockerHost/);
  });

  it("explains a profile that runs containerd instead of docker", async () => {
    const run = runProgram({
      runner: () => ({ status: 14, stdout: "", stderr: 'X Exiting due to MK_USAGE: The docker-env command is only compatible with the "docker" runtime', missing: false }),
    });
    await expect(run).rejects.toThrow(/--container-runtime=docker/);
  });

  it("prints no NodePort URL on the node's address when the daemon is on a loopback port (docker driver on macOS/Windows/WSL)", async () => {
    const run = await runProgram({
      runner: (_file, args) =>
        args.includes("docker-env")
          ? ok('export DOCKER_TLS_VERIFY="1"\nexport DOCKER_HOST="tcp://127.0.0.1:55001"\nexport DOCKER_CERT_PATH="/c"\n')
          : ok("192.168.49.2\n"),
      config: { frontendServiceType: "NodePort" },
      service: { type: "NodePort", nodePort: 30001 },
    });
    // `minikube ip` would name the node's address, which this machine cannot route to: it is not asked
    expect(run.commands.filter((c) => c[1] === "-p").map((c) => c.slice(3).join(" "))).toEqual(["docker-env --shell bash"]);
    expect(run.outputs.frontendUrl).toBe("");
    expect(run.outputs.frontendUrlKind).toBe("minikube-service");
    expect(run.outputs.reachCommand).toMatch(/^minikube -p minikube service -n todo-chatbot todo-chatbot-frontend --url {2}# keep this terminal open/);
  });
});

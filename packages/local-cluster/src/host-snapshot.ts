import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * What a cluster could change on this machine, read before `start` and after `stop`: network namespaces,
 * links, addresses and routes, cgroups named lc-*, iptables and nftables rules, the sysctls the kubelet
 * and kube-proxy write, and /etc. Two snapshots must be equal; `leftovers` says what differs.
 */
export interface HostSnapshot {
  readonly parts: Record<string, string[]>;
}

const SYSCTLS = [
  "vm/overcommit_memory",
  "vm/panic_on_oom",
  "kernel/panic",
  "kernel/panic_on_oops",
  "kernel/keys/root_maxkeys",
  "kernel/keys/root_maxbytes",
  "net/ipv4/ip_forward",
  "net/bridge/bridge-nf-call-iptables",
  "net/netfilter/nf_conntrack_max",
  "net/ipv4/conf/all/route_localnet",
];

function lines(command: string, args: string[]): string[] {
  const run = spawnSync(command, args, { encoding: "utf8" });
  if (run.error) return [`(${command} not available: ${run.error.message})`];
  return run.stdout.split("\n").filter((line) => line.trim() !== "");
}

function cgroups(): string[] {
  const root = "/sys/fs/cgroup";
  const found: string[] = [];
  if (!existsSync(root)) return found;
  for (const hierarchy of readdirSync(root)) {
    let entries: string[];
    try {
      entries = readdirSync(join(root, hierarchy));
    } catch {
      continue;
    }
    for (const entry of entries) if (entry.startsWith("lc-")) found.push(`${hierarchy}/${entry}`);
  }
  return found.sort();
}

function etcFiles(): string[] {
  // names and modification times: a file written by a daemon (e.g. /etc/docker/key.json) shows up here
  return lines("find", ["/etc", "-xdev", "-printf", "%p %T@\\n"]).sort();
}

export function snapshotHost(): HostSnapshot {
  return {
    parts: {
      "network namespaces": lines("ip", ["netns", "list"]),
      links: lines("ip", ["-o", "link", "show"]).map((line) => line.split(":")[1]?.trim().split("@")[0] ?? line),
      addresses: lines("ip", ["-o", "addr", "show"]).map((line) => line.split(/\s+/).slice(1, 4).join(" ")),
      routes: lines("ip", ["route", "show", "table", "all"]),
      cgroups: cgroups(),
      iptables: lines("iptables-save", []).filter((line) => !line.startsWith("#")).map((line) => line.replace(/\[\d+:\d+\]/g, "")),
      // rule counters change with traffic of others (podman's rules): only the rules themselves count
      nftables: lines("nft", ["list", "ruleset"]).map((line) => line.replace(/counter packets \d+ bytes \d+/g, "counter")),
      sysctls: SYSCTLS.map((key) => {
        try {
          return `${key}=${readFileSync(`/proc/sys/${key}`, "utf8").trim()}`;
        } catch {
          return `${key}: absent`;
        }
      }),
      "/etc": etcFiles(),
    },
  };
}

/** What differs between two snapshots, one line each ("routes: + 192.168.49.0/24 dev lc1234"). */
export function hostChanges(before: HostSnapshot, after: HostSnapshot): string[] {
  const changes: string[] = [];
  for (const [part, was] of Object.entries(before.parts)) {
    const now = after.parts[part] ?? [];
    const wasSet = new Set(was);
    const nowSet = new Set(now);
    for (const line of now) if (!wasSet.has(line)) changes.push(`${part}: + ${line}`);
    for (const line of was) if (!nowSet.has(line)) changes.push(`${part}: - ${line}`);
  }
  return changes;
}

/** Processes whose command line or working directory mentions DIR, and mounts under it. */
export function processesAndMountsUnder(dir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
      if (cmdline.includes(dir) && Number(pid) !== process.pid) found.push(`process ${pid}: ${cmdline.slice(0, 160)}`);
    } catch {
      // gone meanwhile
    }
  }
  for (const line of readFileSync("/proc/self/mounts", "utf8").split("\n")) {
    if (line.includes(dir)) found.push(`mount: ${line}`);
  }
  return found;
}

/** The machine lock the local-cluster suites take turns with: one holder at a time, released on release or exit. */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { holdMachineLock } from "../src/index.ts";

const name = `lock-test-${process.pid}`;

describe("holdMachineLock", () => {
  it("lets one holder in at a time: the second waits until the first releases", async () => {
    const first = await holdMachineLock(name);
    const events: string[] = [];
    const second = holdMachineLock(name, { onWait: (m) => events.push(m) }).then((lock) => {
      events.push("second held");
      return lock;
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(events).toEqual([expect.stringContaining("waiting")]);
    } finally {
      await first.release();
      const lock = await second;
      await lock.release();
    }
    expect(events.at(-1)).toBe("second held");
  });

  it("gives up after its timeout with a message that names the lock", async () => {
    const held = await holdMachineLock(name);
    try {
      await expect(holdMachineLock(name, { timeoutMs: 500, onWait: () => undefined })).rejects.toThrow(`machine lock "${name}"`);
    } finally {
      await held.release();
    }
  });

  it("is free again when its holder dies without releasing it", async () => {
    const source = fileURLToPath(new URL("../src/machine-lock.ts", import.meta.url));
    const holder = spawn(
      process.execPath,
      ["--input-type=module", "-e", `const { holdMachineLock } = await import(${JSON.stringify(source)}); await holdMachineLock(${JSON.stringify(name)}); console.log("held"); setInterval(() => {}, 1000);`],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    try {
      const [line] = (await once(holder.stdout!, "data")) as [Buffer];
      expect(line.toString()).toContain("held");
      await expect(holdMachineLock(name, { timeoutMs: 300, onWait: () => undefined })).rejects.toThrow();
    } finally {
      holder.kill("SIGKILL");
      if (holder.exitCode === null && holder.signalCode === null) await once(holder, "exit");
    }
    const lock = await holdMachineLock(name, { timeoutMs: 5000 });
    await lock.release();
  });
});

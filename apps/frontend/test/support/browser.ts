import { existsSync } from "node:fs";
import { findExecutable } from "@todo/testkit";
import { chromium, type Browser } from "playwright-core";

/** Debian's chromium (apt-get install chromium); playwright-core downloads no browser of its own. */
export function findChromium(): string | undefined {
  if (existsSync("/usr/bin/chromium")) return "/usr/bin/chromium";
  return findExecutable("chromium") ?? findExecutable("chromium-browser");
}

/**
 * Headless Chromium that reaches nothing but the servers under test. Playwright gives every launch a
 * fresh temporary profile (user-data-dir) and every context its own cookies.
 */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

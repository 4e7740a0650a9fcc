import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { findExecutable } from "./executables.ts";

/** Debian's chromium (apt-get install chromium); playwright-core downloads no browser of its own. */
export function findChromium(): string | undefined {
  if (existsSync("/usr/bin/chromium")) return "/usr/bin/chromium";
  return findExecutable("chromium") ?? findExecutable("chromium-browser");
}

/** The install hint when Chromium is missing, else undefined: what a suite gate takes. */
export function missingChromium(): string | undefined {
  return findChromium() ? undefined : "chromium not found; apt-get install chromium";
}

/**
 * Headless Chromium that reaches nothing but the servers under test (no background networking, no
 * component updates). Playwright gives every launch a fresh temporary profile and every context its own
 * cookies.
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

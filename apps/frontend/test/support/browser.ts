import { existsSync } from "node:fs";
import { findExecutable } from "@todo/testkit";
import { chromium, type Browser, type BrowserContext } from "playwright-core";

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

/**
 * Collects every Content-Security-Policy violation in `context` into `into`: the DOM's
 * securitypolicyviolation events and Chromium's console reports of them ("Refused to ...").
 */
export async function recordCspViolations(context: BrowserContext, into: string[]): Promise<void> {
  await context.exposeBinding("__reportCspViolation", (_source, text: string) => into.push(text));
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      (window as unknown as { __reportCspViolation(text: string): void }).__reportCspViolation(
        `${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${event.documentURI}`,
      );
    });
  });
  context.on("console", (message) => {
    if (/Content Security Policy|Refused to (load|execute|apply|connect|frame)/i.test(message.text())) into.push(`console: ${message.text()}`);
  });
}

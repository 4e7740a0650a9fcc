import type { BrowserContext } from "playwright-core";

// one Chromium launcher for every suite: Debian's chromium, no background networking (@todo/testkit)
export { findChromium, launchChromium } from "@todo/testkit";

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

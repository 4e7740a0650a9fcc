import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { findPostgresBin, startPostgres, suiteGate, type PostgresServer } from "@todo/testkit";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findChromium, launchChromium, recordCspViolations } from "./support/browser.ts";
import { ensureBackendBuilt, ensureFrontendBuilt, frontendDir, repoRoot } from "./support/builds.ts";
import { startBackend, startFrontend, type Server } from "./support/servers.ts";

const chromiumPath = findChromium();
const browserGate = suiteGate("frontend e2e (chromium)", chromiumPath ? undefined : "chromium not found; apt-get install chromium");
const pgBin = findPostgresBin();
const pgGate = suiteGate("frontend e2e (postgres)", pgBin ? undefined : "PostgreSQL not installed; apt-get install postgresql");

/** Screenshots land here (kept out of git); UPDATE_SCREENSHOTS=1 also refreshes docs/screenshots/. */
const shotsDir = join(frontendDir, "test-results");
async function screenshot(page: Page, name: string, { forReadme = false } = {}): Promise<void> {
  mkdirSync(shotsDir, { recursive: true });
  const file = join(shotsDir, `${name}.png`);
  await page.screenshot({ path: file });
  if (forReadme && process.env.UPDATE_SCREENSHOTS === "1") {
    mkdirSync(join(repoRoot, "docs", "screenshots"), { recursive: true });
    copyFileSync(file, join(repoRoot, "docs", "screenshots", `${name}.png`));
  }
}

const password = "correct-horse-battery-9";

async function signUp(page: Page, base: string, name: string, email: string): Promise<void> {
  await page.goto(`${base}/sign-up`);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL("**/chat");
  await page.getByRole("button", { name: "Sign out" }).waitFor();
}

/** Sends a chat message with Enter and returns the assistant's reply (text and chip labels). */
async function say(page: Page, text: string): Promise<{ reply: string; chips: string[] }> {
  const box = page.getByLabel("Message the assistant");
  await box.fill(text);
  await box.press("Enter");
  // the answer is the assistant message right after the one just sent (the last with this text)
  const reply = page
    .locator("li.message--user", { hasText: text })
    .last()
    .locator("xpath=following-sibling::li[contains(@class,'message--assistant') and not(contains(@class,'message--pending'))][1]");
  await reply.waitFor();
  return {
    reply: (await reply.locator(".message__text").textContent()) ?? "",
    chips: await reply.locator(".chip__label").allTextContents(),
  };
}

const taskRow = (page: Page, title: RegExp) => page.locator(".task-list .task").filter({ hasText: title });

describe.skipIf(!browserGate.ok || !pgGate.ok)("frontend in Chromium against the real backend and PostgreSQL", () => {
  let postgres: PostgresServer;
  let backend: Server;
  let frontend: Server;
  let browser: Browser;
  let first: BrowserContext;
  let page: Page;
  let firstUserId = "";
  /** every CSP violation in any context during the whole run */
  const cspViolations: string[] = [];

  beforeAll(async () => {
    ensureBackendBuilt();
    ensureFrontendBuilt();
    postgres = await startPostgres(pgBin);
    const frontendPort = (await import("@todo/testkit")).freePort();
    const port = await frontendPort;
    // PUBLIC_URL says "localhost"; the first user reaches the app at 127.0.0.1, an address the
    // backend was never told about, as a browser does with a LoadBalancer IP or NodePort URL.
    backend = await startBackend(await postgres.createDatabase(), `http://localhost:${port}`);
    frontend = await startFrontend(backend.url, { port });
    browser = await launchChromium(chromiumPath!);
    first = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await recordCspViolations(first, cspViolations);
    page = await first.newPage();
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    await frontend?.process.stop();
    await backend?.process.stop();
    postgres?.destroy();
  }, 60_000);

  it("signs up at an address other than PUBLIC_URL and lands in the chat", async () => {
    await signUp(page, frontend.url, "Ada", "ada@example.com");
    expect(new URL(page.url()).host).toBe(`127.0.0.1:${frontend.port}`);
    await page.getByText("ada@example.com").waitFor();
    // the chat's empty state renders once the conversation list has loaded: wait for it, do not sample it
    await page.getByText("What needs doing?").waitFor();
    firstUserId = await page.evaluate(async () => {
      const session = (await (await fetch("/api/auth/get-session")).json()) as { user: { id: string } };
      return session.user.id;
    });
    expect(firstUserId).not.toBe("");
  }, 60_000);

  it("adds a task by chatting: the reply confirms it and the task list shows it without a reload", async () => {
    const { reply, chips } = await say(page, "Add a task to buy groceries");
    expect(reply).toMatch(/groceries/i);
    expect(chips).toEqual(["added task 1"]);
    // the side panel follows the assistant's action
    await page.locator(".task-panel").getByText(/buy groceries/i).waitFor();

    await say(page, "I need to remember to pay bills");
    await say(page, "Add a task to call mom tonight");
    const pending = await say(page, "What's pending?");
    expect(pending.reply).toMatch(/pay bills/i);

    await page.getByRole("link", { name: "Tasks", exact: true }).click();
    await page.waitForURL("**/tasks");
    await taskRow(page, /buy groceries/i).waitFor();
    expect(await taskRow(page, /buy groceries/i).getByRole("checkbox").isChecked()).toBe(false);
  }, 120_000);

  it("completes task 1 by chatting and the tasks view files it under completed", async () => {
    await page.getByRole("link", { name: "Chat", exact: true }).click();
    // back in the chat, the same conversation is open again, its history reloaded
    await page.locator(".message--assistant .chip__label", { hasText: "added task 3" }).waitFor();
    const { reply, chips } = await say(page, "Mark task 1 as complete");
    expect(reply).toMatch(/groceries|task 1/i);
    expect(chips).toEqual(["completed task 1"]);
    await page.locator(".task-panel .mini-task--done").getByText(/buy groceries/i).waitFor();
    await screenshot(page, "chat", { forReadme: true });

    await page.getByRole("link", { name: "Tasks", exact: true }).click();
    await page.getByRole("button", { name: /^Completed/ }).click();
    await taskRow(page, /buy groceries/i).waitFor();
    expect(await taskRow(page, /buy groceries/i).getByRole("checkbox").isChecked()).toBe(true);
    await page.getByRole("button", { name: /^Pending/ }).click();
    await taskRow(page, /pay bills/i).waitFor();
    expect(await taskRow(page, /buy groceries/i).count()).toBe(0);
    await page.getByRole("button", { name: /^All/ }).click();
    await taskRow(page, /buy groceries/i).waitFor();
  }, 120_000);

  it("edits the list directly: add, rename, complete and delete", async () => {
    await page.getByLabel("New task").fill("Water the plants");
    await page.getByLabel("Details (optional)").fill("the ferns too");
    await page.getByRole("button", { name: "Add task" }).click();
    await taskRow(page, /water the plants/i).waitFor();
    await screenshot(page, "tasks", { forReadme: true });

    await page.getByRole("button", { name: "Edit “Water the plants”" }).click();
    await page.getByLabel("Title", { exact: true }).fill("Water the garden");
    await page.getByLabel("Title", { exact: true }).press("Enter");
    await taskRow(page, /water the garden/i).waitFor();

    await taskRow(page, /water the garden/i).getByRole("checkbox").check();
    await page.getByRole("button", { name: /^Completed/ }).click();
    await taskRow(page, /water the garden/i).waitFor();

    await page.getByRole("button", { name: "Delete “Water the garden”" }).click();
    await taskRow(page, /water the garden/i).waitFor({ state: "detached" });
    await page.reload();
    await page.getByRole("button", { name: /^Completed/ }).click();
    await taskRow(page, /buy groceries/i).waitFor();
    expect(await taskRow(page, /water the garden/i).count()).toBe(0);
  }, 120_000);

  it("continues the conversation after visiting the tasks view, and reopens older ones from the list", async () => {
    await page.goto(`${frontend.url}/chat`);
    // the conversation from before is still open (its whole history, loaded from the backend)
    await page.locator(".message--assistant .chip__label", { hasText: "added task 1" }).waitFor();
    await page.locator(".message--assistant .chip__label", { hasText: "completed task 1" }).waitFor();
    expect(await page.getByRole("navigation", { name: "Conversations" }).getByRole("listitem").count()).toBe(1);

    await page.getByRole("button", { name: "New chat" }).click();
    await page.getByText("What needs doing?").waitFor();
    const done = await say(page, "What have I completed?");
    expect(done.reply).toMatch(/groceries/i);
    const list = page.getByRole("navigation", { name: "Conversations" });
    await list.getByRole("button", { name: /what have i completed/i }).waitFor();

    await list.getByRole("button", { name: /add a task to buy groceries/i }).click();
    await page.locator(".message--assistant .chip__label", { hasText: "added task 1" }).waitFor();
    expect(await page.locator(".message--user").first().textContent()).toMatch(/Add a task to buy groceries/);
    expect(await page.getByText("What have I completed?").count()).toBe(1); // only in the list, not the open chat
  }, 90_000);

  it("shows a second user, in a second browser context, none of the first user's tasks", async () => {
    const second = await browser.newContext({ viewport: { width: 390, height: 844 } });
    await recordCspViolations(second, cspViolations);
    try {
      const other = await second.newPage();
      // this user comes in through PUBLIC_URL's own address
      await signUp(other, `http://localhost:${frontend.port}`, "Grace", "grace@example.com");
      await other.getByRole("link", { name: "Tasks", exact: true }).click();
      await other.getByText("No tasks yet").waitFor();
      await screenshot(other, "tasks-phone-empty");
      expect(await other.locator(".task-list .task").count()).toBe(0);
      expect(await other.getByText(/pay bills|call mom tonight|water the/i).count()).toBe(0);
      // and the API refuses to hand them over even when asked by id
      const status = await other.evaluate(async (id) => (await fetch(`/api/${id}/tasks`)).status, firstUserId);
      expect(status).toBe(403);
      await other.getByRole("link", { name: "Chat", exact: true }).click();
      await other.getByText("No conversations yet.").waitFor({ state: "attached" });
      await screenshot(other, "chat-phone-empty");
    } finally {
      await second.close();
    }
  }, 120_000);

  it("signs out back to the sign-in page, and the app then asks to sign in again", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL("**/sign-in");
    await page.getByRole("heading", { name: "Welcome back" }).waitFor();
    await page.goto(`${frontend.url}/tasks`);
    await page.waitForURL("**/sign-in");

    await page.getByLabel("Email").fill("ada@example.com");
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    const refusal = page.locator(".auth-card [role=alert]");
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/invalid|password/i);

    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/chat");
  }, 60_000);

  it("serves every page under a strict Content-Security-Policy that the app really runs under", async () => {
    const answer = await page.goto(`${frontend.url}/chat`);
    const headers = answer!.headers();
    const policy = headers["content-security-policy"] ?? "";
    expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'(;|$)/);
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    // a new nonce per response
    const again = (await page.request.get(`${frontend.url}/chat`)).headers()["content-security-policy"];
    expect(again).not.toBe(policy);
    await page.getByRole("button", { name: "Sign out" }).waitFor();
    // nothing the app did in any test of this file was refused by the policy
    expect(cspViolations).toEqual([]);
  }, 30_000);
});

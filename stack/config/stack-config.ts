import * as pulumi from "@pulumi/pulumi";
import { ConfigError, PLAIN_KEYS, PROJECT, SECRET_KEYS, fullKey, type PlainKey, type SecretKey } from "./keys.ts";
import { parseSettings, type SecretStorage, type Settings } from "./settings.ts";

/** The stack's configuration: validated settings and the secret values wrapped in `pulumi.secret`. */
export interface StackConfig {
  readonly settings: Settings;
  /** only the secret keys that have a value */
  readonly secrets: Readonly<Partial<Record<SecretKey, pulumi.Output<string>>>>;
}

/**
 * Whether a config key was stored encrypted, or undefined when this SDK cannot tell. Uses the SDK's
 * `runtime.isConfigSecret` (present at run time in every 3.x release, though left out of its typings).
 */
function storedEncrypted(key: string): boolean | undefined {
  const runtime = pulumi.runtime as typeof pulumi.runtime & { isConfigSecret?: (key: string) => boolean };
  return typeof runtime.isConfigSecret === "function" ? runtime.isConfigSecret(key) : undefined;
}

/**
 * Reads every `todo-chatbot:` key of the table (stack/config/keys.ts) and validates them in one pass
 * (parseSettings): fails with every problem at once, each naming its key and what to run, also for a
 * secret key stored in plain text, which Pulumi.yaml cannot forbid for an optional key.
 */
export function loadStackConfig(): StackConfig {
  const config = new pulumi.Config(PROJECT);
  const raw: Partial<Record<PlainKey, string>> = {};
  for (const key of PLAIN_KEYS) {
    const value = config.get(key);
    if (value !== undefined) raw[key] = value;
  }
  const stored: Partial<Record<SecretKey, SecretStorage>> = {};
  const secrets: Partial<Record<SecretKey, pulumi.Output<string>>> = {};
  for (const key of SECRET_KEYS) {
    const value = (config.get(key) ?? "").trim();
    if (value === "") continue;
    stored[key] = storedEncrypted(fullKey(key)) === false ? "plain text" : "encrypted";
    secrets[key] = pulumi.secret(value);
  }
  try {
    return { settings: parseSettings(raw, stored), secrets };
  } catch (error) {
    if (error instanceof ConfigError) throw new pulumi.RunError(error.message);
    throw error;
  }
}

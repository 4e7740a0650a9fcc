import * as pulumi from "@pulumi/pulumi";
import { type AiopsPlan, planAiops, readAiopsConfig } from "../aiops/settings";
import { ConfigError, DEFAULTS, PROJECT, SECRET_KEYS, fullKey, parseSettings, type PlainKey, type SecretKey, type Settings } from "./settings";

/** The stack's configuration: validated settings, the secret values wrapped in `pulumi.secret`, and the AIOps plan. */
export interface StackConfig {
  readonly settings: Settings;
  /** only the secret keys that have a value */
  readonly secrets: Readonly<Partial<Record<SecretKey, pulumi.Output<string>>>>;
  /** what the `aiops*` keys ask for; undefined when `aiops` is off */
  readonly aiops: AiopsPlan | undefined;
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
 * Reads every `todo-chatbot:` key, the `aiops*` ones included. Fails (naming each key, all problems at
 * once) on invalid values and on a secret key stored in plain text, which Pulumi.yaml cannot forbid for
 * an optional key.
 */
export function loadStackConfig(): StackConfig {
  const config = new pulumi.Config(PROJECT);
  const raw: Partial<Record<PlainKey, string>> = {};
  for (const key of Object.keys(DEFAULTS) as PlainKey[]) {
    const value = config.get(key);
    if (value !== undefined) raw[key] = value;
  }
  const problems: string[] = [];
  const present: Partial<Record<SecretKey, boolean>> = {};
  const secrets: Partial<Record<SecretKey, pulumi.Output<string>>> = {};
  for (const key of SECRET_KEYS) {
    const value = (config.get(key) ?? "").trim();
    present[key] = value !== "";
    if (value === "") continue;
    if (storedEncrypted(fullKey(key)) === false) {
      problems.push(
        `${fullKey(key)} is stored in plain text in the stack's config file; make it a secret: ` +
          `pulumi config rm ${key} && pulumi config set --secret ${key} <value>`,
      );
    }
    secrets[key] = pulumi.secret(value);
  }
  let aiops: AiopsPlan | undefined;
  try {
    aiops = planAiops(readAiopsConfig(config, present.openaiApiKey === true));
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
  try {
    const settings = parseSettings(raw, present);
    if (problems.length > 0) throw new ConfigError(problems);
    return { settings, secrets, aiops };
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new pulumi.RunError(new ConfigError([...problems, ...error.problems].filter((p, i, all) => all.indexOf(p) === i)).message);
    }
    throw error;
  }
}

import { createHmac } from "node:crypto";
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { SECRET_NAME } from "./names.ts";

/** Arguments of {@link AppSecrets}. */
export interface AppSecretsArgs {
  /** Namespace of the Secret (the release namespace). */
  readonly namespace: pulumi.Input<string>;
  /** OPENAI_API_KEY; undefined or "" leaves the key out (the offline assistant answers). */
  readonly openaiApiKey?: pulumi.Input<string>;
  /** DATABASE_URL of an external PostgreSQL; set exactly when the in-cluster PostgreSQL is off. */
  readonly databaseUrl?: pulumi.Input<string>;
  /** Whether the chart runs PostgreSQL in the cluster (then a POSTGRES_PASSWORD is generated). */
  readonly inClusterPostgres: boolean;
}

/** The Secret's keys, as the chart contract names them. */
export type SecretData = Partial<Record<"BETTER_AUTH_SECRET" | "OPENAI_API_KEY" | "DATABASE_URL" | "POSTGRES_PASSWORD", string>>;

/** The Secret's data without empty optional keys. */
export function secretData(values: SecretData): SecretData {
  const out: SecretData = {};
  for (const [key, value] of Object.entries(values) as [keyof SecretData, string | undefined][]) {
    if (value !== undefined && value !== "") out[key] = value;
  }
  return out;
}

/**
 * A checksum of the Secret's content that is safe to show: an HMAC keyed by the auth secret (random, never
 * exported), so it reveals nothing about the values. As a Pod annotation it rolls the backend when a secret changes.
 */
export function secretChecksum(data: SecretData): string {
  const key = data.BETTER_AUTH_SECRET ?? "";
  const hmac = createHmac("sha256", key);
  for (const name of Object.keys(data).sort()) hmac.update(`${name}\0${data[name as keyof SecretData] ?? ""}\0`);
  return hmac.digest("hex").slice(0, 32);
}

/**
 * The app's credentials: a generated auth secret and PostgreSQL password (@pulumi/random), plus the
 * secret config values, in ONE Kubernetes Secret ({@link SECRET_NAME}) that the chart uses as `existingSecret`. Every value
 * is wrapped in `pulumi.secret`, so it stays encrypted in state and hidden in previews and outputs.
 */
export class AppSecrets extends pulumi.ComponentResource {
  public readonly secretName: pulumi.Output<string>;
  /** an HMAC of the Secret's content (not secret; reveals nothing): changes when any value changes */
  public readonly checksum: pulumi.Output<string>;
  /** BETTER_AUTH_SECRET (secret) */
  public readonly authSecret: pulumi.Output<string>;
  /** POSTGRES_PASSWORD (secret), when PostgreSQL runs in the cluster */
  public readonly postgresPassword: pulumi.Output<string> | undefined;
  public readonly secret: kubernetes.core.v1.Secret;

  constructor(name: string, args: AppSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("todo-chatbot:index:AppSecrets", name, {}, opts);
    const auth = new random.RandomPassword(`${name}-auth-secret`, { length: 48, special: false }, { parent: this });
    this.authSecret = pulumi.secret(auth.result);
    let postgres: random.RandomPassword | undefined;
    if (args.inClusterPostgres) {
      // letters and digits only: the password is embedded in a postgres:// URL
      postgres = new random.RandomPassword(
        `${name}-postgres-password`,
        { length: 32, special: false, minLower: 4, minUpper: 4, minNumeric: 4 },
        { parent: this },
      );
    }
    this.postgresPassword = postgres ? pulumi.secret(postgres.result) : undefined;

    const data = pulumi
      .all([
        this.authSecret,
        pulumi.output(args.openaiApiKey ?? ""),
        args.inClusterPostgres ? pulumi.output("") : pulumi.output(args.databaseUrl ?? ""),
        this.postgresPassword ?? pulumi.output(""),
      ])
      .apply(([betterAuth, openai, databaseUrl, postgresPassword]) =>
        secretData({
          BETTER_AUTH_SECRET: betterAuth,
          OPENAI_API_KEY: openai,
          DATABASE_URL: databaseUrl,
          POSTGRES_PASSWORD: postgresPassword,
        }),
      );
    const stringData = pulumi.secret(data);

    this.secret = new kubernetes.core.v1.Secret(
      name,
      {
        metadata: {
          name: SECRET_NAME,
          namespace: args.namespace,
          labels: { "app.kubernetes.io/name": "todo-chatbot", "app.kubernetes.io/managed-by": "pulumi" },
        },
        type: "Opaque",
        stringData,
      },
      { parent: this, additionalSecretOutputs: ["data", "stringData"] },
    );
    this.secretName = this.secret.metadata.name;
    this.checksum = pulumi.unsecret(data.apply(secretChecksum));
    this.registerOutputs({ secretName: this.secretName, checksum: this.checksum });
  }
}

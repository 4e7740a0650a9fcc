/**
 * The values the stack hands to the chart (apps/chart/values.yaml), built from settings. Pure: the
 * chart-contract test renders this exact object with the real `helm template`. Every value is known
 * before anything is created, so that `pulumi preview` renders the chart and shows a diff per object
 * (helm.v4.Chart renders nothing while an input is unknown). Nothing secret goes in here.
 */
import type { LogLevel, PullPolicy, ReleaseSettings, ServiceType } from "../config/settings.ts";
import { FULLNAME, SECRET_NAME } from "./names.ts";

/** The release's slice of the settings, the two built images, and what the secrets' presence decides. */
export interface ChartValuesInput
  extends Pick<
    ReleaseSettings,
    | "imagePullPolicy"
    | "replicas"
    | "frontendServiceType"
    | "publicUrl"
    | "openaiModel"
    | "openaiBaseUrl"
    | "chatRateLimitPerMinute"
    | "logLevel"
    | "postgresqlImage"
  > {
  readonly backendRepository: string;
  readonly backendTag: string;
  readonly frontendRepository: string;
  readonly frontendTag: string;
  /** no databaseUrl is configured: run PostgreSQL in the cluster */
  readonly inClusterPostgres: boolean;
  /** an OpenAI key is configured: open the backend's HTTPS egress */
  readonly llmEgress: boolean;
}

/** The subset of the chart's values the stack sets (names fixed by the chart contract). */
export interface ChartValues {
  fullnameOverride: string;
  image: { pullPolicy: PullPolicy };
  existingSecret: string;
  config: {
    publicUrl: string;
    openaiModel: string;
    openaiBaseUrl: string;
    chatRateLimitPerMinute: number;
    logLevel: LogLevel;
  };
  backend: {
    image: { repository: string; tag: string };
    replicaCount: number;
  };
  frontend: {
    image: { repository: string; tag: string };
    replicaCount: number;
    service: { type: ServiceType; annotations: Record<string, string> };
  };
  /** image only when postgresqlImage is set (Helm merges it over the chart's default; pullPolicy stays) */
  postgresql: { enabled: boolean; image?: { repository: string; tag: string } };
  networkPolicy: { enabled: boolean; llmEgress: boolean };
}

export function buildChartValues(input: ChartValuesInput): ChartValues {
  return {
    fullnameOverride: FULLNAME,
    image: { pullPolicy: input.imagePullPolicy },
    existingSecret: SECRET_NAME,
    config: {
      publicUrl: input.publicUrl,
      openaiModel: input.openaiModel,
      openaiBaseUrl: input.openaiBaseUrl,
      chatRateLimitPerMinute: input.chatRateLimitPerMinute,
      logLevel: input.logLevel,
    },
    backend: {
      image: { repository: input.backendRepository, tag: input.backendTag },
      replicaCount: input.replicas,
    },
    frontend: {
      image: { repository: input.frontendRepository, tag: input.frontendTag },
      replicaCount: input.replicas,
      service: {
        type: input.frontendServiceType,
        // Minikube fills a LoadBalancer only while `minikube tunnel` runs: never wait for its address
        annotations: input.frontendServiceType === "LoadBalancer" ? { "pulumi.com/skipAwait": "true" } : {},
      },
    },
    postgresql: {
      enabled: input.inClusterPostgres,
      ...(input.postgresqlImage ? { image: { repository: input.postgresqlImage.repository, tag: input.postgresqlImage.tag } } : {}),
    },
    networkPolicy: { enabled: true, llmEgress: input.llmEgress },
  };
}

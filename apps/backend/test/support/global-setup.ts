import { findPostgresBin, startPostgres, type PostgresServer } from "@todo/testkit";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** postgres://… of the suite's throwaway cluster, or "" when PostgreSQL is not installed */
    pgAdminUrl: string;
  }
}

let server: PostgresServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  const bin = findPostgresBin();
  if (bin) server = await startPostgres(bin);
  project.provide("pgAdminUrl", server?.adminUrl ?? "");
}

export function teardown(): void {
  server?.destroy();
}

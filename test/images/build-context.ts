/**
 * The build context exactly as the daemon receives it, by the stack's one .dockerignore engine
 * (stack/image/dockerignore.ts): the ignore file of the Dockerfile being built (`<Dockerfile>.dockerignore`,
 * else the context's .dockerignore), `!` exceptions, the last match wins.
 */
import { cpSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { buildContextFiles } from "../../stack/image/dockerignore";

/** Copies what a build of `dockerfile` (relative to the context) sends into `destination`; returns the files. */
export function copyContext(context: string, destination: string, dockerfile: string): string[] {
  const files = buildContextFiles(context, dockerfile);
  for (const file of files) {
    mkdirSync(dirname(join(destination, file)), { recursive: true });
    cpSync(join(context, file), join(destination, file), { preserveTimestamps: true, verbatimSymlinks: true });
  }
  return files;
}

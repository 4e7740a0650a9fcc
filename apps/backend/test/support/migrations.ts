import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrationsFolder } from "../../src/db/database.ts";

/**
 * A copy of the migrations folder as it was before migration `tag` (e.g. "0003"): migrate a database with
 * it, put in the data an older release would have, then migrate with the real folder to test a
 * migration's backfill. remove() deletes the copy.
 */
export function migrationsBefore(tag: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "backend-migrations-"));
  cpSync(migrationsFolder, dir, { recursive: true });
  const journalFile = join(dir, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalFile, "utf8")) as { entries: { tag: string }[] };
  writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.filter((entry) => entry.tag < tag) }));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

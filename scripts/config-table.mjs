#!/usr/bin/env node
// Renders the stack-config table of README.md from Pulumi.yaml (the one source of truth), or, with
// --write, replaces the table between the config-table markers in README.md.
//   node scripts/config-table.mjs           # print the table
//   node scripts/config-table.mjs --write   # update README.md
import { readFileSync, writeFileSync } from "node:fs";
import { parse } from "yaml";

const root = new URL("..", import.meta.url);
export const START = "<!-- config-table:start (generated from Pulumi.yaml by `npm run docs:config`) -->";
export const END = "<!-- config-table:end -->";

export function renderConfigTable(pulumiYaml) {
  const project = parse(pulumiYaml);
  const rows = Object.entries(project.config ?? {}).map(([key, spec]) => {
    const description = String(spec.description ?? "");
    const secret = spec.secret === true || description.startsWith("Secret:") ? "yes" : "";
    const def = spec.default === undefined ? "(required)" : spec.default === "" ? '`""`' : `\`${JSON.stringify(spec.default).replace(/^"|"$/g, "")}\``;
    const text = description.replace(/^Secret:\s*/, "").replaceAll("|", "\\|");
    return `| \`${project.name}:${key}\` | ${spec.type} | ${def} | ${secret} | ${text} |`;
  });
  return ["| key | type | default | secret | description |", "|---|---|---|---|---|", ...rows].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const table = renderConfigTable(readFileSync(new URL("Pulumi.yaml", root), "utf8"));
  if (process.argv.includes("--write")) {
    const readmeUrl = new URL("README.md", root);
    const readme = readFileSync(readmeUrl, "utf8");
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    if (start < 0 || end < start) {
      console.error(`README.md lacks the markers ${START} ... ${END}; add them where the table belongs`);
      process.exit(1);
    }
    writeFileSync(readmeUrl, `${readme.slice(0, start + START.length)}\n${table}\n${readme.slice(end)}`);
    console.log("README.md config table updated from Pulumi.yaml");
  } else {
    console.log(table);
  }
}

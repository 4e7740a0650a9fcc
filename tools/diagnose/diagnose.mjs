#!/usr/bin/env node
// `npm run diagnose [-- --namespace NS] [--context CTX] [--tail N]`: a readable report of the
// todo-chatbot namespace (Pod status, events, restarts, last log lines, a hint per known failure).
// Needs kubectl and a reachable cluster. An operator tool shipped with the stack (not test code): the
// logic lives beside this entry, analyze.ts (pure) and collect.ts (kubectl), run through Node's type
// stripping (Node >= 22.18 / 24). Its tests are the aiops suite's (test/aiops/diagnose*.test.ts).
import { parseArgs } from "node:util";
import { findProblems, formatReport, parseKubectlJson } from "./analyze.ts";
import { DiagnoseError, collect } from "./collect.ts";

const usage = "usage: npm run diagnose -- [--namespace NS] [--context KUBE_CONTEXT] [--tail LINES] [--json]";

let values;
try {
  ({ values } = parseArgs({
    options: {
      namespace: { type: "string", short: "n" },
      context: { type: "string" },
      tail: { type: "string", default: "20" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  }));
} catch (error) {
  console.error(`${error.message}\n${usage}`);
  process.exit(2);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const tail = Number(values.tail);
if (!Number.isInteger(tail) || tail < 1) {
  console.error(`--tail must be a positive whole number, not "${values.tail}"\n${usage}`);
  process.exit(2);
}

try {
  const snapshot = collect({
    namespace: values.namespace ?? process.env.TODO_CHATBOT_NAMESPACE,
    context: values.context,
    tail,
    parse: parseKubectlJson,
  });
  const findings = findProblems(snapshot);
  console.log(values.json ? JSON.stringify({ namespace: snapshot.namespace, findings }, null, 2) : formatReport(snapshot, findings));
  // Exit 1 when something is wrong, so scripts and CI can use it as a check.
  process.exit(findings.some((f) => f.severity === "error") ? 1 : 0);
} catch (error) {
  if (error instanceof DiagnoseError) {
    console.error(`diagnose: ${error.message}`);
    process.exit(2);
  }
  throw error;
}

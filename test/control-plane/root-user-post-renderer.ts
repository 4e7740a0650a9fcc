// A helm --post-renderer (run as `node root-user-post-renderer.ts`) that makes the chart's backend
// Deployment run as root: runAsUser 0 and runAsNonRoot false at Pod and container level. The values
// schema cannot express this on purpose, so the suite uses it to prove that the API server's Pod
// Security admission really rejects a non-compliant Pod of our chart.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

interface SecurityContext {
  runAsUser?: number;
  runAsNonRoot?: boolean;
}

interface PodTemplateHolder {
  kind?: string;
  metadata?: { labels?: Record<string, string> };
  spec?: { template?: { spec?: { securityContext?: SecurityContext; containers?: { securityContext?: SecurityContext }[] } } };
}

const asRoot = (context: SecurityContext | undefined): SecurityContext => ({ ...context, runAsUser: 0, runAsNonRoot: false });

const documents = parseAllDocuments(readFileSync(0, "utf8"));
const out: string[] = [];
for (const document of documents) {
  const object = document.toJS() as PodTemplateHolder | null;
  if (object === null) continue;
  const podSpec = object.spec?.template?.spec;
  if (object.kind === "Deployment" && object.metadata?.labels?.["app.kubernetes.io/component"] === "backend" && podSpec) {
    podSpec.securityContext = asRoot(podSpec.securityContext);
    for (const container of podSpec.containers ?? []) container.securityContext = asRoot(container.securityContext);
    out.push(JSON.stringify(object));
  } else {
    out.push(document.toString());
  }
}
process.stdout.write(out.join("\n---\n"));

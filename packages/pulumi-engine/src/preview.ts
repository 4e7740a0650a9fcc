/** What `pulumi preview --json` says a deployment would do. */
export interface PreviewStep {
  /** create, same, update, replace, create-replacement, delete-replaced, delete, read, ... */
  readonly op: string;
  readonly urn: string;
  /** the resource type, e.g. docker:index/image:Image */
  readonly type: string;
}

export interface Preview {
  readonly steps: readonly PreviewStep[];
  /** counts per operation, e.g. { same: 40 } when nothing would change */
  readonly changeSummary: Readonly<Record<string, number>>;
}

/** "urn:pulumi:stack::project::parent$pkg:mod:Type::name" -> "pkg:mod:Type" */
export function typeOfUrn(urn: string): string {
  const qualified = urn.split("::")[2] ?? "";
  return qualified.split("$").at(-1) ?? qualified;
}

export function parsePreview(json: string): Preview {
  const parsed = JSON.parse(json) as {
    steps?: Array<{ op: string; urn: string }>;
    changeSummary?: Record<string, number>;
  };
  return {
    steps: (parsed.steps ?? []).map((s) => ({ op: s.op, urn: s.urn, type: typeOfUrn(s.urn) })),
    changeSummary: parsed.changeSummary ?? {},
  };
}

/** Types of the resources the preview would apply `op` to (one entry per resource). */
export function changedTypes(preview: Preview, op: string): string[] {
  return preview.steps.filter((s) => s.op === op).map((s) => s.type);
}

export {
  buildHint,
  createWorkspace,
  enginePath,
  engineScript,
  type PulumiRun,
  type Workspace,
  type WorkspaceOptions,
} from "./workspace.ts";
export { changedTypes, parsePreview, typeOfUrn, type Preview, type PreviewStep } from "./preview.ts";

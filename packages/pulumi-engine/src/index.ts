export {
  buildHint,
  createWorkspace,
  describeVersions,
  engineVersions,
  enginePath,
  engineScript,
  type EngineVersions,
  type PulumiRun,
  type Workspace,
  type WorkspaceOptions,
} from "./workspace.ts";
export { changedTypes, parsePreview, typeOfUrn, type Preview, type PreviewStep } from "./preview.ts";

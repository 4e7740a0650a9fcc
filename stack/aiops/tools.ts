/**
 * Tools of kagent's built-in tool server (RemoteMCPServer `kagent-tool-server`) that the
 * operations agent may call. Names checked in kagent-dev/tools v0.2.1, pkg/k8s/k8s.go
 * (`RegisterTools`): the first group is registered always, the second only when the server
 * does not run with `--read-only`.
 */

/** Read-only tools: what `kubectl get`, `describe`, `logs` and events give. */
export const READ_ONLY_TOOLS = [
  "k8s_get_resources",
  "k8s_describe_resource",
  "k8s_get_pod_logs",
  "k8s_get_events",
  "k8s_get_resource_yaml",
  "k8s_get_available_api_resources",
] as const;

/** Tools that change the cluster; opt-in, and each one needs a human's approval (`requireApproval`). */
export const WRITE_TOOLS = [
  "k8s_apply_manifest",
  "k8s_patch_resource",
  "k8s_delete_resource",
  "k8s_rollout",
  "k8s_scale",
] as const;

export type ToolName = (typeof READ_ONLY_TOOLS)[number] | (typeof WRITE_TOOLS)[number];

/** The tool names an agent gets: read-only ones always, write ones only when enabled. */
export function agentToolNames(enableWriteTools: boolean): ToolName[] {
  return enableWriteTools ? [...READ_ONLY_TOOLS, ...WRITE_TOOLS] : [...READ_ONLY_TOOLS];
}

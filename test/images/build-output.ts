/**
 * Reads a build log and tells whether a given Dockerfile instruction came from the layer cache.
 * Understands the three log formats the suite can meet: podman/buildah ("STEP n/m: RUN …" then
 * "--> Using cache"), Docker's classic builder ("Step n/m : RUN …" then " ---> Using cache") and
 * BuildKit with plain progress ("#7 [deps 6/6] RUN …" then "#7 CACHED").
 */
export type StepState = "cached" | "ran" | "absent";

const stepHeader = /^(?:\[[^\]]*\]\s*)?(?:STEP|Step)\s+\d+\/\d+\s*:\s*(.*)$/;
const buildkitHeader = /^#(\d+)\s+\[[^\]]*\]\s+(.*)$/;

/** State of every step whose instruction contains `instruction` (e.g. "RUN npm ci --workspace @todo/backend"). */
export function stepStates(output: string, instruction: string): StepState[] {
  const lines = output.split(/\r?\n/);
  const states: StepState[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").trim();
    const classic = stepHeader.exec(line);
    if (classic?.[1]?.includes(instruction)) {
      // podman prints "--> Using cache" right after the header of a cached step. Stages may run
      // concurrently and interleave, so only the very next line is evidence.
      const next = lines.slice(i + 1).find((l) => l.trim() !== "")?.trim() ?? "";
      states.push(/^-+>\s*Using cache/.test(next) ? "cached" : "ran");
      continue;
    }
    const buildkit = buildkitHeader.exec(line);
    if (buildkit?.[2]?.includes(instruction)) {
      const id = buildkit[1];
      states.push(lines.some((l) => l.trim() === `#${id} CACHED`) ? "cached" : "ran");
    }
  }
  return states;
}

/** "cached" or "ran" for the single step holding `instruction`; "absent" when the log has no such step. */
export function stepState(output: string, instruction: string): StepState {
  const states = stepStates(output, instruction);
  if (states.length === 0) return "absent";
  return states.every((s) => s === "cached") ? "cached" : "ran";
}

/** The step headers and cache lines of a build log: a short account for an assertion message. */
export function stepSummary(output: string): string {
  return output
    .split(/\r?\n/)
    .filter((line) => stepHeader.test(line.trim()) || buildkitHeader.test(line.trim()) || /Using cache|CACHED/.test(line))
    .map((line) => line.slice(0, 140))
    .join("\n");
}

import { describe, expect, it } from "vitest";
import { stepState } from "./build-output.js";

// Trimmed real logs of the three builders the images suite can meet.
const podman = `[1/4] STEP 8/8: RUN npm ci --workspace @todo/backend
--> Using cache 7e217b243abdf9c29e5dc5f0d7adc093e485e9d70694f8658ec3ae3e223135a2
--> 7e217b243ab
[3/4] STEP 3/4: COPY apps/backend/ apps/backend/
--> e1fe8c5a8e1
[3/4] STEP 4/4: RUN npm run build --workspace @todo/backend -- --noCheck
[4/4] STEP 9/18: COPY --from=prod-deps /prod/ ./
[2/4] STEP 2/2: RUN node -e ' const fs = require("fs");'
--> Using cache 44df0253242aa530744a884cfc7aca4778123b0de8482171be90e50bf847750b
--> Using cache 3b0a96ead8df3e6ac65ca5006252426334faa399f3ff7b22ad8ab407691caa2e
`;
const classic = `Step 8/30 : RUN npm ci --workspace @todo/backend
 ---> Using cache
 ---> 1a2b3c4d5e6f
Step 12/30 : RUN npm run build --workspace @todo/backend -- --noCheck
 ---> Running in 0f9e8d7c6b5a
`;
const buildkit = `#9 [deps 6/6] RUN npm ci --workspace @todo/backend
#9 CACHED
#12 [build 3/3] RUN npm run build --workspace @todo/backend -- --noCheck
#12 0.412 > tsc -p tsconfig.build.json --noCheck
#12 DONE 21.3s
`;

describe("reading a build log for cache hits", () => {
  it.each([
    ["podman", podman],
    ["the classic builder", classic],
    ["BuildKit", buildkit],
  ])("tells a cached dependency install from a re-run build step (%s)", (_name, log) => {
    expect(stepState(log, "RUN npm ci --workspace @todo/backend")).toBe("cached");
    expect(stepState(log, "RUN npm run build --workspace @todo/backend")).toBe("ran");
    expect(stepState(log, "RUN npm ci --workspace @todo/frontend")).toBe("absent");
  });

  it("does not credit a step with the cache line of a stage that interleaved after it (podman)", () => {
    expect(stepState(podman, "COPY --from=prod-deps")).toBe("ran");
    expect(stepState(podman, "RUN node -e")).toBe("cached");
  });
});

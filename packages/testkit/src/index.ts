export { suiteGate, requireAllSuites, type Gate } from "./gate.ts";
export { findExecutable } from "./executables.ts";
export { freePort } from "./ports.ts";
export { HOST_LOCK, holdMachineLock, MACHINE_LOCK_WAIT_MS, takeTurnsOnHost, type MachineLock, type MachineLockOptions } from "./machine-lock.ts";
export { startProcess, waitForHttp, type RunningProcess, type StartProcessOptions } from "./process.ts";
export { findPostgresBin, startPostgres, type PostgresServer } from "./postgres.ts";
export { HELM_VERSION, helm, helmBin, helmInstallHint, helmOk, missingHelm, type HelmOptions, type HelmRun } from "./helm.ts";
export { findChromium, launchChromium, missingChromium } from "./browser.ts";
export { CFS_PERIOD_US, cpuCount, createPodCgroup, memoryBytes, podShape, v8DefaultOldSpaceMiB, type ChartComponent, type PodCgroup, type PodShape } from "./pod-shape.ts";

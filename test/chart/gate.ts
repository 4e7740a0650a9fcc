import { suiteGate } from "@todo/testkit";
import { findHelm, helmInstallHint } from "../support/chart/index.js";

/** The chart suite needs the real helm: skipped with one line without it, a failure under REQUIRE_ALL_SUITES=1. */
export const helmGate = suiteGate("chart (helm)", findHelm() ? undefined : helmInstallHint);

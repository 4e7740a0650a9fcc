import { missingHelm, suiteGate } from "@todo/testkit";

/** The chart suite needs the real helm: skipped with one line without it, a failure under REQUIRE_ALL_SUITES=1. */
export const helmGate = suiteGate("chart (helm)", missingHelm());

/**
 * The plan for bots: the Plan object as canonical JSON (sorted keys, two-space indentation).
 * Its shape is the `Plan` interface of plan.ts, versioned by `schemaVersion` and documented in
 * docs/plan.md.
 */
import { canonicalJson } from "./json";
import type { Plan } from "./plan";

export function renderJson(plan: Plan): string {
  return canonicalJson(plan);
}

/**
 * The offline plan: what a connector change does to the account, without credentials or the
 * Pulumi CLI. `floe plan` (cli/plan.ts) strings these together:
 *
 *   snapshotOf(definition, program)  →  Snapshot (head)      loadBase(ref | dir)  →  Snapshot (base)
 *                                                             (cli/plan-base.ts)
 *                          \                                          /
 *                           computePlan(base, head)  →  Plan  →  renderMarkdown / renderTerminal / renderJson
 */
export { buildSnapshot, readSnapshot, writeSnapshot, serializeSnapshot, SNAPSHOT_SCHEMA_VERSION, SNAPSHOT_FILE } from "./snapshot";
export type { Snapshot, SnapshotProcedure, SnapshotGrant, SnapshotFile } from "./snapshot";
export { evaluateProgram, REDACTED, type ProgramSnapshot, type ProgramResource, type EvaluateOptions } from "./program";
export { snapshotOf, emptySnapshot, programSnapshotOf, programFileOf, DEFAULT_PROGRAM, type ProgramChoice } from "./state";
export { computePlan, failsOn, headerOnly, FAIL_ON, PLAN_SCHEMA_VERSION, type Plan, type PlanBase, type FailOn } from "./plan";
export { resourceGrants, grantText, type PlanGrant, type GrantTarget } from "./grants";
export { AUTO_GRANTED_PRIVILEGES, isAutoGranted } from "./privileges";
export { renderMarkdown, GITHUB_COMMENT_LIMIT, MARKDOWN_MARKER } from "./markdown";
export { renderTerminal } from "./terminal";
export { renderJson } from "./json-format";
export type { PlanWarning, WarningCode } from "./warnings";

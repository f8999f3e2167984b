/**
 * The plan: what a change does to the account, computed from two snapshots (base and head).
 * Plain JSON-ready data; the Markdown, JSON and terminal renderers read nothing else. Every
 * list has a fixed order (by name, path, grantee, key), so the same two snapshots always give
 * the same plan, byte for byte once rendered.
 *
 * The JSON form of this object is `floe plan --format json` (schemaVersion below; the schema is
 * documented in docs/plan.md). Change the version when a field changes meaning or disappears.
 */
import { originText } from "../model";
import { bundleGrants, compareGrant, grantIdentity, programGrants, type PlanGrant } from "./grants";
import { compareText, type JsonValue } from "./json";
import { lineDiff, type LineDiff } from "./line-diff";
import { isAutoGranted } from "./privileges";
import type { ProgramResource } from "./program";
import type { Snapshot, SnapshotProcedure } from "./snapshot";
import { planWarnings, type PlanWarning } from "./warnings";

export const PLAN_SCHEMA_VERSION = 1;

/** Where the base came from, for the report's header. */
export interface PlanBase {
  readonly kind: "git" | "snapshot";
  /** The git ref as given, or the snapshot directory as given. */
  readonly ref: string;
  /** Full commit id, for a git base. */
  readonly commit?: string;
}

export interface ConnectorInfo {
  readonly name: string;
  readonly version: string;
  readonly manifestVersion: 1 | 2;
}

export interface ProcedureInfo {
  readonly name: string;
  readonly signature: string;
  readonly returns: string;
  readonly language: string;
  readonly executeAs: string;
  readonly hash: string;
  /** Grantees of USAGE on it: `APPLICATION ROLE ADMIN`. */
  readonly grants: readonly string[];
  /** `hook hooks/resume.ts:30`, `lifecycle resumeConnectorEntry`, `override overrides/x.sql`, `default hook`. */
  readonly origin: string;
  /** Bundle file whose definition takes effect. */
  readonly file: string;
}

export type ProcedureField = "signature" | "returns" | "language" | "executeAs" | "body" | "grants" | "origin" | "file";

export interface ProcedureEntry extends ProcedureInfo {
  /** The whole body, as an all-added (or all-removed) diff. */
  readonly diff: LineDiff;
}

export interface ProcedureChange {
  readonly name: string;
  readonly before: ProcedureInfo;
  readonly after: ProcedureInfo;
  /** Which fields differ, in this order: signature, returns, language, executeAs, body, grants, origin, file. */
  readonly changes: readonly ProcedureField[];
  /** The body diff; null when the body is unchanged. */
  readonly diff: LineDiff | null;
}

export interface PrivilegeInfo {
  readonly name: string;
  readonly description: string;
  /** Granted by Snowflake at install/upgrade without asking (manifest v2); cannot be revoked. */
  readonly autoGranted: boolean;
}

export interface FileEntry {
  readonly path: string;
  readonly sha256: string;
  /** SQL files: the text (procedures collapsed) as an all-added or all-removed diff. */
  readonly diff: LineDiff | null;
}

export interface FileChange {
  readonly path: string;
  readonly before: string;
  readonly after: string;
  readonly diff: LineDiff;
}

export interface ResourceInfo {
  readonly key: string;
  readonly type: string;
  readonly name: string;
  readonly parent: string | null;
  readonly inputs: JsonValue;
}

export interface InputChange {
  /** Dotted path into the inputs, `onAccountObject.objectName`; "" for the parent. */
  readonly path: string;
  /** Absent when the input is new. */
  readonly before?: JsonValue;
  /** Absent when the input is gone. */
  readonly after?: JsonValue;
  /** For multi-line strings: their line diff. */
  readonly diff?: LineDiff;
}

export interface ResourceChange {
  readonly key: string;
  readonly type: string;
  readonly name: string;
  readonly changes: readonly InputChange[];
}

export interface Added<T> {
  readonly added: readonly T[];
  readonly removed: readonly T[];
}

export interface Plan {
  readonly schemaVersion: typeof PLAN_SCHEMA_VERSION;
  readonly base: PlanBase;
  readonly connector: { readonly base: ConnectorInfo; readonly head: ConnectorInfo };
  /** True when anything below changed (warnings alone do not count). */
  readonly changed: boolean;
  readonly summary: PlanSummary;
  readonly procedures: Added<ProcedureEntry> & { readonly changed: readonly ProcedureChange[] };
  readonly grants: Added<PlanGrant>;
  readonly roles: Added<string>;
  readonly privileges: Added<PrivilegeInfo> & {
    readonly manifestVersion: { readonly base: 1 | 2; readonly head: 1 | 2 };
    /** Requested before and after, but automatically granted only now (manifest v1 → v2). */
    readonly nowAutoGranted: readonly PrivilegeInfo[];
  };
  readonly files: Added<FileEntry> & { readonly changed: readonly FileChange[] };
  readonly resources: Added<ResourceInfo> & {
    readonly changed: readonly ResourceChange[];
    /** False when one side was planned without its program; `note` says which. */
    readonly compared: boolean;
    readonly note?: string;
  };
  readonly warnings: readonly PlanWarning[];
}

export interface PlanSummary {
  readonly procedures: { readonly added: number; readonly removed: number; readonly changed: number };
  readonly grants: { readonly added: number; readonly removed: number };
  readonly roles: { readonly added: number; readonly removed: number };
  readonly privileges: { readonly added: number; readonly removed: number; readonly autoGranted: number };
  readonly files: { readonly added: number; readonly removed: number; readonly changed: number };
  readonly resources: { readonly added: number; readonly removed: number; readonly changed: number };
  readonly warnings: { readonly total: number; readonly new: number };
}

/**
 * True when a body diff changes nothing but the generated header comment (`// Generated by floe
 * render from hooks.ts:12 ...`): the hook moved within its file. The body still changes (and so
 * does its hash, hence a new patch), but a reviewer can skip it.
 */
export function headerOnly(diff: LineDiff): boolean {
  const changed = diff.unified.split("\n").filter((l) => (l.startsWith("+") || l.startsWith("-")));
  return changed.length > 0 && changed.every((l) => /^[+-]\/\/ Generated by floe render /.test(l));
}

export { originText };

/** Grantees of USAGE on a procedure, from the bundle's grants. */
function procedureGrantees(snapshot: Snapshot, p: SnapshotProcedure): string[] {
  return snapshot.grants
    .filter((g) => g.privilege === "USAGE" && g.on === `PROCEDURE ${p.signature}`)
    .map((g) => g.to)
    .sort(compareText);
}

function procedureInfo(snapshot: Snapshot, p: SnapshotProcedure): ProcedureInfo {
  return {
    name: p.name,
    signature: p.signature,
    returns: p.returns,
    language: p.language,
    executeAs: p.executeAs,
    hash: p.hash,
    grants: procedureGrantees(snapshot, p),
    origin: originText(p.origin),
    file: p.file,
  };
}

function byName<T extends { name: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((i) => [i.name, i]));
}

function diffProcedures(base: Snapshot, head: Snapshot): Plan["procedures"] {
  const before = byName(base.procedures);
  const after = byName(head.procedures);
  const added: ProcedureEntry[] = [];
  const removed: ProcedureEntry[] = [];
  const changed: ProcedureChange[] = [];
  for (const [name, p] of after) {
    const old = before.get(name);
    if (old === undefined) {
      added.push({ ...procedureInfo(head, p), diff: lineDiff("", p.body) });
      continue;
    }
    const a = procedureInfo(base, old);
    const b = procedureInfo(head, p);
    const changes: ProcedureField[] = [];
    if (a.signature !== b.signature) changes.push("signature");
    if (a.returns !== b.returns) changes.push("returns");
    if (a.language !== b.language) changes.push("language");
    if (a.executeAs !== b.executeAs) changes.push("executeAs");
    if (old.body !== p.body) changes.push("body");
    if (a.grants.join("\n") !== b.grants.join("\n")) changes.push("grants");
    // A hook that only moved within its file deploys the same bytes: not a change.
    if (originText(old.origin, { withLine: false }) !== originText(p.origin, { withLine: false })) changes.push("origin");
    if (a.file !== b.file) changes.push("file");
    if (changes.length > 0) changed.push({ name, before: a, after: b, changes, diff: old.body !== p.body ? lineDiff(old.body, p.body) : null });
  }
  for (const [name, p] of before) {
    if (!after.has(name)) removed.push({ ...procedureInfo(base, p), diff: lineDiff(p.body, "") });
  }
  const order = (x: { name: string }, y: { name: string }) => compareText(x.name, y.name);
  return { added: added.sort(order), removed: removed.sort(order), changed: changed.sort(order) };
}

function allGrants(snapshot: Snapshot): PlanGrant[] {
  return [...bundleGrants(snapshot), ...programGrants(snapshot.program).grants];
}

function diffGrants(base: Snapshot, head: Snapshot, comparePrograms: boolean): Added<PlanGrant> {
  // Without both programs, program grants would all look added or removed: compare the bundle's only.
  const grantsOf = (s: Snapshot) => (comparePrograms ? allGrants(s) : bundleGrants(s));
  const before = new Map(grantsOf(base).map((g) => [grantIdentity(g), g]));
  const after = new Map(grantsOf(head).map((g) => [grantIdentity(g), g]));
  return {
    added: [...after].filter(([k]) => !before.has(k)).map(([, g]) => g).sort(compareGrant),
    removed: [...before].filter(([k]) => !after.has(k)).map(([, g]) => g).sort(compareGrant),
  };
}

function diffList(before: readonly string[], after: readonly string[]): Added<string> {
  return {
    added: after.filter((x) => !before.includes(x)).sort(compareText),
    removed: before.filter((x) => !after.includes(x)).sort(compareText),
  };
}

function diffPrivileges(base: Snapshot, head: Snapshot): Plan["privileges"] {
  const info = (p: { name: string; description: string }, version: number): PrivilegeInfo => ({ name: p.name, description: p.description, autoGranted: isAutoGranted(p.name, version) });
  const before = byName(base.privileges);
  const after = byName(head.privileges);
  const vBase = base.connector.manifestVersion;
  const vHead = head.connector.manifestVersion;
  const order = (x: { name: string }, y: { name: string }) => compareText(x.name, y.name);
  return {
    manifestVersion: { base: vBase, head: vHead },
    added: head.privileges.filter((p) => !before.has(p.name)).map((p) => info(p, vHead)).sort(order),
    removed: base.privileges.filter((p) => !after.has(p.name)).map((p) => info(p, vBase)).sort(order),
    nowAutoGranted: head.privileges
      .filter((p) => before.has(p.name) && isAutoGranted(p.name, vHead) && !isAutoGranted(p.name, vBase))
      .map((p) => info(p, vHead))
      .sort(order),
  };
}

function diffFiles(base: Snapshot, head: Snapshot): Plan["files"] {
  // Only SQL files: manifest.yml and README.md follow from the privileges and grants reported above.
  const sql = (s: Snapshot) => new Map(s.files.filter((f) => f.text !== undefined).map((f) => [f.path, f]));
  const before = sql(base);
  const after = sql(head);
  const added: FileEntry[] = [];
  const removed: FileEntry[] = [];
  const changed: FileChange[] = [];
  for (const [file, f] of after) {
    const old = before.get(file);
    if (old === undefined) added.push({ path: file, sha256: f.sha256, diff: lineDiff("", f.text ?? "") });
    // A file is re-uploaded (and makes a new patch) whenever its bytes change; when only its
    // procedures changed, the diff here is empty and the procedures section shows the lines.
    else if (old.sha256 !== f.sha256) changed.push({ path: file, before: old.sha256, after: f.sha256, diff: lineDiff(old.text ?? "", f.text ?? "") });
  }
  for (const [file, f] of before) if (!after.has(file)) removed.push({ path: file, sha256: f.sha256, diff: lineDiff(f.text ?? "", "") });
  const order = (x: { path: string }, y: { path: string }) => compareText(x.path, y.path);
  return { added: added.sort(order), removed: removed.sort(order), changed: changed.sort(order) };
}

function isRecord(v: JsonValue | undefined): v is { readonly [key: string]: JsonValue } {
  return v !== null && v !== undefined && typeof v === "object" && !Array.isArray(v);
}

/** Leaf-by-leaf differences of two input objects; arrays and scalars are leaves. */
function inputChanges(before: JsonValue | undefined, after: JsonValue | undefined, at: string, out: InputChange[]): void {
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(compareText);
    for (const key of keys) inputChanges(before[key], after[key], at === "" ? key : `${at}.${key}`, out);
    return;
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return;
  const multiline = typeof before === "string" && typeof after === "string" && (before.includes("\n") || after.includes("\n"));
  out.push({
    path: at,
    ...(before === undefined ? {} : { before }),
    ...(after === undefined ? {} : { after }),
    ...(multiline ? { diff: lineDiff(before as string, after as string) } : {}),
  });
}

function resourceInfo(r: ProgramResource): ResourceInfo {
  return { key: r.key, type: r.type, name: r.name, parent: r.parent, inputs: r.inputs };
}

function diffResources(base: Snapshot, head: Snapshot): Plan["resources"] {
  if (base.program === null || head.program === null) {
    const side = base.program === null && head.program === null ? "base and head were" : base.program === null ? "the base was" : "the head was";
    return { compared: false, note: `not compared: the ${side} planned without the Pulumi program (--no-program)`, added: [], removed: [], changed: [] };
  }
  // Grant resources are reported as grants (see grants.ts).
  const others = (s: Snapshot) => {
    const { grantKeys } = programGrants(s.program);
    return new Map((s.program?.resources ?? []).filter((r) => !grantKeys.has(r.key)).map((r) => [r.key, r]));
  };
  const before = others(base);
  const after = others(head);
  const added: ResourceInfo[] = [];
  const removed: ResourceInfo[] = [];
  const changed: ResourceChange[] = [];
  for (const [key, r] of after) {
    const old = before.get(key);
    if (old === undefined) {
      added.push(resourceInfo(r));
      continue;
    }
    const changes: InputChange[] = [];
    if (old.parent !== r.parent) changes.push({ path: "", before: old.parent, after: r.parent });
    inputChanges(old.inputs, r.inputs, "", changes);
    if (changes.length > 0) changed.push({ key, type: r.type, name: r.name, changes });
  }
  for (const [key, r] of before) if (!after.has(key)) removed.push(resourceInfo(r));
  const order = (x: { key: string }, y: { key: string }) => compareText(x.key, y.key);
  return { compared: true, added: added.sort(order), removed: removed.sort(order), changed: changed.sort(order) };
}

/**
 * Compares two snapshots.
 *
 * ```ts
 * const plan = computePlan(baseSnapshot, headSnapshot, { kind: "git", ref: "origin/main" });
 * plan.procedures.changed.map((c) => `${c.name}: ${c.changes.join(", ")}`);
 * // ["PUBLIC.RESUME_CONNECTOR_VALIDATE: body, origin"]
 * ```
 */
export function computePlan(base: Snapshot, head: Snapshot, from: PlanBase): Plan {
  const procedures = diffProcedures(base, head);
  const resources = diffResources(base, head);
  const grants = diffGrants(base, head, resources.compared);
  const roles = diffList(base.roles, head.roles);
  const privileges = diffPrivileges(base, head);
  const files = diffFiles(base, head);
  const warnings = planWarnings(base, head);
  const connector = (s: Snapshot): ConnectorInfo => ({ name: s.connector.name, version: s.connector.version, manifestVersion: s.connector.manifestVersion });
  const summary: PlanSummary = {
    procedures: { added: procedures.added.length, removed: procedures.removed.length, changed: procedures.changed.length },
    grants: { added: grants.added.length, removed: grants.removed.length },
    roles: { added: roles.added.length, removed: roles.removed.length },
    privileges: {
      added: privileges.added.length,
      removed: privileges.removed.length,
      autoGranted: privileges.added.filter((p) => p.autoGranted).length + privileges.nowAutoGranted.length,
    },
    files: { added: files.added.length, removed: files.removed.length, changed: files.changed.length },
    resources: { added: resources.added.length, removed: resources.removed.length, changed: resources.changed.length },
    warnings: { total: warnings.length, new: warnings.filter((w) => w.new).length },
  };
  const counts = [
    ...Object.values(summary.procedures),
    ...Object.values(summary.grants),
    ...Object.values(summary.roles),
    summary.privileges.added,
    summary.privileges.removed,
    privileges.nowAutoGranted.length,
    ...Object.values(summary.files),
    ...Object.values(summary.resources),
  ];
  const headInfo = connector(head);
  const baseInfo = connector(base);
  const connectorChanged = JSON.stringify(headInfo) !== JSON.stringify(baseInfo);
  return {
    schemaVersion: PLAN_SCHEMA_VERSION,
    base: from,
    connector: { base: baseInfo, head: headInfo },
    changed: connectorChanged || counts.some((n) => n > 0),
    summary,
    procedures,
    grants,
    roles,
    privileges,
    files,
    resources,
    warnings,
  };
}

/** What `--fail-on` can gate on: each level includes the ones before it. */
export type FailOn = "privileges" | "grants" | "any";
export const FAIL_ON: readonly FailOn[] = ["privileges", "grants", "any"];

/**
 * Whether the plan holds a change of the given kind:
 * - `privileges`: the app newly gets a privilege: a manifest privilege newly requested or newly
 *   granted automatically (manifest v1 → v2), or a privilege newly granted to the application
 *   by the program;
 * - `grants`: that, or any grant added or removed (to application roles, account roles or the
 *   application), or a manifest privilege dropped;
 * - `any`: any change at all.
 */
export function failsOn(plan: Plan, level: FailOn): boolean {
  const privileges =
    plan.privileges.added.length > 0 || plan.privileges.nowAutoGranted.length > 0 || plan.grants.added.some((g) => g.target === "application");
  if (level === "privileges") return privileges;
  const grants = privileges || plan.grants.added.length > 0 || plan.grants.removed.length > 0 || plan.privileges.removed.length > 0;
  if (level === "grants") return grants;
  return plan.changed;
}

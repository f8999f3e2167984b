/**
 * What a reviewer should look at twice, checked on the head state (and on the base, to tell
 * new warnings from ones the base already had):
 *
 * - a recommended lifecycle file left out (lifecycle/pause.sql, finalize_configuration.sql);
 * - a procedure granted beyond the roles floe's catalog expects (RESUME_CONNECTOR beyond ADMIN;
 *   any *_VALIDATE / *_INTERNAL hook procedure to anyone);
 * - a procedure definition replaced by a later one in install order (an override shadowed by a
 *   file that runs after it), and an override that replaces a hook of the hooks files;
 * - a hook whose signature changed between base and head (callers and grants name signatures);
 * - the render's own warnings that none of the above already covers.
 */
import { FEATURES } from "../features";
import { PROCEDURES, qualifiedName } from "../procedures";
import { compareText } from "./json";
import type { Snapshot } from "./snapshot";

export type WarningCode =
  | "recommended-file-missing"
  | "procedure-over-granted"
  | "definition-shadowed"
  | "override-replaces-hook"
  | "hook-signature-changed"
  | "render";

export const WARNING_CODES: readonly WarningCode[] = [
  "recommended-file-missing",
  "procedure-over-granted",
  "definition-shadowed",
  "override-replaces-hook",
  "hook-signature-changed",
  "render",
];

export interface PlanWarning {
  readonly code: WarningCode;
  /** What it is about: a file, a procedure, `PROCEDURE → grantee`. */
  readonly subject: string;
  readonly message: string;
  /** False when the base had the same warning. */
  readonly new: boolean;
}

type Found = Omit<PlanWarning, "new">;

const HOOK_PROCEDURE = /_(VALIDATE|INTERNAL)$/;

/** Application roles floe expects on a procedure, or undefined when it does not know the procedure. */
function expectedRoles(name: string): readonly string[] | undefined {
  const spec = PROCEDURES.find((p) => qualifiedName(p) === name);
  if (spec !== undefined) return spec.grants;
  return HOOK_PROCEDURE.test(name) ? [] : undefined;
}

function procedureNameOf(on: string): string | undefined {
  const match = /^PROCEDURE (.+?)\(/.exec(on);
  if (match === null) return undefined;
  const name = match[1];
  return name.includes(".") ? name : `PUBLIC.${name}`;
}

/** The state checks: they depend on one snapshot only. */
function stateWarnings(s: Snapshot): Found[] {
  const found: Found[] = [];
  // The empty base (no connector yet) has no features; it is not "missing" any.
  for (const feature of s.connector.features.length === 0 ? [] : FEATURES) {
    if (feature.level !== "recommended" || s.connector.features.includes(feature.name)) continue;
    found.push({ code: "recommended-file-missing", subject: feature.file, message: `${feature.file} is recommended but left out: ${feature.without}.` });
  }
  for (const g of s.grants) {
    if (!g.to.startsWith("APPLICATION ROLE ")) continue;
    const name = procedureNameOf(g.on);
    if (name === undefined) continue;
    const expected = expectedRoles(name);
    const role = g.to.slice("APPLICATION ROLE ".length);
    if (expected === undefined || expected.includes(role)) continue;
    const why = HOOK_PROCEDURE.test(name)
      ? "a hook procedure runs with the owner's rights and is meant to be called only by its lifecycle procedure"
      : `anyone holding ${role} can call it`;
    const allowed = expected.length === 0 ? "no role" : expected.join(", ");
    found.push({ code: "procedure-over-granted", subject: `${name} → ${g.to}`, message: `${name} is granted to ${g.to} (in ${g.file}); floe expects ${allowed}: ${why}.` });
  }
  for (const p of s.procedures) {
    const last = p.definedIn[p.definedIn.length - 1];
    if (last !== undefined && last !== p.file) {
      found.push({
        code: "definition-shadowed",
        subject: p.name,
        message: `${p.name} is defined in ${p.file}, but ${last} defines it again later in setup; ${last}'s definition is the one installed.`,
      });
    }
  }
  for (const o of s.overrides) {
    const hook = s.hooks.find((h) => h.procedure === o.procedure);
    if (hook === undefined) continue;
    found.push({
      code: "override-replaces-hook",
      subject: o.procedure,
      message: `${o.procedure} is overridden by ${o.source}, which replaces the hook at ${hook.file}:${hook.line}; the hook's code is not deployed.`,
    });
  }
  const subjects = found.map((f) => f.subject);
  for (const text of s.warnings) {
    // The model words some of the same findings its own way; keep only what is not covered above.
    if (subjects.some((subject) => text.includes(subject.split(" → ")[0]))) continue;
    found.push({ code: "render", subject: "", message: text });
  }
  return found;
}

/** The checks that compare base and head. */
function changeWarnings(base: Snapshot, head: Snapshot): Found[] {
  const found: Found[] = [];
  for (const p of head.procedures) {
    const old = base.procedures.find((b) => b.name === p.name);
    if (old === undefined || old.signature === p.signature) continue;
    if (p.origin.kind !== "hook" && old.origin.kind !== "hook") continue;
    found.push({
      code: "hook-signature-changed",
      subject: p.name,
      message: `the hook ${p.name} changed signature from ${old.signature} to ${p.signature}: its lifecycle procedure and any grant name the old signature.`,
    });
  }
  return found;
}

const key = (w: Found) => `${w.code}\0${w.subject}\0${w.code === "render" ? w.message : ""}`;

/** The warnings of the head state, each marked new or already present in the base. */
export function planWarnings(base: Snapshot, head: Snapshot): PlanWarning[] {
  const before = new Set(stateWarnings(base).map(key));
  const warnings = [...stateWarnings(head).map((w) => ({ ...w, new: !before.has(key(w)) })), ...changeWarnings(base, head).map((w) => ({ ...w, new: true }))];
  return warnings.sort((a, b) => WARNING_CODES.indexOf(a.code) - WARNING_CODES.indexOf(b.code) || compareText(a.subject, b.subject) || compareText(a.message, b.message));
}

/**
 * The plan for a terminal: compact lines, `+` / `-` / `~` marks, body and file diffs indented
 * under their procedure or file. Colour comes from the caller (on for a TTY unless NO_COLOR);
 * without colour the text is plain and still reads the same.
 */
import pc from "picocolors";
import { grantText, type PlanGrant } from "./grants";
import type { LineDiff } from "./line-diff";
import { headerOnly, type InputChange, type Plan, type ProcedureInfo } from "./plan";

export type Colors = ReturnType<typeof pc.createColors>;

function grantees(p: ProcedureInfo): string {
  return p.grants.length === 0 ? "no role" : p.grants.map((g) => g.replace(/^APPLICATION ROLE /, "")).join(", ");
}

function diffLines(c: Colors, d: LineDiff, indent: string): string[] {
  if (d.unified === "") return [];
  return d.unified.split("\n").map((line) => {
    const text = indent + line;
    if (line.startsWith("@@")) return c.cyan(text);
    if (line.startsWith("+")) return c.green(text);
    if (line.startsWith("-")) return c.red(text);
    return c.dim(text);
  });
}

function count(n: number, what: string, c: Colors, colour: (s: string) => string): string {
  const text = `${n} ${what}`;
  return n > 0 ? colour(text) : c.dim(text);
}

function procedureLine(c: Colors, mark: string, p: ProcedureInfo, tail: string): string {
  return `  ${mark} ${c.bold(p.signature)}  ${c.dim("EXECUTE AS")} ${p.executeAs}  ${c.dim("granted to")} ${grantees(p)}  ${c.dim(p.origin)}  ${tail}`;
}

function inputLine(c: Colors, change: InputChange): string {
  const what = change.path === "" ? "parent" : change.path;
  if (change.diff !== undefined) return `      ${what}: ${c.green(`+${change.diff.added}`)} ${c.red(`−${change.diff.removed}`)} lines`;
  const show = (v: unknown) => (v === undefined ? "(none)" : JSON.stringify(v));
  return `      ${what}: ${c.red(show(change.before))} → ${c.green(show(change.after))}`;
}

function grantLine(c: Colors, mark: "+" | "-", g: PlanGrant): string {
  const colour = mark === "+" ? c.green : c.red;
  return `  ${colour(mark)} ${grantText(g)}  ${c.dim(g.source)}`;
}

/** Renders the plan for a terminal. Pass `pc.createColors(false)` for plain text. */
export function renderTerminal(plan: Plan, c: Colors = pc.createColors(false)): string {
  const out: string[] = [];
  const head = plan.connector.head;
  const base = plan.base.kind === "git" ? `${plan.base.ref}${plan.base.commit !== undefined ? ` ${plan.base.commit.slice(0, 12)}` : ""}` : `snapshot ${plan.base.ref}`;
  out.push(`${c.bold("floe plan")}  ${head.name} ${head.version}  ${c.dim(`base: ${base}`)}`);
  const moved = plan.connector.base;
  if (moved.version !== head.version) out.push(`  version ${moved.version} → ${head.version}`);
  if (moved.manifestVersion !== head.manifestVersion) out.push(c.yellow(`  manifest_version ${moved.manifestVersion} → ${head.manifestVersion}`));
  if (moved.name !== head.name) out.push(`  name ${moved.name} → ${head.name}`);
  out.push("");

  const warnings = plan.warnings.map((w) => `  ${c.yellow("!")} ${w.new ? c.yellow("[new] ") : ""}${c.dim(w.code)} ${w.message}`);
  if (!plan.changed) {
    out.push(c.green("No changes."));
    if (warnings.length > 0) out.push("", c.bold("Warnings"), ...warnings);
    return out.join("\n") + "\n";
  }

  const s = plan.summary;
  const auto = s.privileges.autoGranted > 0 ? c.yellow(` (${s.privileges.autoGranted} newly granted automatically)`) : "";
  out.push(`  procedures  ${count(s.procedures.added, "added", c, c.green)}, ${count(s.procedures.removed, "removed", c, c.red)}, ${count(s.procedures.changed, "changed", c, c.yellow)}`);
  out.push(`  grants      ${count(s.grants.added, "added", c, c.green)}, ${count(s.grants.removed, "removed", c, c.red)}`);
  out.push(`  privileges  ${count(s.privileges.added, "added", c, c.green)}${auto}, ${count(s.privileges.removed, "removed", c, c.red)}`);
  if (s.roles.added + s.roles.removed > 0) out.push(`  app roles   ${count(s.roles.added, "added", c, c.green)}, ${count(s.roles.removed, "removed", c, c.red)}`);
  out.push(`  SQL files   ${count(s.files.added, "added", c, c.green)}, ${count(s.files.removed, "removed", c, c.red)}, ${count(s.files.changed, "changed", c, c.yellow)}`);
  out.push(
    plan.resources.compared
      ? `  resources   ${count(s.resources.added, "added", c, c.green)}, ${count(s.resources.removed, "removed", c, c.red)}, ${count(s.resources.changed, "changed", c, c.yellow)}`
      : `  resources   ${c.dim(plan.resources.note ?? "not compared")}`,
  );

  if (warnings.length > 0) out.push("", c.bold("Warnings"), ...warnings);

  const p = plan.privileges;
  if (p.added.length + p.removed.length + p.nowAutoGranted.length > 0) {
    out.push("", c.bold("Manifest privileges"));
    const auto = c.yellow("granted automatically at install and upgrade (manifest v2); a consumer cannot revoke it");
    for (const x of p.added) out.push(`  ${c.green("+")} ${x.name}  ${x.autoGranted ? auto : c.dim("the consumer is asked to grant it")}`);
    for (const x of p.nowAutoGranted) out.push(`  ${c.yellow("~")} ${x.name}  now ${auto}`);
    for (const x of p.removed) out.push(`  ${c.red("-")} ${x.name}`);
  }

  const procs = plan.procedures;
  if (procs.added.length + procs.removed.length + procs.changed.length > 0) {
    out.push("", c.bold("Procedures"));
    for (const ch of procs.changed) {
      const body =
        ch.diff === null
          ? c.dim("body unchanged")
          : `body ${c.green(`+${ch.diff.added}`)} ${c.red(`−${ch.diff.removed}`)}${headerOnly(ch.diff) ? c.dim(" (generated header only)") : ""}`;
      out.push(procedureLine(c, c.yellow("~"), ch.after, body));
      for (const field of ch.changes) {
        if (field === "signature") out.push(c.yellow(`      signature ${ch.before.signature} → ${ch.after.signature}`));
        if (field === "executeAs") out.push(c.yellow(`      EXECUTE AS ${ch.before.executeAs} → ${ch.after.executeAs}`));
        if (field === "grants") out.push(c.yellow(`      granted to ${grantees(ch.before)} → ${grantees(ch.after)}`));
        if (field === "returns") out.push(`      RETURNS ${ch.before.returns} → ${ch.after.returns}`);
        if (field === "language") out.push(`      LANGUAGE ${ch.before.language} → ${ch.after.language}`);
        if (field === "file") out.push(`      defined in ${ch.before.file} → ${ch.after.file}`);
      }
      if (ch.diff !== null) out.push(...diffLines(c, ch.diff, "      "));
    }
    for (const a of procs.added) out.push(procedureLine(c, c.green("+"), a, c.dim(`${a.diff.added} lines`)));
    for (const r of procs.removed) out.push(procedureLine(c, c.red("-"), r, c.dim(`${r.diff.removed} lines`)));
  }

  if (plan.grants.added.length + plan.grants.removed.length > 0) {
    out.push("", c.bold("Grants"));
    for (const g of plan.grants.added) out.push(grantLine(c, "+", g));
    for (const g of plan.grants.removed) out.push(grantLine(c, "-", g));
  }
  if (plan.roles.added.length + plan.roles.removed.length > 0) {
    out.push("", c.bold("Application roles"));
    for (const r of plan.roles.added) out.push(`  ${c.green("+")} ${r}`);
    for (const r of plan.roles.removed) out.push(`  ${c.red("-")} ${r}`);
  }

  const files = plan.files;
  if (files.added.length + files.removed.length + files.changed.length > 0) {
    out.push("", `${c.bold("SQL files")} ${c.dim("(outside procedure bodies)")}`);
    for (const f of files.changed) {
      if (f.diff.added + f.diff.removed === 0) {
        out.push(`  ${c.yellow("~")} ${f.path}  ${c.dim("only procedure bodies changed (see Procedures); the file is uploaded again")}`);
        continue;
      }
      out.push(`  ${c.yellow("~")} ${f.path}  ${c.green(`+${f.diff.added}`)} ${c.red(`−${f.diff.removed}`)}`);
      out.push(...diffLines(c, f.diff, "      "));
    }
    for (const f of files.added) out.push(`  ${c.green("+")} ${f.path}`);
    for (const f of files.removed) out.push(`  ${c.red("-")} ${f.path}`);
  }

  const res = plan.resources;
  if (res.added.length + res.removed.length + res.changed.length > 0) {
    out.push("", c.bold("Pulumi resources"));
    for (const r of res.changed) {
      out.push(`  ${c.yellow("~")} ${r.name}  ${c.dim(r.type)}`);
      for (const change of r.changes) out.push(inputLine(c, change));
    }
    for (const r of res.added) out.push(`  ${c.green("+")} ${r.name}  ${c.dim(r.type)}`);
    for (const r of res.removed) out.push(`  ${c.red("-")} ${r.name}  ${c.dim(r.type)}`);
  }
  return out.join("\n") + "\n";
}

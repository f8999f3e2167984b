/**
 * The plan as a pull-request comment (GitHub-flavoured Markdown): a summary table first, then
 * warnings, privileges, procedures, grants, files and resources, each diff folded in a
 * `<details>` block. The comment never exceeds GitHub's 65,536-character limit: when the full
 * text would, diffs are cut (in report order, procedures first) and each cut says so.
 */
import type { PlanGrant, GrantTarget } from "./grants";
import { grantText } from "./grants";
import type { LineDiff } from "./line-diff";
import { headerOnly, type FileChange, type FileEntry, type InputChange, type Plan, type ProcedureChange, type ProcedureEntry, type ProcedureInfo } from "./plan";

/** GitHub's maximum comment body, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** First line of every plan comment, so a CI job can find and update its earlier comment. */
export const MARKDOWN_MARKER = "<!-- floe-plan -->";

export interface MarkdownOptions {
  /** Maximum length of the whole text. Default GITHUB_COMMENT_LIMIT. */
  readonly limit?: number;
}

/** A diff folded in `<details>`; the assembler decides how much of it fits. */
interface DiffPart {
  readonly summary: string;
  readonly body: string;
  readonly language: "diff" | "json";
}

type Part = string | DiffPart;

const TARGET_TITLES: Record<GrantTarget, string> = {
  "application-role": "To application roles",
  "account-role": "To account roles and users",
  application: "To the application (account privileges)",
};

/** An inline code span that survives backticks in the text. */
export function code(text: string): string {
  if (text === "") return "` `";
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function html(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function fenceFor(body: string): string {
  const longest = Math.max(0, ...[...body.matchAll(/`{3,}/g)].map((m) => m[0].length));
  return "`".repeat(Math.max(3, longest + 1));
}

function counts(d: LineDiff): string {
  return `+${d.added} −${d.removed}`;
}

function grantees(p: ProcedureInfo): string {
  return p.grants.length === 0 ? "none" : p.grants.map((g) => g.replace(/^APPLICATION ROLE /, "")).join(", ");
}

function summaryTable(plan: Plan): string[] {
  const s = plan.summary;
  const autoAdded = plan.privileges.added.filter((p) => p.autoGranted).length;
  const added = `${s.privileges.added}${autoAdded > 0 ? ` (${autoAdded} granted automatically)` : ""}`;
  const nowAuto = plan.privileges.nowAutoGranted.length;
  const row = (...cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
  const rows = [
    "| | Added | Removed | Changed |",
    "|---|---:|---:|---:|",
    row("Procedures", s.procedures.added, s.procedures.removed, s.procedures.changed),
    row("Grants", s.grants.added, s.grants.removed, ""),
    row("Manifest privileges", added, s.privileges.removed, nowAuto > 0 ? `${nowAuto} now granted automatically` : ""),
  ];
  if (s.roles.added + s.roles.removed > 0) rows.push(row("Application roles", s.roles.added, s.roles.removed, ""));
  rows.push(row("SQL files", s.files.added, s.files.removed, s.files.changed));
  rows.push(plan.resources.compared ? row("Pulumi resources", s.resources.added, s.resources.removed, s.resources.changed) : row("Pulumi resources", "–", "–", "–"));
  return rows;
}

function header(plan: Plan): string[] {
  const head = plan.connector.head;
  const base = plan.connector.base;
  const from = plan.base.kind === "git" ? `${code(plan.base.ref)}${plan.base.commit !== undefined ? ` (${code(plan.base.commit.slice(0, 12))})` : ""}` : `the snapshot in ${code(plan.base.ref)}`;
  const lines = [MARKDOWN_MARKER, `## floe plan: ${code(head.name)} ${code(head.version)}`, "", `Compared with ${from}.`];
  const moves: string[] = [];
  if (base.name !== head.name) moves.push(`name ${code(base.name)} → ${code(head.name)}`);
  if (base.version !== head.version) moves.push(`version ${code(base.version)} → ${code(head.version)}`);
  if (base.manifestVersion !== head.manifestVersion) moves.push(`manifest_version ${base.manifestVersion} → ${head.manifestVersion}`);
  if (moves.length > 0) lines.push("", `**Connector:** ${moves.join(", ")}.`);
  return lines;
}

function warningLines(plan: Plan): string[] {
  if (plan.warnings.length === 0) return [];
  const fresh = plan.warnings.filter((w) => w.new).length;
  const lines = ["", `### ⚠️ Warnings (${plan.warnings.length}${fresh > 0 && fresh < plan.warnings.length ? `, ${fresh} new` : ""})`, ""];
  for (const w of plan.warnings) lines.push(`- ${w.new ? "**new** " : ""}${code(w.code)}: ${w.message}`);
  return lines;
}

function privilegeLines(plan: Plan): string[] {
  const p = plan.privileges;
  if (p.added.length + p.removed.length + p.nowAutoGranted.length === 0 && p.manifestVersion.base === p.manifestVersion.head) return [];
  const auto = "**granted automatically at install and upgrade (manifest v2); a consumer cannot revoke it**";
  const lines = ["", "### Manifest privileges", ""];
  if (p.manifestVersion.base !== p.manifestVersion.head) lines.push(`- manifest_version ${p.manifestVersion.base} → ${p.manifestVersion.head}`);
  for (const x of p.added) lines.push(`- **Newly requested:** ${code(x.name)}${x.autoGranted ? ` — ${auto}` : " — the consumer is asked to grant it"}. ${x.description}`);
  for (const x of p.nowAutoGranted) lines.push(`- **Now granted automatically:** ${code(x.name)} — ${auto}. ${x.description}`);
  for (const x of p.removed) lines.push(`- **Dropped:** ${code(x.name)}. An installed app keeps a privilege already granted until the consumer revokes it.`);
  return lines;
}

function procedureRow(mark: string, p: ProcedureInfo, body: string): string {
  return `| ${mark} | ${cell(code(p.signature))} | ${cell(p.executeAs)} | ${cell(grantees(p))} | ${cell(p.origin)} | ${body} |`;
}

function changeNotes(c: ProcedureChange): string[] {
  const notes: string[] = [];
  const a = c.before;
  const b = c.after;
  for (const field of c.changes) {
    if (field === "signature") notes.push(`signature ${code(a.signature)} → ${code(b.signature)}`);
    if (field === "returns") notes.push(`RETURNS ${a.returns} → ${b.returns}`);
    if (field === "language") notes.push(`LANGUAGE ${a.language} → ${b.language}`);
    if (field === "executeAs") notes.push(`**EXECUTE AS ${a.executeAs} → ${b.executeAs}**`);
    if (field === "grants") notes.push(`**grants ${grantees(a)} → ${grantees(b)}**`);
    if (field === "origin") notes.push(`origin ${a.origin} → ${b.origin}`);
    if (field === "file") notes.push(`defined in ${code(a.file)} → ${code(b.file)}`);
  }
  return notes;
}

function procedureParts(plan: Plan): Part[] {
  const p = plan.procedures;
  if (p.added.length + p.removed.length + p.changed.length === 0) return [];
  const parts: Part[] = ["", "### Procedures", "", "| | Procedure | EXECUTE AS | Granted to | Origin | Body |", "|---|---|---|---|---|---|"];
  const rows: string[] = [];
  for (const c of p.changed) rows.push(procedureRow("changed", c.after, c.diff === null ? "unchanged" : `${counts(c.diff)}${headerOnly(c.diff) ? " (generated header only)" : ""}`));
  for (const a of p.added) rows.push(procedureRow("added", a, `${a.diff.added} lines`));
  for (const r of p.removed) rows.push(procedureRow("removed", r, `${r.diff.removed} lines`));
  parts.push(rows.join("\n"));
  const notes = p.changed.filter((c) => c.changes.some((f) => f !== "body"));
  if (notes.length > 0) {
    parts.push("");
    for (const c of notes) parts.push(`- ${code(c.after.signature)}: ${changeNotes(c).join("; ")}`);
  }
  // Real body changes first, bodies whose generated header alone changed after them: they get
  // the size budget first when the comment has to be cut.
  const bodies = p.changed.filter((c) => c.diff !== null);
  const ordered = [...bodies.filter((c) => !headerOnly(c.diff as LineDiff)), ...bodies.filter((c) => headerOnly(c.diff as LineDiff))];
  for (const c of ordered) {
    const diff = c.diff as LineDiff;
    parts.push({ summary: `Body of <code>${html(c.after.signature)}</code> (${counts(diff)}${headerOnly(diff) ? ", generated header only" : ""})`, body: diff.unified, language: "diff" });
  }
  for (const a of p.added) parts.push(diffOf(`New procedure <code>${html(a.signature)}</code> (${a.diff.added} lines)`, a));
  // A removed body is not shown: there is nothing left to review (the JSON keeps it).
  return parts;
}

function diffOf(summary: string, entry: ProcedureEntry | FileEntry): DiffPart {
  return { summary, body: entry.diff?.unified ?? "", language: "diff" };
}

function grantLines(title: string, grants: readonly PlanGrant[]): string[] {
  if (grants.length === 0) return [];
  const lines = ["", `#### ${title}`];
  for (const target of Object.keys(TARGET_TITLES) as GrantTarget[]) {
    const mine = grants.filter((g) => g.target === target);
    if (mine.length === 0) continue;
    lines.push("", `${TARGET_TITLES[target]}:`, "");
    for (const g of mine) lines.push(`- ${code(grantText(g))} — ${cell(g.source)}`);
  }
  return lines;
}

function grantSection(plan: Plan): string[] {
  const g = plan.grants;
  const r = plan.roles;
  const lines: string[] = [];
  if (g.added.length + g.removed.length > 0) lines.push("", "### Grants", ...grantLines("Added", g.added), ...grantLines("Removed", g.removed));
  if (r.added.length + r.removed.length > 0) {
    lines.push("", "### Application roles", "");
    for (const role of r.added) lines.push(`- **Added:** ${code(role)}`);
    for (const role of r.removed) lines.push(`- **Removed:** ${code(role)}`);
  }
  return lines;
}

function fileParts(plan: Plan): Part[] {
  const f = plan.files;
  if (f.added.length + f.removed.length + f.changed.length === 0) return [];
  const parts: Part[] = ["", "### SQL files", "", "Statements outside procedure bodies (bodies are under Procedures).", ""];
  const list: string[] = [];
  const bodiesOnly = (c: FileChange) => c.diff.added + c.diff.removed === 0;
  for (const c of f.changed) {
    list.push(`- **Changed:** ${code(c.path)} (${bodiesOnly(c) ? "only procedure bodies changed, see Procedures; the file is uploaded again" : counts(c.diff)})`);
  }
  for (const a of f.added) list.push(`- **Added:** ${code(a.path)}`);
  for (const r of f.removed) list.push(`- **Removed:** ${code(r.path)}`);
  parts.push(list.join("\n"));
  for (const c of f.changed.filter((x) => !bodiesOnly(x))) parts.push({ summary: `<code>${html(c.path)}</code> (${counts(c.diff)})`, body: c.diff.unified, language: "diff" });
  for (const a of f.added) parts.push(diffOf(`New file <code>${html(a.path)}</code>`, a));
  return parts;
}

function shortJson(value: unknown): string {
  return value === undefined ? "(none)" : JSON.stringify(value);
}

function inputChangeLine(c: InputChange): string {
  const what = c.path === "" ? "parent" : c.path;
  if (c.diff !== undefined) return `${code(what)}: ${counts(c.diff)} lines`;
  const before = shortJson(c.before);
  const after = shortJson(c.after);
  // Long values go to the folded JSON below rather than into the list.
  if (before.length + after.length > 160) return `${code(what)}: changed (see below)`;
  return `${code(what)}: ${code(before)} → ${code(after)}`;
}

function resourceTitle(r: { type: string; name: string }): string {
  return `${code(r.name)} (${code(r.type)})`;
}

function resourceParts(plan: Plan): Part[] {
  const r = plan.resources;
  if (!r.compared) return ["", "### Pulumi resources", "", `Pulumi resources: ${r.note ?? "not compared"}.`];
  if (r.added.length + r.removed.length + r.changed.length === 0) return [];
  const parts: Part[] = ["", "### Pulumi resources", ""];
  const lines: string[] = [];
  for (const c of r.changed) {
    lines.push(`- **Changed:** ${resourceTitle(c)}`);
    for (const change of c.changes) lines.push(`  - ${inputChangeLine(change)}`);
  }
  for (const a of r.added) lines.push(`- **Added:** ${resourceTitle(a)}${a.parent !== null ? ` under ${code(a.parent.split("::").pop() ?? a.parent)}` : ""}`);
  for (const x of r.removed) lines.push(`- **Removed:** ${resourceTitle(x)}`);
  parts.push(lines.join("\n"));
  for (const c of r.changed) {
    for (const change of c.changes) {
      if (change.diff !== undefined) parts.push({ summary: `<code>${html(c.name)}</code> input <code>${html(change.path)}</code> (${counts(change.diff)})`, body: change.diff.unified, language: "diff" });
      else if (inputChangeLine(change).endsWith("(see below)")) {
        parts.push({ summary: `<code>${html(c.name)}</code> input <code>${html(change.path)}</code>`, body: JSON.stringify({ before: change.before ?? null, after: change.after ?? null }, null, 2), language: "json" });
      }
    }
  }
  for (const a of r.added) parts.push({ summary: `Inputs of new <code>${html(a.name)}</code>`, body: JSON.stringify(a.inputs, null, 2), language: "json" });
  return parts;
}

const CUT_NOTE = (lines: number) =>
  `… ${lines} more line${lines === 1 ? "" : "s"} not shown: this comment would exceed GitHub's 65,536-character limit. Run \`floe plan\` locally, or use --format json, for the full diff.`;
const OMITTED_NOTE = "Diff not shown: this comment would exceed GitHub's 65,536-character limit. Run `floe plan` locally, or use --format json, for the full diff.";

function renderDiff(part: DiffPart, body: string, note: string | null): string {
  const fence = fenceFor(body);
  const block = body === "" ? "" : `${fence}${part.language}\n${body}\n${fence}\n`;
  return `<details><summary>${part.summary}</summary>\n\n${block}${note === null ? "" : `\n${note}\n`}\n</details>`;
}

/** Joins the parts; `budget` null renders every diff whole, a number fits the diffs into that many characters. */
function assemble(parts: readonly Part[], budget: number | null): string {
  return assembleLines(parts, budget).join("\n") + "\n";
}

/** The rendered pieces of `assemble`, one per part (a diff part is preceded by an empty piece). */
function assembleLines(parts: readonly Part[], budget: number | null): string[] {
  let remaining = budget ?? Infinity;
  const out: string[] = [];
  for (const part of parts) {
    if (typeof part === "string") {
      out.push(part);
      continue;
    }
    out.push("");
    const whole = renderDiff(part, part.body, null);
    const placeholder = renderDiff(part, "", OMITTED_NOTE);
    // What a diff costs beyond the placeholder every diff gets anyway.
    const extra = whole.length - placeholder.length;
    if (extra <= remaining) {
      out.push(whole);
      remaining -= extra;
      continue;
    }
    const lines = part.body.split("\n");
    let kept = 0;
    let used = 0;
    const noteCost = CUT_NOTE(lines.length).length - OMITTED_NOTE.length + 16;
    while (kept < lines.length && used + lines[kept].length + 1 + noteCost <= remaining) used += lines[kept++].length + 1;
    if (kept === 0) {
      out.push(placeholder);
      continue;
    }
    out.push(renderDiff(part, lines.slice(0, kept).join("\n"), CUT_NOTE(lines.length - kept)));
    remaining = 0;
  }
  return out;
}

/**
 * Renders the plan as Markdown for a pull-request comment.
 *
 * ```ts
 * renderMarkdown(plan).split("\n").slice(0, 4);
 * // ["<!-- floe-plan -->", "## floe plan: `EXAMPLE_CONNECTOR` `V1`", "", "Compared with `origin/main` (`1a2b3c4d5e6f`)."]
 * ```
 */
export function renderMarkdown(plan: Plan, options: MarkdownOptions = {}): string {
  const limit = options.limit ?? GITHUB_COMMENT_LIMIT;
  const parts: Part[] = [...header(plan)];
  if (!plan.changed) {
    parts.push("", "**No changes.** Procedures, grants, privileges, SQL files and Pulumi resources are the same as in the base.");
    parts.push(...warningLines(plan));
  } else {
    parts.push("", ...summaryTable(plan));
    parts.push(...warningLines(plan), ...privilegeLines(plan), ...procedureParts(plan), ...grantSection(plan), ...fileParts(plan), ...resourceParts(plan));
  }
  const full = assemble(parts, null);
  if (full.length <= limit) return full;
  const skeleton = assemble(parts, 0);
  const fitted = assemble(parts, Math.max(0, limit - skeleton.length));
  if (fitted.length <= limit) return fitted;
  if (skeleton.length <= limit) return skeleton;
  // Even without diffs the lists are too long: keep whole pieces (never half a <details> block
  // or a table row) while they fit, and say so.
  const note = "\n\n… The rest of this plan is cut: it would exceed GitHub's 65,536-character limit. Use --format json for all of it.\n";
  const kept: string[] = [];
  let length = 0;
  for (const piece of assembleLines(parts, 0)) {
    if (length + piece.length + 1 + note.length > limit) break;
    kept.push(piece);
    length += piece.length + 1;
  }
  return kept.join("\n").trimEnd() + note;
}

/** `floe render`: writes the Native App bundle and prints what it holds; `--watch` renders again on every save. */
import * as path from "node:path";
import { resolveDefinition, type ConnectorDefinition } from "../generators/definition";
import type { AppModel } from "../generators/model";
import { checkOutputFolder } from "../generators/output-dir";
import type { Bundle } from "../generators/render";
import { loadConnector, pc, step, type DefinitionOptions } from "./common";
import { forgetConnector, watch } from "./watch";

export interface RenderOptions extends DefinitionOptions {
  readonly out: string;
  readonly watch?: boolean;
}

/** The files a render reads: the definition, hooks, overrides and a templates folder of the user's. */
function inputsOf(definition: ConnectorDefinition, file: string): string[] {
  const resolved = resolveDefinition(definition);
  return [file, ...resolved.hooks, ...resolved.overrides.map((o) => o.file), ...(definition.templatesDir === undefined ? [] : [resolved.templatesDir])];
}

interface Rendered {
  readonly model: AppModel;
  readonly bundle: Bundle;
}

async function renderAndWrite(definition: ConnectorDefinition, inputs: readonly string[], out: string, label?: string): Promise<Rendered> {
  // Before the render: a folder floe may not write costs the user nothing to learn about.
  checkOutputFolder(out, { kind: "bundle", argument: "--out", inputs });
  // Loaded only now: it brings the TypeScript compiler, which a refused argument need not wait for.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { renderConnector } = require("../generators/pipeline") as typeof import("../generators/pipeline");
  const { writeBundle } = require("../generators/render") as typeof import("../generators/render");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const rendered = label === undefined ? await renderConnector(definition) : await step(label, () => renderConnector(definition));
  const written = writeBundle(rendered.bundle, out, { inputs });
  for (const note of written.notes) process.stderr.write(pc.yellow("note: ") + note + "\n");
  return rendered;
}

function printSummary({ model, bundle }: Rendered, out: string): void {
  const stdout = process.stdout;
  stdout.write(`${pc.bold(model.name)} ${model.version} → ${path.relative(process.cwd(), path.resolve(out)) || "."}\n`);
  stdout.write(`  files (${bundle.size}): ${[...bundle.keys()].join(", ")}\n`);
  stdout.write(`  procedures (${model.procedures.length}):\n`);
  for (const p of model.procedures) {
    const roles = p.grants.length > 0 ? p.grants.join(", ") : "no role";
    stdout.write(`    ${p.signature.padEnd(50)} ${pc.dim(p.hash)}  ${roles}${p.origin.kind === "hook" ? pc.cyan(`  hook ${p.origin.file}:${p.origin.line}`) : ""}${p.origin.kind === "override" ? pc.cyan("  override") : ""}\n`);
  }
  const perRole = model.roles.map((role) => `${role} ${model.grants.filter((g) => g.to === `APPLICATION ROLE ${role}`).length}`);
  stdout.write(`  grants (${model.grants.length}) to application roles: ${perRole.join(", ")}\n`);
  stdout.write(`  privileges requested: ${model.privileges.map((p) => p.name).join(", ") || "none"} (manifest v${model.manifestVersion})\n`);
  for (const warning of model.warnings) process.stderr.write(pc.yellow("warning: ") + warning + "\n");
}

/** One line per kind of change between two renders: procedures by body hash, files by content, grants. */
export function describeChanges(before: Rendered, after: Rendered): string[] {
  const lines: string[] = [];
  const hashes = new Map(before.model.procedures.map((p) => [p.signature, p.hash]));
  const procedures = after.model.procedures.filter((p) => hashes.get(p.signature) !== p.hash).map((p) => p.signature);
  const added = after.model.procedures.filter((p) => !hashes.has(p.signature)).length;
  const removed = before.model.procedures.filter((p) => !after.model.procedures.some((q) => q.signature === p.signature)).map((p) => p.signature);
  if (procedures.length > 0) lines.push(`procedures changed (${procedures.length}${added > 0 ? `, ${added} new` : ""}): ${procedures.join(", ")}`);
  if (removed.length > 0) lines.push(`procedures removed (${removed.length}): ${removed.join(", ")}`);
  const files = [...new Set([...before.bundle.keys(), ...after.bundle.keys()])].filter((f) => before.bundle.get(f) !== after.bundle.get(f)).sort();
  if (files.length > 0) lines.push(`files changed (${files.length}): ${files.join(", ")}`);
  const grantKey = (g: AppModel["grants"][number]) => JSON.stringify(g);
  const oldGrants = new Set(before.model.grants.map(grantKey));
  const newGrants = new Set(after.model.grants.map(grantKey));
  const grantsAdded = [...newGrants].filter((g) => !oldGrants.has(g)).length;
  const grantsRemoved = [...oldGrants].filter((g) => !newGrants.has(g)).length;
  if (grantsAdded + grantsRemoved > 0) lines.push(`grants: ${grantsAdded} added, ${grantsRemoved} removed`);
  if (lines.length === 0) lines.push("no change to the bundle");
  return lines;
}

export async function renderCommand(options: RenderOptions): Promise<number> {
  const { definition, file } = loadConnector(options);
  if (options.watch !== true) {
    printSummary(await renderAndWrite(definition, inputsOf(definition, file), options.out, `rendering ${definition.name}`), options.out);
    return 0;
  }
  let current = definition;
  let previous: Rendered | undefined;
  return watch({
    inputs: () => inputsOf(current, file),
    run: async (round, changed) => {
      if (changed.includes(file)) {
        forgetConnector(file);
        current = loadConnector(options).definition;
      }
      const started = process.hrtime.bigint();
      const rendered = await renderAndWrite(current, inputsOf(current, file), options.out);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const stdout = process.stdout;
      if (previous === undefined) printSummary(rendered, options.out);
      stdout.write(`${pc.bold(`render ${round}`)} ${pc.dim(`(${ms.toFixed(0)} ms)`)}${changed.length > 0 ? ` after a save of ${changed.map((f) => path.relative(process.cwd(), f) || f).join(", ")}` : ""}\n`);
      if (previous !== undefined) for (const line of describeChanges(previous, rendered)) stdout.write(`  ${line}\n`);
      previous = rendered;
    },
  });
}

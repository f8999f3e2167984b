/** `floe render`: writes the Native App bundle and prints what it holds. */
import * as path from "node:path";
import { resolveDefinition } from "../generators/definition";
import { checkOutputFolder } from "../generators/output-dir";
import { loadConnector, pc, step, type DefinitionOptions } from "./common";

export interface RenderOptions extends DefinitionOptions {
  readonly out: string;
}

export async function renderCommand(options: RenderOptions): Promise<number> {
  const { definition, file } = loadConnector(options);
  const resolved = resolveDefinition(definition);
  const inputs = [file, ...resolved.hooks, ...resolved.overrides.map((o) => o.file), ...(definition.templatesDir === undefined ? [] : [resolved.templatesDir])];
  // Before the render: a folder floe may not write costs the user nothing to learn about.
  checkOutputFolder(options.out, { kind: "bundle", argument: "--out", inputs });
  // Loaded only now: it brings the TypeScript compiler, which a refused argument need not wait for.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { renderConnector } = require("../generators/pipeline") as typeof import("../generators/pipeline");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { writeBundle } = require("../generators/render") as typeof import("../generators/render");
  const { model, bundle } = await step(`rendering ${definition.name}`, () => renderConnector(definition));
  const written = writeBundle(bundle, options.out, { inputs });
  for (const note of written.notes) process.stderr.write(pc.yellow("note: ") + note + "\n");
  const out = process.stdout;
  out.write(`${pc.bold(model.name)} ${model.version} → ${path.relative(process.cwd(), path.resolve(options.out)) || "."}\n`);
  out.write(`  files (${bundle.size}): ${[...bundle.keys()].join(", ")}\n`);
  out.write(`  procedures (${model.procedures.length}):\n`);
  for (const p of model.procedures) {
    const roles = p.grants.length > 0 ? p.grants.join(", ") : "no role";
    out.write(`    ${p.signature.padEnd(50)} ${pc.dim(p.hash)}  ${roles}${p.origin.kind === "hook" ? pc.cyan(`  hook ${p.origin.file}:${p.origin.line}`) : ""}${p.origin.kind === "override" ? pc.cyan("  override") : ""}\n`);
  }
  const perRole = model.roles.map((role) => `${role} ${model.grants.filter((g) => g.to === `APPLICATION ROLE ${role}`).length}`);
  out.write(`  grants (${model.grants.length}) to application roles: ${perRole.join(", ")}\n`);
  out.write(`  privileges requested: ${model.privileges.map((p) => p.name).join(", ") || "none"} (manifest v${model.manifestVersion})\n`);
  for (const warning of model.warnings) process.stderr.write(pc.yellow("warning: ") + warning + "\n");
  return 0;
}

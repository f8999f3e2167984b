/**
 * The desired state of a checkout: render the connector, evaluate its Pulumi program, and
 * snapshot both. `floe plan` builds the head this way, and `floe plan --save` the base.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ConnectorDefinition } from "../definition";
import { FloeError } from "../../errors";
import { renderConnector } from "../pipeline";
import { evaluateProgram, type EvaluateOptions, type ProgramSnapshot } from "./program";
import { buildSnapshot, SNAPSHOT_SCHEMA_VERSION, type Snapshot } from "./snapshot";

/** The default program: `index.ts` beside the connector definition. */
export const DEFAULT_PROGRAM = "index.ts";

/** What to evaluate: a program file, the default one if it exists, or none (`--no-program`). */
export type ProgramChoice = { readonly kind: "file"; readonly file: string } | { readonly kind: "default"; readonly dir: string } | { readonly kind: "none" };

/** The program file a choice resolves to, or null when there is none to run. */
export function programFileOf(choice: ProgramChoice): string | null {
  if (choice.kind === "file") {
    if (!fs.existsSync(choice.file)) throw new FloeError(`--program: ${choice.file} does not exist.`);
    return path.resolve(choice.file);
  }
  if (choice.kind === "default") {
    const file = path.join(choice.dir, DEFAULT_PROGRAM);
    return fs.existsSync(file) ? file : null;
  }
  return null;
}

/** Evaluates the chosen program; null for `--no-program`, an empty record when there is no program file. */
export async function programSnapshotOf(choice: ProgramChoice, root: string, options: EvaluateOptions = {}): Promise<ProgramSnapshot | null> {
  if (choice.kind === "none") return null;
  const file = programFileOf(choice);
  if (file === null) return { file: null, resources: [] };
  return evaluateProgram(file, { ...options, root });
}

/** Renders the connector and snapshots it with the program's resources. */
export async function snapshotOf(definition: ConnectorDefinition, program: ProgramChoice, options: EvaluateOptions = {}): Promise<Snapshot> {
  const rendered = await renderConnector(definition);
  const root = path.resolve(definition.root ?? process.cwd());
  return buildSnapshot(rendered, await programSnapshotOf(program, root, options));
}

/** The state before a connector exists: the base of a change that adds one. */
export function emptySnapshot(name: string, program: ProgramSnapshot | null): Snapshot {
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    connector: { name, version: "", description: "", manifestVersion: 1, features: [] },
    roles: [],
    procedures: [],
    hooks: [],
    overrides: [],
    grants: [],
    privileges: [],
    files: [],
    warnings: [],
    program,
  };
}

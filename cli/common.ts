/**
 * What every floe command shares: loading the connector definition, reporting errors (a clear
 * message and exit code 1, never a stack trace for the user's mistakes) and colours.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import pc from "picocolors";
import type { ConnectorDefinition } from "../generators/definition";
import { FloeError, SourceError } from "../generators/errors";
import { requireTypeScript } from "./typescript";

export { pc };

export interface DefinitionOptions {
  readonly connector?: string;
  readonly hooks?: readonly string[];
}

/**
 * The connector definition a command works on: --connector, else ./connector.ts. Without
 * either there is nothing to render; the message says how to make a connector repository.
 */
export function connectorFileOf(connector: string | undefined): string {
  if (connector !== undefined) return path.resolve(connector);
  if (fs.existsSync("connector.ts")) return path.resolve("connector.ts");
  throw new FloeError(
    `no connector definition: there is no connector.ts in ${process.cwd()}. Run floe in a connector repository, pass --connector FILE, or create one with \`npx floe init\`.`,
  );
}

/** Loads the connector definition (a TypeScript module) and applies --hooks. */
export function loadDefinition(options: DefinitionOptions): ConnectorDefinition {
  const file = connectorFileOf(options.connector);
  const candidate = options.connector ?? "connector.ts";
  if (!fs.existsSync(file)) throw new FloeError(`--connector: ${candidate} does not exist.`);
  let loaded: unknown;
  try {
    loaded = requireTypeScript(file);
  } catch (e) {
    throw new FloeError(`--connector: ${candidate} could not be loaded: ${(e as Error).message}`);
  }
  const definition = ((loaded as { default?: unknown }).default ?? loaded) as ConnectorDefinition;
  if (definition === null || typeof definition !== "object" || typeof (definition as { name?: unknown }).name !== "string") {
    throw new FloeError(`--connector: ${candidate} must export default defineConnector({...}).`);
  }
  const root = definition.root ?? path.dirname(file);
  const hooks = options.hooks !== undefined && options.hooks.length > 0 ? options.hooks.map((h) => path.resolve(h)) : definition.hooks;
  return { ...definition, root, ...(hooks === undefined ? {} : { hooks }) };
}

/** Runs a command body; user errors print their message and exit 1. */
export async function runCommand(body: () => Promise<number | void>): Promise<void> {
  try {
    const code = await body();
    process.exitCode = code ?? 0;
  } catch (e) {
    if (e instanceof FloeError) {
      // Source diagnostics carry their own "file:line:col - error:" prefix.
      process.stderr.write((e instanceof SourceError ? "" : pc.red("error: ")) + e.message + "\n");
      process.exitCode = 1;
      return;
    }
    process.stderr.write(pc.red("internal error: ") + ((e as Error).stack ?? String(e)) + "\n");
    process.exitCode = 1;
  }
}

/** A step line for long work: `• rendering bundle ... done (1.2 s)`. */
export async function step<T>(label: string, work: () => Promise<T> | T, out: NodeJS.WritableStream = process.stderr): Promise<T> {
  const started = Date.now();
  out.write(pc.dim("• ") + label + pc.dim(" ..."));
  try {
    const result = await work();
    out.write(pc.dim(` done (${((Date.now() - started) / 1000).toFixed(1)} s)`) + "\n");
    return result;
  } catch (e) {
    out.write(pc.red(" failed") + "\n");
    throw e;
  }
}

/**
 * What the corpus rows are written with: the row type, hooks and definition builders, and the
 * checks rows run on the files a refused command must leave alone.
 */
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { CAN_SWITCH_USER } from "../helpers";

export type Outcome = "refused" | "warned" | "accepted";
export type Category = "output path" | "hooks" | "connector definition" | "override" | "program" | "cli misuse" | "secrets" | "simulate";

/** Outputs made once for all rows by a real floe process: copied into a row's folder when it needs them. */
export interface SharedOutputs {
  /** A bundle folder `floe render` wrote (with its .floe-bundle marker). */
  readonly bundle: string;
  /** A snapshot folder `floe plan --save` wrote (with its .floe-snapshot marker). */
  readonly snapshot: string;
}

export interface SetupResult {
  /** Extra `{name}` placeholders for the arguments. */
  readonly vars?: Readonly<Record<string, string>>;
  readonly cleanup?: () => Promise<void> | void;
}

export interface CorpusCase {
  readonly name: string;
  readonly category: Category;
  readonly outcome: Outcome;
  readonly files?: Readonly<Record<string, string>>;
  readonly setup?: (dir: string, shared: SharedOutputs) => SetupResult | void | Promise<SetupResult | void>;
  readonly args: readonly string[];
  /** Working directory, relative to the row's folder; default the row's folder. */
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly asNobody?: boolean;
  /** Skipped (with the reason) when this is not undefined. */
  readonly skip?: string;
  readonly expect: {
    /** For refusals: "location" (file:line:col) or the argument / field the message must name. */
    readonly where?: string;
    readonly stderr?: readonly (string | RegExp)[];
    readonly notOutput?: readonly (string | RegExp)[];
    /** Folders (relative to the row's folder) that must be byte-identical before and after. */
    readonly unchanged?: readonly string[];
    /** Paths (relative) that must not exist afterwards. */
    readonly absent?: readonly string[];
    readonly check?: (dir: string, stdout: string, stderr: string) => void;
  };
}

export const API = `import { defineResumeHooks, definePauseHooks, ok, error, rollback, type HookContext } from "floe";\n`;
export const hooks = (body: string) => API + body;
export const validate = (code: string) => hooks(`export default defineResumeHooks({\n  validate(ctx: HookContext) {\n${code}\n  },\n});\n`);
export const connector = (fields: string) => `export default { name: "CORPUS_CONNECTOR", ${fields} };\n`;
export const OK_HOOKS = validate("    return ok();");

/** An override of RESUME_CONNECTOR_VALIDATE with extra statements after it. */
export const override = (extra: string) =>
  [
    "CREATE OR REPLACE PROCEDURE PUBLIC.RESUME_CONNECTOR_VALIDATE()",
    "  RETURNS VARIANT",
    "  LANGUAGE JAVASCRIPT",
    "  EXECUTE AS OWNER",
    "AS",
    "$$",
    'return { response_code: "OK" };',
    "$$;",
    extra,
    "",
  ].join("\n");
export const withOverride = connector(`overrides: [{ procedure: "PUBLIC.RESUME_CONNECTOR_VALIDATE", file: "validate.sql" }]`);

/** A listener on a free port, to make `floe sandbox --port` find it taken. */
export async function busyPort(): Promise<SetupResult> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return { vars: { port: String(port) }, cleanup: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export const needsNobody = CAN_SWITCH_USER ? undefined : "needs root to run floe as another user (file permissions do not bind root)";

/** A previous render floe owns, for rows that must keep it intact. */
export const RENDERED = "out";

export function expectFile(dir: string, rel: string, content: string): void {
  const actual = fs.readFileSync(path.join(dir, rel), "utf8");
  if (actual !== content) throw new Error(`${rel} changed: ${JSON.stringify(actual)}`);
}

export function expectContains(dir: string, rel: string, text: string): void {
  const actual = fs.readFileSync(path.join(dir, rel), "utf8");
  if (!actual.includes(text)) throw new Error(`${rel} does not contain ${JSON.stringify(text)}`);
}

export function copyInto(from: string, dir: string, name: string): void {
  fs.cpSync(from, path.join(dir, name), { recursive: true });
}

/**
 * What every floe command shares: loading the connector definition, reporting errors (a clear
 * message and exit code 1, never a stack trace for the user's mistakes), the guard that keeps a
 * command from ending silently, the redaction of everything it prints, and colours.
 *
 * Why a guard: the connector definition is the user's TypeScript, loaded into this process. If
 * it calls `process.exit(0)` (at load time or from a timer), or leaves floe waiting on something
 * that never settles, the command would end with exit code 0 and no report, and a CI gate such as
 * `floe plan --fail-on privileges` would pass without a plan. While a command runs,
 * `process.exit` throws instead, an exception from a callback is reported, and a process that
 * ends before the command finished ends with exit code 1 and says why.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import pc from "picocolors";
import { redactText } from "../errors/redact";
import { resolveDefinition, type ConnectorDefinition } from "../generators/definition";
import { FloeError, formatDiagnostic, SourceError } from "../errors";
import { FLOE_ROOT } from "../generators/floe-root";
import { credentialVariables, knownSecrets, redactKnown, rememberSecrets } from "../generators/secrets";

import { requireTypeScript } from "./typescript";

export { pc };

/** floe's own package: stack frames in here are floe's, not the user's. */
const FLOE_DIR = FLOE_ROOT;

export interface DefinitionOptions {
  readonly connector?: string;
  readonly hooks?: readonly string[];
}

/** A connector definition and the file it came from. */
export interface LoadedConnector {
  readonly definition: ConnectorDefinition;
  /** Absolute path of the definition file. */
  readonly file: string;
}

/** A path as the user sees it: relative to the current directory when below it. */
export function shownPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel === "" || rel.startsWith("..") || path.isAbsolute(rel) ? file : rel;
}

/** Thrown by `process.exit` while a command runs: user code tried to end the process. */
export class UnexpectedExitError extends Error {
  constructor(readonly code: number | string | null | undefined) {
    super(`process.exit(${code === undefined ? "" : JSON.stringify(code)}) was called`);
    this.name = "UnexpectedExitError";
  }
}

/** User modules this process has loaded (the connector definition and what it imports), for messages. */
const userModules: string[] = [];

function userCodeText(): string {
  return userModules.length === 0 ? "code floe loaded" : userModules.map(shownPath).join(", ");
}

/** Checks that a path given on the command line is a readable file; names the argument otherwise. */
export function checkInputFile(file: string, argument: string): string {
  const resolved = path.resolve(file);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(resolved);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new FloeError(`${argument}: ${file} does not exist.`);
    throw new FloeError(`${argument}: ${file} cannot be read: ${(e as Error).message}.`);
  }
  if (stat.isDirectory()) throw new FloeError(`${argument}: ${file} is a folder; give a file.`);
  if (!stat.isFile()) throw new FloeError(`${argument}: ${file} is not a regular file; give a file.`);
  try {
    fs.accessSync(resolved, fs.constants.R_OK);
    fs.closeSync(fs.openSync(resolved, "r"));
  } catch (e) {
    throw new FloeError(`${argument}: ${file} cannot be read: ${(e as NodeJS.ErrnoException).code === "EACCES" ? "permission denied (EACCES)" : (e as Error).message}.`);
  }
  return resolved;
}

/**
 * The connector definition a command works on: --connector, else ./connector.ts. Without
 * either there is nothing to render; the message says how to make a connector repository.
 */
export function connectorFileOf(connector: string | undefined): string {
  if (connector !== undefined) return checkInputFile(connector, "--connector");
  if (fs.existsSync("connector.ts")) return checkInputFile("connector.ts", "connector.ts");
  throw new FloeError(
    `no connector definition: there is no connector.ts in ${process.cwd()}. Run floe in a connector repository, pass --connector FILE, or create one with \`npx floe init\`.`,
  );
}

/** `file:line:col` of the first stack frame in a user's file (not floe's, not a package's). */
function userFrame(error: Error, file: string): { line: number; column: number; file: string } | undefined {
  for (const line of String(error.stack ?? "").split("\n").slice(1)) {
    const match = /\(?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?\s*$/.exec(line);
    if (match === null) continue;
    const frameFile = match[1].replace(/^file:\/\//, "");
    if (!path.isAbsolute(frameFile) || frameFile.split(path.sep).includes("node_modules")) continue;
    if (frameFile !== file && frameFile.startsWith(FLOE_DIR + path.sep)) continue;
    return { file: frameFile, line: Number(match[2]), column: Number(match[3]) };
  }
  return undefined;
}

function sourceLine(file: string, line: number): string {
  try {
    return fs.readFileSync(file, "utf8").split(/\r?\n/)[line - 1] ?? "";
  } catch {
    return "";
  }
}

/** A diagnostic at `file:line:col` as floe prints them. */
function diagnosticError(file: string, line: number, column: number, message: string): SourceError {
  return new SourceError([{ file, line, column, message, sourceLine: sourceLine(file, line) }]);
}

/** Turns whatever loading the definition threw into a message that names the place. */
function loadFailure(error: unknown, file: string): FloeError {
  const shown = shownPath(file);
  if (error instanceof UnexpectedExitError) {
    return new FloeError(
      `--connector: ${shown}: the connector definition called process.exit(${error.code ?? ""}) while floe loaded it; nothing was rendered. A definition only exports defineConnector({...}).`,
    );
  }
  if (error instanceof FloeError) return error;
  if (!(error instanceof Error)) return new FloeError(`--connector: ${shown}: loading it threw ${JSON.stringify(String(error))}.`);
  // esbuild (through tsx) reports syntax errors as "<file>:<line>:<col>: ERROR: <message>".
  const syntax = /^(.+?):(\d+):(\d+): ERROR: (.+)$/m.exec(error.message);
  if (syntax !== null) return diagnosticError(path.resolve(syntax[1]), Number(syntax[2]), Number(syntax[3]), `${syntax[4]} (the connector definition does not compile).`);
  const firstLine = error.message.split("\n")[0];
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "MODULE_NOT_FOUND" || code === "ERR_MODULE_NOT_FOUND") {
    const missing = /Cannot find module '([^']+)'/.exec(error.message)?.[1];
    const hint = missing === "floe" ? " Install floe in this project (npm install floe), or import defineConnector from where floe is." : "";
    return new FloeError(`--connector: ${shown}: it imports ${missing === undefined ? "a module" : `'${missing}'`}, which cannot be found.${hint}`);
  }
  const frame = userFrame(error, file);
  if (frame !== undefined) return diagnosticError(frame.file, frame.line, frame.column, `the connector definition threw while floe loaded it: ${error.name}: ${firstLine}`);
  return new FloeError(`--connector: ${shown}: the connector definition threw while floe loaded it: ${error.name}: ${firstLine}`);
}

/**
 * Loads the connector definition (a TypeScript module) and applies --hooks; checks it at once,
 * so a mistake in it names the definition file before any rendering.
 */
export function loadConnector(options: DefinitionOptions): LoadedConnector {
  const file = connectorFileOf(options.connector);
  const shown = shownPath(file);
  const hooks = options.hooks !== undefined && options.hooks.length > 0 ? options.hooks.map((h) => checkInputFile(h, "--hooks")) : undefined;
  let loaded: unknown;
  userModules.push(file);
  try {
    loaded = requireTypeScript(file);
  } catch (e) {
    throw loadFailure(e, file);
  }
  const exported = loaded !== null && typeof loaded === "object" && "default" in (loaded as object) ? (loaded as { default: unknown }).default : loaded;
  if (exported !== null && typeof exported === "object" && typeof (exported as { then?: unknown }).then === "function") {
    throw new FloeError(`--connector: ${shown}: the default export is a promise; export the definition itself: export default defineConnector({...}).`);
  }
  if (exported === null || typeof exported !== "object" || Array.isArray(exported) || typeof (exported as { name?: unknown }).name !== "string") {
    throw new FloeError(`--connector: ${shown}: it must export default defineConnector({ name: "MY_CONNECTOR", ... }); its default export is ${describe(exported)}.`);
  }
  const definition = exported as ConnectorDefinition;
  const root = definition.root ?? path.dirname(file);
  const merged: ConnectorDefinition = { ...definition, root, ...(hooks === undefined ? {} : { hooks }) };
  try {
    resolveDefinition(merged);
  } catch (e) {
    if (e instanceof FloeError && !(e instanceof SourceError)) throw new FloeError(`${shown}: ${e.message}`);
    throw e;
  }
  return { definition: merged, file };
}

/** Loads the connector definition and applies --hooks (see {@link loadConnector}). */
export function loadDefinition(options: DefinitionOptions): ConnectorDefinition {
  return loadConnector(options).definition;
}

function describe(value: unknown): string {
  if (value === undefined) return "undefined (nothing is exported)";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object without a string name";
  return `a ${typeof value}`;
}

/** True while a step line ("• rendering X ...") waits for its " done". */
let stepOpen = false;

/** Ends an open step line, so that a message does not run on from it. */
function endStepLine(out: NodeJS.WritableStream): void {
  if (!stepOpen) return;
  stepOpen = false;
  out.write(pc.red(" failed") + "\n");
}

/** Prints an error as floe reports them; returns the exit code. */
export function reportError(e: unknown, out: NodeJS.WritableStream = process.stderr): number {
  endStepLine(out);
  if (e instanceof FloeError) {
    // Source diagnostics carry their own "file:line:col - error:" prefix.
    out.write((e instanceof SourceError ? "" : pc.red("error: ")) + redactKnown(e.message) + "\n");
    return 1;
  }
  if (e instanceof UnexpectedExitError) {
    out.write(pc.red("error: ") + `${userCodeText()} called process.exit(${e.code ?? ""}) while floe was working; floe stopped without finishing.\n`);
    return 1;
  }
  const error = e instanceof Error ? e : new Error(String(e));
  const firstLine = redactKnown(String(error.message).split("\n")[0] ?? "");
  out.write(pc.red("internal error: ") + `${firstLine}${error.name !== "Error" ? ` (${error.name})` : ""}\n`);
  if (process.env.FLOE_DEBUG !== undefined && process.env.FLOE_DEBUG !== "" && process.env.FLOE_DEBUG !== "0") {
    out.write(redactKnown(String(error.stack ?? error.message)) + "\n");
  } else {
    out.write(pc.dim("hint: this is a fault in floe, not in your input. Run again with FLOE_DEBUG=1 for the stack trace, and include it when you report the problem.") + "\n");
  }
  return 1;
}

type Write = typeof process.stdout.write;

/**
 * Redacts every secret floe knows of from everything written to stdout and stderr. A safety net:
 * each output path redacts its own texts before it formats them (redact first, then format);
 * this catches what slips through. It applies only the rule for secrets of 4 characters or more
 * (replaced wherever they occur), which cannot break the structure of a JSON or Markdown report;
 * short secrets are redacted where their texts are produced.
 */
function redactStreams(): () => void {
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((s) => s.write);
  streams.forEach((stream, i) => {
    const original = originals[i];
    stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
      const secrets = knownSecrets();
      const text = secrets.length > 0 && (typeof chunk === "string" || Buffer.isBuffer(chunk)) ? redactText(String(chunk), secrets, { words: false }) : chunk;
      return (original as (...args: unknown[]) => boolean).call(this, text, ...rest);
    } as Write;
  });
  return () => streams.forEach((stream, i) => (stream.write = originals[i]));
}

/**
 * Runs a command body: user errors print their message and exit 1; anything else prints one
 * line and a hint. While it runs, nothing the body loads can end the process unnoticed.
 */
export async function runCommand(body: () => Promise<number | void>): Promise<void> {
  rememberSecrets(credentialVariables(process.env));
  const restoreStreams = redactStreams();
  let finished = false;
  const exit = process.exit;
  const reallyExit = (process as unknown as { reallyExit?: (code?: number) => never }).reallyExit;
  const fail = (e: unknown) => {
    if (finished) return;
    finished = true;
    process.exitCode = reportError(e);
    exit.call(process, process.exitCode);
  };
  const onExit = (code: number) => {
    if (finished) return;
    // The event loop ran dry while the command still waited: something it awaited never settled.
    endStepLine(process.stderr);
    process.stderr.write(pc.red("error: ") + `floe stopped before the command finished: work it waited for (in ${userCodeText()}) never settled.\n`);
    if (code === 0) process.exitCode = 1;
  };
  process.exit = ((code?: number | string | null) => {
    throw new UnexpectedExitError(code);
  }) as typeof process.exit;
  if (reallyExit !== undefined) {
    (process as unknown as { reallyExit: (code?: number) => never }).reallyExit = ((code?: number) => {
      if (finished) return reallyExit.call(process, code);
      throw new UnexpectedExitError(code);
    }) as (code?: number) => never;
  }
  process.on("uncaughtException", fail);
  process.on("exit", onExit);
  try {
    const code = await body();
    finished = true;
    process.exitCode = code ?? 0;
  } catch (e) {
    finished = true;
    process.exitCode = reportError(e);
  }
  // End now rather than when the event loop runs dry: a timer or a server the definition left
  // behind would otherwise keep floe running, or call process.exit later with another code.
  const code = typeof process.exitCode === "number" ? process.exitCode : 0;
  await new Promise<void>((resolve) => process.stdout.write("", () => process.stderr.write("", () => resolve())));
  restoreStreams();
  process.off("uncaughtException", fail);
  process.off("exit", onExit);
  exit.call(process, code);
}

/** A step line for long work: `• rendering bundle ... done (1.2 s)`. */
export async function step<T>(label: string, work: () => Promise<T> | T, out: NodeJS.WritableStream = process.stderr): Promise<T> {
  const started = Date.now();
  out.write(pc.dim("• ") + label + pc.dim(" ..."));
  if (out === process.stderr) stepOpen = true;
  try {
    const result = await work();
    out.write(pc.dim(` done (${((Date.now() - started) / 1000).toFixed(1)} s)`) + "\n");
    return result;
  } catch (e) {
    out.write(pc.red(" failed") + "\n");
    throw e;
  } finally {
    if (out === process.stderr) stepOpen = false;
  }
}

export { formatDiagnostic };

/**
 * `floe plan`: what a connector change does to the account, for the reviewers of the change.
 *
 *   floe plan --base origin/main                       # terminal, coloured on a TTY
 *   floe plan --base origin/main --format markdown     # a pull-request comment
 *   floe plan --base snapshots/prod --format json --fail-on privileges
 *   floe plan --save snapshots/prod                    # write a snapshot to plan against later
 *
 * Exit codes: 0 done; 1 bad argument or input (thrown as FloeError; `runCommand` prints it);
 * 2 `--fail-on` found such a change. Output files (--out, --save) are checked before any work
 * (floe replaces only its own earlier output: generators/output-dir.ts) and written only once
 * the whole plan has been computed, each by rename, so a failure leaves none behind.
 */
import * as path from "node:path";
import { Writable } from "node:stream";
import pc from "picocolors";
import { FloeError } from "../errors";
import { checkOutputFile, checkOutputFolder, writeOutputFile } from "../generators/output-dir";
import { loadBase, resolveBase, type BaseInputs, type LoadedBase, type ResolvedBase } from "./plan-base";
import { renderJson } from "../generators/plan/json-format";
import { MARKDOWN_MARKER, renderMarkdown } from "../generators/plan/markdown";
import { computePlan, FAIL_ON, failsOn, type FailOn, type Plan } from "../generators/plan/plan";
import { ensureTypeScriptRequire } from "../generators/plan/program";
import { buildSnapshot, writeSnapshot } from "../generators/plan/snapshot";
import { DEFAULT_PROGRAM, programFileOf, programSnapshotOf, type ProgramChoice } from "../generators/plan/state";
import { renderTerminal } from "../generators/plan/terminal";
import { renderConnector } from "../generators/pipeline";
import { checkInputFile, connectorFileOf, loadDefinition, shownPath, step } from "./common";

export type PlanFormat = "terminal" | "markdown" | "json";
export const PLAN_FORMATS: readonly PlanFormat[] = ["terminal", "markdown", "json"];

/** The options of `floe plan`, as commander hands them over (camelCase). */
export interface PlanOptions {
  /** Hooks files (repeatable); default: the connector's own hooks. */
  readonly hooks?: readonly string[];
  /** Connector definition; default ./connector.ts. */
  readonly connector?: string;
  /** Pulumi program file; false for --no-program; default index.ts beside the connector, when it exists. */
  readonly program?: string | boolean;
  /** A git ref (rendered in a temporary worktree) or a snapshot directory. */
  readonly base?: string;
  /** Write the head's snapshot to this directory. */
  readonly save?: string;
  /** Default "terminal". */
  readonly format?: string;
  /** Exit 2 when the plan has a change of this kind. */
  readonly failOn?: string;
  /** Write the report to this file instead of stdout. */
  readonly out?: string;
  /** Seconds the Pulumi program may take under mocks before it is reported as hanging. Default 60. */
  readonly programTimeout?: string;
}

/** Where the command writes; tests pass their own. */
export interface PlanIo {
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
}

const FAIL_REASONS: Record<FailOn, string> = {
  privileges: "the app newly gets a privilege",
  grants: "grants are added or removed",
  any: "the plan has changes",
};

interface Checked {
  readonly format: PlanFormat;
  readonly failOn: FailOn | undefined;
  readonly hooks: readonly string[];
  readonly connectorFile: string;
  readonly program: ProgramChoice;
  readonly base: ResolvedBase | undefined;
  readonly programTimeoutMs: number | undefined;
}

/** Checks every argument before any work, so a mistake costs nothing and names its argument. */
function checkOptions(options: PlanOptions): Checked {
  const format = (options.format ?? "terminal") as PlanFormat;
  if (!PLAN_FORMATS.includes(format)) throw new FloeError(`--format must be one of ${PLAN_FORMATS.join(", ")}, got ${JSON.stringify(options.format)}.`);
  const failOn = options.failOn as FailOn | undefined;
  if (failOn !== undefined && !FAIL_ON.includes(failOn)) throw new FloeError(`--fail-on must be one of ${FAIL_ON.join(", ")}, got ${JSON.stringify(options.failOn)}.`);
  if (options.base === undefined && options.save === undefined) {
    throw new FloeError("--base is required: a git ref (--base origin/main) or a snapshot directory (--base DIR); or write a snapshot with --save DIR.");
  }
  if (options.base !== undefined && options.base.trim() === "") throw new FloeError("--base must not be empty.");
  if (options.base === undefined && failOn !== undefined) throw new FloeError("--fail-on needs --base: there is no plan to gate without a base.");
  if (options.base === undefined && options.out !== undefined) throw new FloeError("--out needs --base: --save alone writes a snapshot, not a report.");
  const hooks = (options.hooks ?? []).map((h) => checkInputFile(h, "--hooks"));
  const connectorFile = connectorFileOf(options.connector);
  let program: ProgramChoice;
  if (options.program === false) program = { kind: "none" };
  else if (typeof options.program === "string") program = { kind: "file", file: checkInputFile(options.program, "--program") };
  else program = { kind: "default", dir: path.dirname(connectorFile) };
  // Output paths before any work, and never over an input of this plan.
  const inputs = [connectorFile, ...hooks, ...(program.kind === "file" ? [program.file] : [])];
  if (options.out !== undefined) checkOutputFile(options.out, REPORT_FILE);
  if (options.save !== undefined) checkOutputFolder(options.save, { kind: "snapshot", argument: "--save", inputs });
  let programTimeoutMs: number | undefined;
  if (options.programTimeout !== undefined) {
    const seconds = Number(options.programTimeout);
    if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) {
      throw new FloeError(`--program-timeout must be a number of seconds from 0 to 3600, got ${JSON.stringify(options.programTimeout)}.`);
    }
    programTimeoutMs = Math.round(seconds * 1000);
  }
  // Last: it may ask git, and everything cheaper should fail first.
  const base = options.base === undefined ? undefined : resolveBase(options.base, connectorFile);
  return { format, failOn, hooks, connectorFile, program, base, programTimeoutMs };
}

/** Colour for the terminal format: on a TTY, unless NO_COLOR is set; FORCE_COLOR turns it on. */
export function useColour(io: PlanIo, toFile: boolean): boolean {
  if (toFile) return false;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "") return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== "" && io.env.FORCE_COLOR !== "0") return true;
  return io.stdout.isTTY === true;
}

export function renderPlan(plan: Plan, format: PlanFormat, colour: boolean): string {
  switch (format) {
    case "markdown":
      return renderMarkdown(plan);
    case "json":
      return renderJson(plan);
    case "terminal":
      return renderTerminal(plan, pc.createColors(colour));
  }
}

/** A stream that keeps what is written until `release()`, then passes it on. */
function holdOutput(target: NodeJS.WritableStream): { stream: NodeJS.WritableStream; release: () => void } {
  let held: string[] | null = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      if (held !== null) held.push(String(chunk));
      else target.write(String(chunk));
      done();
    },
  });
  return {
    stream,
    release: () => {
      if (held === null) return;
      const pending = held;
      held = null;
      if (pending.length > 0) target.write(pending.join(""));
    },
  };
}

/** Is this the content of a report floe plan wrote (any format)? Only such a file is replaced by --out. */
export function isPlanReport(content: string): boolean {
  if (content.trim() === "") return true;
  if (content.startsWith(MARKDOWN_MARKER)) return true;
  // eslint-disable-next-line no-control-regex
  if (/^floe plan {2}/.test(content.replace(/\u001b\[[0-9;]*m/g, ""))) return true;
  try {
    const data = JSON.parse(content) as Record<string, unknown> | null;
    return data !== null && typeof data === "object" && "schemaVersion" in data && "base" in data && "procedures" in data && "connector" in data;
  } catch {
    return false;
  }
}

const REPORT_FILE = { argument: "--out", what: "a floe plan report", isOwnOutput: isPlanReport } as const;

function defaultIo(): PlanIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}

/**
 * Runs `floe plan`; resolves to the exit code (0, or 2 for --fail-on), throws FloeError for a
 * bad argument or input (exit 1 through `runCommand`).
 *
 * ```ts
 * const code = await planCommand({ base: "origin/main", format: "markdown", failOn: "privileges", out: "plan.md" });
 * ```
 */
export async function planCommand(options: PlanOptions, io: PlanIo = defaultIo()): Promise<number> {
  const checked = checkOptions(options);
  ensureTypeScriptRequire();
  const definition = loadDefinition({ connector: checked.connectorFile, hooks: checked.hooks });
  const root = path.resolve(definition.root ?? path.dirname(checked.connectorFile));
  const programFile = programFileOf(checked.program);
  // The program runs in a process of its own (generators/plan/program.ts): start it now, so that
  // it evaluates while this process renders. What it prints is held until its step is shown.
  const abort = new AbortController();
  const held = holdOutput(io.stderr);
  const programRun = programSnapshotOf(checked.program, root, {
    output: held.stream,
    signal: abort.signal,
    ...(checked.programTimeoutMs === undefined ? {} : { timeoutMs: checked.programTimeoutMs }),
  });
  programRun.catch(() => undefined);
  let rendered: Awaited<ReturnType<typeof renderConnector>>;
  try {
    rendered = await step(`rendering ${definition.name}`, () => renderConnector(definition), io.stderr);
  } catch (e) {
    abort.abort();
    throw e;
  }
  // A git base is checked out, rendered and its program evaluated while the head's program
  // still evaluates: the two programs' processes run side by side instead of one after the
  // other. Not before the head's render: the base's Ctrl-C handler (which removes its worktree)
  // can only run between synchronous steps, and the head's render is one.
  const resolved = checked.base;
  const inputs: BaseInputs = {
    connector: checked.connectorFile,
    hooks: checked.hooks,
    program: checked.program.kind === "none" ? false : checked.program.kind === "file" ? checked.program.file : path.join(checked.program.dir, DEFAULT_PROGRAM),
    name: definition.name,
  };
  const baseAbort = new AbortController();
  let baseRun: Promise<LoadedBase> | undefined;
  let program: Awaited<typeof programRun>;
  try {
    if (programFile === null) program = await programRun;
    else {
      const alongside = resolved?.kind === "git" ? `; the base ${resolved.ref} is rendered meanwhile` : "";
      program = await step(
        `evaluating ${shownPath(programFile)} under Pulumi mocks${alongside}`,
        () => {
          if (resolved?.kind === "git") {
            baseRun = loadBase(resolved, inputs, { signal: baseAbort.signal });
            baseRun.catch(() => undefined);
          }
          return programRun;
        },
        io.stderr,
      );
    }
  } catch (e) {
    // The base's worktree is removed before the error is reported (the command exits then).
    baseAbort.abort();
    await baseRun?.catch(() => undefined);
    throw e;
  } finally {
    held.release();
  }
  const head = buildSnapshot(rendered, program);

  if (resolved === undefined) {
    const file = writeSnapshot(head, options.save as string);
    io.stderr.write(`snapshot of ${definition.name} written to ${shownPath(file)}\n`);
    return 0;
  }

  const base = await step(
    resolved.kind === "git" ? `rendering the base ${resolved.ref} (${resolved.commit.slice(0, 12)}) in a temporary worktree` : `reading the base snapshot ${resolved.ref}`,
    () => baseRun ?? loadBase(resolved, inputs),
    io.stderr,
  );
  for (const note of base.notes) io.stderr.write(`note: ${note}\n`);
  const plan = computePlan(base.snapshot, head, base.from);
  const report = renderPlan(plan, checked.format, checked.format === "terminal" && useColour(io, options.out !== undefined));

  if (options.save !== undefined) writeSnapshot(head, options.save);
  if (options.out !== undefined) writeOutputFile(options.out, report, REPORT_FILE);
  else io.stdout.write(report);

  if (checked.failOn !== undefined && failsOn(plan, checked.failOn)) {
    io.stderr.write(`floe plan: --fail-on ${checked.failOn}: ${FAIL_REASONS[checked.failOn]}.\n`);
    return 2;
  }
  return 0;
}

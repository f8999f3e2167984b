/**
 * `floe simulate <resume|pause>`: renders the app with the given hooks, installs it in a fresh
 * sandbox, stages the status row and the privileges, calls the lifecycle procedure through
 * snowflake-sdk and reports its phases, answer and statement count.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { FloeError, SourceError } from "../errors";
import type { AppModel } from "../generators/model";
import { redactKnown } from "../generators/secrets";
import { PAUSE_SPEC, RESUME_SPEC } from "../lifecycle/builder";
import { STATEMENT_EVENT, type StatementTag } from "../lifecycle/snowflake-api";
import { CONFIGURATION_STATUSES, CONNECTOR_STATUSES } from "../lifecycle/status";
import type { CallRecord, StatementRecord } from "../sandbox/sandbox";
import { loadDefinition, pc, step, type DefinitionOptions } from "./common";

export interface SimulateOptions extends DefinitionOptions {
  readonly status?: string;
  readonly configurationStatus?: string;
  readonly withoutPrivilege?: readonly string[];
  readonly json?: boolean;
  /** Simulate again on every save of the connector or its hooks (simulate-watch.ts). */
  readonly watch?: boolean;
}

/** Statements one call issues in the reference implementation (LIFECYCLE.md), without Task Reactor. */
export const REFERENCE_STATEMENTS = { resume: 9, pause: 8 } as const;

export interface SimulationResult {
  readonly response: unknown;
  readonly status: { readonly status: unknown; readonly configurationStatus: unknown } | null;
  readonly statements: number;
}

/** The tag a lifecycle statement was issued with (lifecycle/snowflake-api.ts), if any. */
function tagOf(statement: StatementRecord): StatementTag | undefined {
  const event = statement.events?.find((e) => e.name === STATEMENT_EVENT);
  return event === undefined ? undefined : (event.attributes as unknown as StatementTag);
}

/** What a hook procedure is to the handler: its state validation, its internal callback, or neither. */
function purposeOf(procedure: string): string {
  for (const spec of [RESUME_SPEC, PAUSE_SPEC]) {
    if (procedure === spec.validateProcedure) return "state validation";
    if (procedure === spec.internalProcedure) return "internal callback";
  }
  return "call";
}

/**
 * What each statement of a lifecycle call does, for the phase listing: read from the tag its
 * caller sent with it (a `floe.statement` trace event), never from its SQL text. A statement
 * without a tag (a hook's own) is shown by its first words.
 */
export function describePhase(statement: StatementRecord, answers: Map<string, unknown>): string {
  const tag = tagOf(statement);
  if (tag === undefined) return statement.sql.split(/\s+/).slice(0, 3).join(" ");
  switch (tag.step) {
    case "read":
      // One SELECT reads the privileges (none for the flow procedures), the status and, with
      // Task Reactor, the instances: the handler's phases 1 and 2.
      return "privileges and status";
    case "status read":
      return "status re-read";
    case "status write":
      return tag.configurationStatus === undefined ? `status → ${tag.status}` : `status → ${tag.status} / ${tag.configurationStatus}`;
    case "call": {
      const code = (answers.get(tag.procedure) as { response_code?: unknown } | undefined)?.response_code;
      return `${purposeOf(tag.procedure)} ${tag.procedure}()${code === undefined ? " (failed)" : ` → ${String(code)}`}`;
    }
    case "queue command":
      return `Task Reactor: ${tag.command} queued for ${tag.instance}`;
    case "resume task":
      return `Task Reactor: ${tag.instance}.DISPATCHER_TASK resumed`;
    case "streams recreation recorded":
      return `Task Reactor: ${tag.instance} stream recreation time recorded`;
    case "stream recreate":
      return `Task Reactor: ${tag.instance}.${tag.stream} recreated`;
    case "scheduler":
      return `scheduler: STATE.SCHEDULER_TASK ${tag.action === "resume" ? "resumed" : "suspended"} if it exists`;
    case "config save":
      return `configuration ${tag.key} saved`;
    case "config read":
      return `configuration ${tag.key} read`;
    case "prerequisite update":
      return `prerequisite ${tag.id} marked ${tag.completed ? "done" : "not done"}`;
    case "prerequisites complete":
      return "every prerequisite marked done";
  }
}

function parseStatus(value: string | undefined, fallback: string, allowed: readonly string[], option: string): string {
  const chosen = (value ?? fallback).toUpperCase();
  if (chosen === "MISSING" && option === "--status") return chosen;
  if (!allowed.includes(chosen)) {
    throw new FloeError(`${option} must be one of ${allowed.join(", ")}${option === "--status" ? ", MISSING" : ""}; got ${JSON.stringify(value)}.`);
  }
  return chosen;
}

/**
 * The error of a CALL that failed instead of answering, blamed on the innermost procedure that
 * did not answer: when that is a hook, the message points at the hook in the user's file (a
 * hook that never returns makes RESUME_CONNECTOR hit the time limit, but the fault is the hook's).
 */
export function callFailure(error: unknown, procedure: string, records: readonly CallRecord[], model: AppModel, root: string): FloeError {
  const message = redactKnown(error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ").trim();
  const timedOut = /did not finish within|timed out|time limit/i.test(message);
  const unfinished = records.filter((r) => r.answer === undefined).sort((a, b) => b.depth - a.depth)[0];
  const culprit = unfinished === undefined ? undefined : model.procedures.find((p) => `${p.schema}.${p.name}` === unfinished.procedure);
  const what = timedOut ? "did not finish within the procedure time limit" : `failed: ${unfinished?.error ?? message}`;
  if (culprit !== undefined && culprit.origin.kind === "hook") {
    const step = culprit.name.endsWith("_VALIDATE") ? "validate" : "internal";
    const file = path.resolve(root, culprit.origin.file);
    const line = culprit.origin.line;
    let sourceLine = "";
    try {
      sourceLine = fs.readFileSync(file, "utf8").split(/\r?\n/)[line - 1] ?? "";
    } catch {
      // The diagnostic is still located without the line's text.
    }
    const column = Math.max(1, sourceLine.length - sourceLine.trimStart().length + 1);
    return new SourceError([
      {
        file,
        line,
        column,
        sourceLine,
        message:
          `hook '${step}' (${culprit.schema}.${culprit.name}) ${what}, so CALL ${procedure}() failed` +
          (timedOut ? "; look for a loop that never ends. Snowflake stops a procedure that runs too long the same way." : "."),
      },
    ]);
  }
  const where = unfinished === undefined || unfinished.procedure === `PUBLIC.${procedure}` ? `${procedure}` : `${unfinished.procedure}, called by ${procedure},`;
  return new FloeError(`CALL ${procedure}() failed: ${where} ${what === `failed: ${message}` ? `failed: ${message}` : `${what} (${message})`}`);
}

export async function simulateCommand(action: string, options: SimulateOptions): Promise<number> {
  if (action !== "resume" && action !== "pause") throw new FloeError(`simulate takes resume or pause, not ${JSON.stringify(action)}.`);
  const status = parseStatus(options.status, action === "resume" ? "PAUSED" : "STARTED", CONNECTOR_STATUSES, "--status");
  const configurationStatus = parseStatus(options.configurationStatus, "FINALIZED", CONFIGURATION_STATUSES, "--configuration-status");
  if (options.watch === true) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { watchSimulation } = require("./simulate-watch") as typeof import("./simulate-watch");
    return watchSimulation(action, options, simulateCommand);
  }
  const definition = loadDefinition(options);
  const quiet = options.json === true;
  const progress = <T>(label: string, work: () => Promise<T> | T): Promise<T> => (quiet ? Promise.resolve(work()) : step(label, work));

  // Loaded only now: the compiler, DuckDB and the driver are not needed to refuse an argument.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { renderConnector } = require("../generators/pipeline") as typeof import("../generators/pipeline");
  const { SandboxApp } = require("../sandbox/app") as typeof import("../sandbox/app");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const rendered = await progress(`rendering ${definition.name}`, () => renderConnector(definition));
  const without = new Set((options.withoutPrivilege ?? []).map((p) => p.trim().toUpperCase()));
  const manifest = rendered.model.privileges.map((p) => p.name);
  for (const p of without) {
    if (!manifest.includes(p)) throw new FloeError(`--without-privilege: the manifest does not request ${JSON.stringify(p)}; it requests ${manifest.join(", ") || "nothing"}.`);
  }
  const privileges = manifest.filter((p) => !without.has(p));
  const app = await progress("starting the sandbox and installing the app through snowflake-sdk", () => SandboxApp.start(rendered, { privileges }));
  try {
    app.writeStatus(status === "MISSING" ? undefined : { status, configurationStatus });
    const procedure = `${action.toUpperCase()}_CONNECTOR`;
    const before = app.sandbox.history.recorded;
    let response: unknown;
    try {
      response = await app.call(procedure);
    } catch (e) {
      throw callFailure(e, procedure, app.sandbox.history.since(before), rendered.model, definition.root ?? process.cwd());
    }
    const call = app.lastCall(procedure);
    const raw = app.readStatus() as { status?: unknown; configurationStatus?: unknown } | undefined;
    const result: SimulationResult = {
      response,
      status: raw === undefined ? null : { status: raw?.status ?? null, configurationStatus: raw?.configurationStatus ?? null },
      statements: call?.statements.length ?? 0,
    };
    if (quiet) {
      process.stdout.write(JSON.stringify(result) + "\n");
      return 0;
    }
    const answers = new Map<string, unknown>();
    for (const c of app.sandbox.calls) if (c.depth === 2) answers.set(c.procedure, c.answer);
    const out = process.stdout;
    out.write(`\n${pc.bold(`CALL ${app.name}.PUBLIC.${procedure}()`)}  (status ${status === "MISSING" ? "row missing" : `${status} / ${configurationStatus}`}; granted: ${privileges.join(", ") || "nothing"})\n`);
    for (const [i, statement] of (call?.statements ?? []).entries()) {
      out.write(`  ${String(i + 1).padStart(2)}. ${describePhase(statement, answers).padEnd(58)} ${pc.dim(statement.sql.length > 70 ? statement.sql.slice(0, 67) + "..." : statement.sql)}\n`);
    }
    const code = (response as { response_code?: unknown } | undefined)?.response_code;
    out.write(`response:   ${(code === "OK" ? pc.green : pc.yellow)(JSON.stringify(response))}\n`);
    out.write(`status:     ${result.status === null ? "row missing" : `${String(result.status.status)} / ${String(result.status.configurationStatus)}`}\n`);
    out.write(`statements: ${result.statements} inside ${procedure} (the reference issues ${REFERENCE_STATEMENTS[action]} for a successful call)\n`);
    return 0;
  } finally {
    await app.close();
  }
}

// @ts-check
"use strict";
/**
 * Runs one JavaScript stored procedure body in a fresh node:vm context (see vm-context-api.js
 * for what the body sees) and returns its outcome as plain host data.
 *
 * Plain CommonJS on purpose: the procedure worker (vm-worker.cjs) loads it under plain node,
 * where no TypeScript loader applies, and the in-thread runner (javascript.ts) requires it too.
 * Strict mode matters beyond style: a procedure that installs Error.prepareStackTrace sees
 * structured call sites of every frame below it, and only strict functions keep their function
 * object and `this` out of those call sites. Every host function that can be on the stack while
 * procedure code runs is in a strict file (this one, vm-worker.cjs, node's own internals).
 *
 * What the context gets:
 * - no code generation from strings (`eval`, `Function(...)` throw EvalError), so the only code
 *   that ever runs in it is the body, checked before it runs, and the API;
 * - its microtasks run before the call ends and under its time limit;
 * - a body that uses `import()` is refused at compile time: node's dynamic-import machinery
 *   would reject with a host error object, and an unhandled rejection ends the thread.
 */
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const acorn = require("acorn");

const API_SOURCE = fs.readFileSync(path.join(__dirname, "vm-context-api.js"), "utf8");
const API = new vm.Script(API_SOURCE, { filename: "floe-snowflake-api.js" });
/** The global that holds the API's run function between installation and the timed run. */
const RUN_KEY = "\u2063floe:run";
const RUN = new vm.Script(`globalThis[${JSON.stringify(RUN_KEY)}]()`, { filename: "floe-procedure-call.js" });

/** Compiled bodies, by procedure name and text. A vm.Script is not tied to a context. */
const compiled = new Map();
const MAX_COMPILED = 256;

/**
 * @typedef {{ name: string, value: unknown } | { name: string, date: number }} WireArgument
 * @typedef {{ procedure: string, body: string, args: WireArgument[] }} Invocation
 * @typedef {{ kind: "value", value: unknown } | { kind: "error", code: string, state: string, message: string }} Outcome
 * @typedef {{ deadline: number, limitMs: number, running: string[], ranOutIn?: string }} Budget
 *   One time limit for a call and the calls it makes: `deadline` in epoch milliseconds;
 *   `running` the procedures being run, outermost first (an expired time limit unwinds the
 *   stack without running any `finally`, so what is left there names where it expired).
 */

/**
 * @param {string} message
 * @returns {Outcome}
 */
function compilationError(message) {
  return { kind: "error", code: "100131", state: "P0000", message: "JavaScript compilation error: " + message };
}

/**
 * @param {string} message
 * @returns {Outcome}
 */
function executionError(message) {
  return { kind: "error", code: "100132", state: "P0000", message: "JavaScript execution error: " + message };
}

/**
 * Finds what the sandbox refuses to run in a parsed body: `import()` and `import.meta`.
 * @param {any} node
 * @returns {any}
 */
function findImport(node) {
  if (node === null || typeof node !== "object") return undefined;
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = findImport(child);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (node.type === "ImportExpression" || (node.type === "MetaProperty" && node.meta && node.meta.name === "import")) return node;
  for (const key of Object.keys(node)) {
    if (key === "loc" || key === "start" || key === "end") continue;
    const found = findImport(node[key]);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The body as a compiled script whose value is the procedure's function, or the compilation
 * error Snowflake would answer.
 * @param {string} procedure
 * @param {string} body
 * @returns {vm.Script | Outcome}
 */
function compile(procedure, body) {
  const key = procedure + "\u0000" + body;
  const cached = compiled.get(key);
  if (cached !== undefined) return cached;
  const source = "(function () {\n" + body + "\n})";
  /** @type {vm.Script | Outcome} */
  let result;
  try {
    const script = new vm.Script(source, { filename: procedure + ".js", lineOffset: -1 });
    result = check(source) ?? script;
  } catch (error) {
    result = compilationError(String(/** @type {Error} */ (error).message));
  }
  if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value);
  compiled.set(key, result);
  return result;
}

/**
 * Parses the wrapped body with an independent parser: it must be exactly one function
 * expression (a body cannot close the wrapper and run code of its own at the top level) and may
 * not import.
 * @param {string} source
 * @returns {Outcome | undefined}
 */
function check(source) {
  let program;
  try {
    program = acorn.parse(source, { ecmaVersion: "latest", sourceType: "script", locations: true });
  } catch (error) {
    return compilationError("the floe sandbox cannot check this code: " + String(/** @type {Error} */ (error).message));
  }
  const statement = program.body.length === 1 ? program.body[0] : undefined;
  if (statement === undefined || statement.type !== "ExpressionStatement" || statement.expression.type !== "FunctionExpression") {
    return compilationError("the procedure body closes its enclosing function; a body must be the statements of one function.");
  }
  const found = findImport(statement.expression.body);
  if (found !== undefined) {
    const where = found.loc ? ` (line ${found.loc.start.line - 1}, column ${found.loc.start.column + 1})` : "";
    return compilationError(
      `import() is not available in a stored procedure${where}: a JavaScript procedure cannot load modules; put the code in the procedure body.`,
    );
  }
  return undefined;
}

/**
 * Runs a procedure and returns its outcome. `hostCall` runs one statement: it receives the
 * request as a JSON string and must return the reply as a JSON string, without calling back
 * into the context. Never throws for anything the body does.
 * @param {Invocation} invocation
 * @param {Budget} budget shared by the whole call, nested calls included
 * @param {(request: string) => string} hostCall
 * @returns {Outcome}
 */
function runProcedure(invocation, budget, hostCall) {
  const deadline = budget.deadline;
  const procedure = invocation.procedure;
  const script = compile(procedure, invocation.body);
  if (!(script instanceof vm.Script)) return script;
  const remaining = () => Math.max(1, Math.floor(deadline - Date.now()));
  budget.running.push(procedure);
  const depth = budget.running.length;
  if (deadline - Date.now() <= 0) {
    const outcome = timedOut(procedure, budget);
    budget.running.length = depth - 1;
    return outcome;
  }
  const context = vm.createContext(Object.create(null), {
    name: procedure,
    codeGeneration: { strings: false, wasm: false },
    microtaskMode: "afterEvaluate",
  });
  /** @type {unknown} */
  let outcomeText;
  try {
    // Only floe's code runs in these two steps: the API is installed and the body's function
    // created (the check above guarantees that creating it runs nothing).
    const install = API.runInContext(context, { timeout: remaining() });
    const body = script.runInContext(context, { timeout: remaining() });
    const setup = JSON.stringify({ procedure, args: invocation.args });
    install(hostCall, setup, body, RUN_KEY);
    outcomeText = RUN.runInContext(context, { timeout: remaining(), displayErrors: false });
  } catch (error) {
    const message = String(/** @type {{ message?: unknown }} */ (error)?.message ?? error);
    if (message.startsWith("Script execution timed out")) {
      const outcome = timedOut(procedure, budget);
      budget.running.length = depth - 1;
      return outcome;
    }
    budget.running.length = depth - 1;
    return executionError(`floe sandbox could not run ${procedure}: ${message}`);
  }
  budget.running.length = depth - 1;
  if (typeof outcomeText !== "string") return executionError(`${procedure} did not produce an answer.`);
  /** @type {{ kind?: unknown, json?: unknown, message?: unknown, code?: unknown, state?: unknown }} */
  let outcome;
  try {
    outcome = JSON.parse(outcomeText);
  } catch {
    return executionError(`${procedure} produced an unreadable answer.`);
  }
  if (outcome.kind === "value" && typeof outcome.json === "string") return { kind: "value", value: JSON.parse(outcome.json) };
  if (outcome.kind === "thrown") {
    // As in Snowflake, anything escaping the body (an SQL error it did not catch included)
    // fails the CALL with a JavaScript execution error that quotes the cause.
    return executionError(`Uncaught ${String(outcome.message)} in ${procedure}.`);
  }
  if (outcome.kind === "error") return { kind: "error", code: String(outcome.code), state: String(outcome.state), message: String(outcome.message) };
  return executionError(`${procedure} produced an unreadable answer.`);
}

/**
 * The answer of a call that ran out of time. The innermost procedure that was running when the
 * time ran out is named: an outer procedure usually fails a moment later for the same reason.
 * @param {string} procedure
 * @param {Budget} budget
 * @returns {Outcome}
 */
function timedOut(procedure, budget) {
  budget.ranOutIn ??= budget.running[budget.running.length - 1] ?? procedure;
  const where = budget.ranOutIn === procedure ? "" : ` (the time ran out in ${budget.ranOutIn}, which it called)`;
  return executionError(`${procedure} did not finish within the time limit of ${budget.limitMs} ms${where}.`);
}

module.exports = { runProcedure, RUN_KEY };

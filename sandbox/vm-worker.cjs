// @ts-check
"use strict";
/**
 * A worker thread that runs stored procedures for the sandbox (vm-host.ts), so that a body that
 * loops, allocates or blocks never holds up the thread serving the other sessions, nor Ctrl+C.
 *
 * Protocol (see vm-host.ts for the other side):
 * - main → worker on parentPort: {op: "run", frame, invocation, budget}; one run at a time.
 * - worker → main on parentPort: {op: "statement", frame, id, request} for each statement the
 *   body runs. The worker then blocks in Atomics.wait until main has posted the reply on
 *   `replyPort` and raised `flag`: {id, op: "reply", text}, or {id, op: "call", frame,
 *   invocation} when the statement is a CALL of another JavaScript procedure, which this thread
 *   runs right there (the caller's body is suspended inside its statement) and answers with
 *   {op: "return", frame, id, outcome} before waiting for the reply to the CALL itself.
 * - worker → main: {op: "done", frame, outcome} when the run ends.
 * A reply whose id is not the one awaited belongs to a statement abandoned when a time limit
 * expired, and is dropped.
 */
const { parentPort, workerData, receiveMessageOnPort } = require("node:worker_threads");
const engine = require("./vm-engine.cjs");

if (parentPort === null) throw new Error("vm-worker.cjs runs as a worker thread");
const port = parentPort;
/** @type {import("node:worker_threads").MessagePort} */
const replyPort = workerData.replyPort;
const flag = new Int32Array(workerData.flag);
/** How long past the deadline to wait for main before giving up on a reply. */
const REPLY_GRACE_MS = 5_000;
let nextRequest = 1;

// A procedure's own promise rejection settles inside its context; nothing it does may end this
// thread, and nothing is printed on its behalf.
process.on("unhandledRejection", () => undefined);

port.on("message", (/** @type {any} */ message) => {
  if (message.op !== "run") return;
  const budget = { deadline: message.budget.deadline, limitMs: message.budget.limitMs, running: [] };
  const outcome = runFrame(message.frame, message.invocation, budget);
  port.postMessage({ op: "done", frame: message.frame, outcome });
});

/**
 * @param {number} frame
 * @param {import("./vm-engine.cjs").Invocation} invocation
 * @param {import("./vm-engine.cjs").Budget} budget
 */
function runFrame(frame, invocation, budget) {
  return engine.runProcedure(invocation, budget, (request) => statement(frame, request, budget));
}

/**
 * One statement of a frame, answered by main. Returns the reply text; never throws for
 * anything main or the procedure does (an expired time limit still unwinds it).
 * @param {number} frame
 * @param {string} request
 * @param {import("./vm-engine.cjs").Budget} budget
 * @returns {string}
 */
function statement(frame, request, budget) {
  if (typeof request !== "string") return failure("000603", "XX000", "SQL execution internal error: malformed statement request.");
  const id = nextRequest++;
  Atomics.store(flag, 0, 0);
  port.postMessage({ op: "statement", frame, id, request });
  for (;;) {
    const reply = awaitReply(id, budget.deadline + REPLY_GRACE_MS);
    if (reply === undefined) return failure("000603", "XX000", "SQL execution internal error: floe sandbox did not answer the statement in time.");
    if (reply.op === "call") {
      const outcome = runFrame(reply.frame, reply.invocation, budget);
      Atomics.store(flag, 0, 0);
      port.postMessage({ op: "return", frame: reply.frame, id, outcome });
      continue;
    }
    return String(reply.text);
  }
}

/**
 * @param {number} id
 * @param {number} giveUpAt
 * @returns {any}
 */
function awaitReply(id, giveUpAt) {
  for (;;) {
    const received = receiveMessageOnPort(replyPort);
    if (received !== undefined) {
      if (received.message.id === id) return received.message;
      // Stale: lower the flag it raised, then look again before sleeping (no wakeup is lost,
      // since main posts before it raises the flag).
      Atomics.store(flag, 0, 0);
      continue;
    }
    const left = giveUpAt - Date.now();
    if (left <= 0) return undefined;
    // Main posts the reply before raising the flag; a short wait covers a delivery in flight.
    Atomics.wait(flag, 0, 0, Math.min(left, 50));
  }
}

/**
 * @param {string} code
 * @param {string} state
 * @param {string} message
 */
function failure(code, state, message) {
  return JSON.stringify({ ok: false, code, state, message });
}

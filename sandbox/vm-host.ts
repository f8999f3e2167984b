/**
 * Runs stored procedures in worker threads (vm-worker.cjs) while this thread keeps serving.
 *
 * Why threads: a procedure body is synchronous JavaScript. Run on the thread that serves the
 * HTTP endpoint, a body that loops would hold every other session, and Ctrl+C, until its time
 * limit. Here the body runs on a worker; each statement it issues comes back to this thread as
 * a message, is executed by the sandbox like any other statement (so all catalog and table
 * state stays on one thread, one statement at a time), and is answered while the worker sleeps.
 * A CALL made by a procedure is run by the same worker, inside the caller's statement.
 *
 * Failure modes, none of which blocks this thread: a body past its time limit is stopped by
 * node:vm inside the worker; a worker that stops answering anyway is terminated a little after
 * the limit; a worker that dies (out of memory, for one) fails its call and is replaced on
 * demand. Up to `workers` calls run at once; further calls wait for a free worker.
 */
import * as path from "node:path";
import { MessageChannel, Worker, type MessagePort } from "node:worker_threads";
import type { Invocation, Outcome } from "./vm-engine.cjs";

/** The statements of one running procedure, answered by the sandbox. */
export interface Frame {
  /** One statement (a JSON request from the context); may wait, e.g. for an injected fault. */
  statement(request: string): FrameStep | Promise<FrameStep>;
}

export type FrameStep =
  /** The statement's reply, as the context reads it. */
  | { readonly kind: "reply"; readonly text: string }
  /** The statement calls another procedure: run it in the same worker, then `finish` gives the CALL's reply. */
  | { readonly kind: "call"; readonly invocation: Invocation; readonly frame: Frame; finish(outcome: Outcome): string };

export interface ProcedureHostOptions {
  /** Procedure calls that can run at the same time. Default 4. */
  readonly workers?: number;
  /** Heap limit of each worker, so a body that allocates without end fails its call alone. Default 256 MB. */
  readonly memoryMb?: number;
}

/** How long after a call's limit a silent worker is given before it is terminated. */
const WATCHDOG_GRACE_MS = 3_000;

interface Run {
  readonly invocation: Invocation;
  readonly frame: Frame;
  readonly limitMs: number;
  readonly resolve: (outcome: Outcome) => void;
}

interface ActiveRun extends Run {
  readonly frames: Map<number, { readonly frame: Frame; readonly finish?: (outcome: Outcome) => string }>;
  nextFrame: number;
  timer?: NodeJS.Timeout;
  over: boolean;
}

type WorkerMessage =
  | { readonly op: "statement"; readonly frame: number; readonly id: number; readonly request: string }
  | { readonly op: "return"; readonly frame: number; readonly id: number; readonly outcome: Outcome }
  | { readonly op: "done"; readonly frame: number; readonly outcome: Outcome };

function failed(message: string): Outcome {
  return { kind: "error", code: "100132", state: "P0000", message: "JavaScript execution error: " + message };
}

class Slot {
  readonly worker: Worker;
  private readonly replies: MessagePort;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  run: ActiveRun | undefined;
  dead = false;

  constructor(
    memoryMb: number,
    private readonly released: (slot: Slot) => void,
  ) {
    const { port1, port2 } = new MessageChannel();
    this.replies = port1;
    // CommonJS package: __dirname is provided by node, tsx and vitest alike.
    this.worker = new Worker(path.join(__dirname, "vm-worker.cjs"), {
      workerData: { replyPort: port2, flag: this.flag.buffer },
      transferList: [port2],
      resourceLimits: { maxOldGenerationSizeMb: memoryMb },
    });
    this.worker.on("message", (message: WorkerMessage) => this.onMessage(message));
    this.worker.on("error", (error) => this.die(`its worker thread failed: ${error.message}`));
    this.worker.on("exit", () => this.die("its worker thread exited"));
    // An idle worker must not keep a process alive; a busy one is referenced while it runs.
    this.worker.unref();
    this.replies.unref();
  }

  start(run: Run): void {
    const active: ActiveRun = { ...run, frames: new Map([[1, { frame: run.frame }]]), nextFrame: 2, over: false };
    this.run = active;
    this.worker.ref();
    active.timer = setTimeout(() => {
      this.finish(active, failed(`${run.invocation.procedure} did not finish within the time limit of ${run.limitMs} ms, and its worker thread stopped answering; it was stopped.`));
      this.kill();
    }, run.limitMs + WATCHDOG_GRACE_MS);
    this.worker.postMessage({ op: "run", frame: 1, invocation: run.invocation, budget: { deadline: Date.now() + run.limitMs, limitMs: run.limitMs } });
  }

  /** Terminates the worker and gives up its place; its call, if any, was answered by the caller. */
  kill(): void {
    if (this.dead) return;
    this.dead = true;
    void this.worker.terminate();
    this.released(this);
  }

  private onMessage(message: WorkerMessage): void {
    const run = this.run;
    if (run === undefined || run.over) return;
    if (message.op === "done") {
      this.finish(run, message.outcome);
      this.released(this);
      return;
    }
    const entry = run.frames.get(message.frame);
    if (entry === undefined) {
      this.reply(message.id, "reply", { text: failure("floe sandbox: a statement came from an unknown procedure frame") });
      return;
    }
    if (message.op === "return") {
      run.frames.delete(message.frame);
      this.reply(message.id, "reply", { text: entry.finish === undefined ? failure("floe sandbox: a procedure returned twice") : entry.finish(message.outcome) });
      return;
    }
    let step: FrameStep | Promise<FrameStep>;
    try {
      step = entry.frame.statement(message.request);
    } catch (error) {
      step = { kind: "reply", text: failure(error instanceof Error ? error.message : String(error)) };
    }
    const answer = (done: FrameStep) => {
      if (run.over || this.run !== run) return;
      if (done.kind === "reply") {
        this.reply(message.id, "reply", { text: done.text });
        return;
      }
      const frame = run.nextFrame++;
      run.frames.set(frame, { frame: done.frame, finish: done.finish });
      this.reply(message.id, "call", { frame, invocation: done.invocation });
    };
    if (step instanceof Promise) {
      step.then(answer, (error: unknown) => answer({ kind: "reply", text: failure(error instanceof Error ? error.message : String(error)) }));
    } else answer(step);
  }

  private reply(id: number, op: "reply" | "call", body: Record<string, unknown>): void {
    this.replies.postMessage({ id, op, ...body });
    Atomics.store(this.flag, 0, 1);
    Atomics.notify(this.flag, 0);
  }

  private finish(run: ActiveRun, outcome: Outcome): void {
    if (run.over) return;
    run.over = true;
    clearTimeout(run.timer);
    if (this.run === run) this.run = undefined;
    if (!this.dead) this.worker.unref();
    run.resolve(outcome);
  }

  private die(reason: string): void {
    if (this.dead) return;
    this.dead = true;
    const run = this.run;
    if (run !== undefined) this.finish(run, failed(`${run.invocation.procedure} could not finish: ${reason}.`));
    this.released(this);
  }
}

function failure(message: string): string {
  return JSON.stringify({ ok: false, code: "000603", state: "XX000", message: "SQL execution internal error: " + message });
}

export class ProcedureHost {
  private readonly slots: Slot[] = [];
  private readonly queue: Run[] = [];
  private closed = false;
  private readonly size: number;
  private readonly memoryMb: number;

  constructor(options: ProcedureHostOptions = {}) {
    this.size = Math.max(1, options.workers ?? 4);
    this.memoryMb = options.memoryMb ?? 256;
  }

  /** Runs a procedure with one time limit for it and every call it makes. Never rejects. */
  run(invocation: Invocation, frame: Frame, limitMs: number): Promise<Outcome> {
    if (this.closed) return Promise.resolve(failed("the sandbox is closed."));
    return new Promise((resolve) => {
      this.queue.push({ invocation, frame, limitMs, resolve });
      this.dispatch();
    });
  }

  /** Stops every worker; running and waiting calls fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const run of this.queue.splice(0)) run.resolve(failed("the sandbox was closed."));
    const slots = this.slots.splice(0);
    await Promise.all(
      slots.map(async (slot) => {
        slot.dead = true;
        const run = slot.run;
        await slot.worker.terminate();
        if (run !== undefined && !run.over) {
          run.over = true;
          clearTimeout(run.timer);
          run.resolve(failed(`${run.invocation.procedure} was stopped: the sandbox was closed.`));
        }
      }),
    );
  }

  /**
   * Starts one idle worker ahead of the first call, when none is alive: a worker's boot (a
   * thread, its isolate and the JavaScript parser) then overlaps whatever the caller does
   * meanwhile, e.g. installing an app, instead of delaying the first CALL. The worker does not
   * keep the process alive.
   */
  warm(): void {
    if (this.closed || this.slots.some((s) => !s.dead)) return;
    this.slots.push(new Slot(this.memoryMb, (released) => this.release(released)));
  }

  /** Worker threads currently alive (for tests and diagnostics). */
  get workerCount(): number {
    return this.slots.filter((s) => !s.dead).length;
  }

  private dispatch(): void {
    while (this.queue.length > 0 && !this.closed) {
      let slot = this.slots.find((s) => !s.dead && s.run === undefined);
      if (slot === undefined) {
        if (this.slots.filter((s) => !s.dead).length >= this.size) return;
        slot = new Slot(this.memoryMb, (released) => this.release(released));
        this.slots.push(slot);
      }
      slot.start(this.queue.shift()!);
    }
  }

  private release(slot: Slot): void {
    if (slot.dead) {
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots.splice(index, 1);
    }
    queueMicrotask(() => this.dispatch());
  }
}

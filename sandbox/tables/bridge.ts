/**
 * A synchronous face on DuckDB. `@duckdb/node-api` only offers promises, but JavaScript stored
 * procedures call `snowflake.execute()` synchronously (and nest), so the sandbox cannot await.
 * A worker thread owns the DuckDB instance; this thread posts a request and sleeps in
 * Atomics.wait until the worker flips a shared flag, then takes the reply with
 * receiveMessageOnPort (no event-loop turn needed).
 *
 * Failure modes are surfaced, never waited out forever: a statement running past its timeout is
 * interrupted (and reported as Snowflake's timeout error), a worker that exits wakes the waiter
 * through the same flag, and a worker that stops answering altogether is terminated.
 */
import path from "node:path";
import { MessageChannel, type MessagePort, Worker, receiveMessageOnPort } from "node:worker_threads";

import { SnowflakeError } from "../types";

export interface RawColumn {
  readonly name: string;
  /** DuckDB's type text, e.g. `VARCHAR`, `DECIMAL(38,0)`, `TIMESTAMP`. */
  readonly type: string;
  /** `JSON` for DuckDB JSON values (a VARCHAR alias). */
  readonly alias?: string;
  readonly width?: number;
  readonly scale?: number;
}

export interface RawResult {
  readonly columns: readonly RawColumn[];
  readonly rows: readonly (readonly unknown[])[];
  readonly rowsChanged: number;
}

/** A failure reported by DuckDB itself (as opposed to the bridge); `message` is DuckDB's text. */
export class DuckDBError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DuckDBError";
  }
}

export interface BridgeOptions {
  /** A statement running longer is interrupted and fails with Snowflake's 000630. Default 60 s. */
  readonly statementTimeoutMs?: number;
  /** How long to wait for the worker to boot. Default 30 s. */
  readonly startTimeoutMs?: number;
}

type Reply =
  | { id: number; ok: true; columns?: RawColumn[]; rows?: unknown[][]; rowsChanged?: number; ready?: boolean }
  | { id: number; ok: false; message: string };

/** Flag values: the worker stores 1 when a reply is queued, 2 when it is exiting. */
const PENDING = 0;
const WORKER_GONE = 2;
/** After an interrupt, how long the worker gets to report the cancelled statement. */
const INTERRUPT_GRACE_MS = 2_000;

/** Node ≥16 has Atomics.waitAsync; the ES2022 lib typings this project compiles against do not. */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(
      array: Int32Array,
      index: number,
      value: number,
      timeout: number,
    ): { async: false; value: "not-equal" | "timed-out" } | { async: true; value: Promise<"ok" | "timed-out"> };
  }
).waitAsync;

export class SyncDuckDB {
  private nextId = 1;
  private dead: string | undefined;

  private constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
    private readonly flag: Int32Array,
    private readonly statementTimeoutMs: number,
  ) {}

  static async start(options: BridgeOptions = {}): Promise<SyncDuckDB> {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    // CommonJS package: __dirname is provided by node, tsx and vitest alike.
    const worker = new Worker(path.join(__dirname, "duckdb-worker.cjs"), {
      workerData: { port: port2, flag: flag.buffer },
      transferList: [port2],
    });
    let failure: string | undefined;
    const onError = (error: Error) => (failure ??= error.message);
    worker.on("error", onError);
    const gone = new Promise<"gone">((resolve) => worker.once("exit", () => resolve("gone")));
    // Atomics.waitAsync keeps this thread responsive during the ~quarter second boot. Its
    // timeout has been seen to fire early (after the thread was blocked in a spawnSync, e.g.),
    // so a "timed-out" before the deadline waits again.
    const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
    let outcome: "ok" | "not-equal" | "timed-out" | "gone" = "timed-out";
    while (Date.now() < deadline) {
      const waited = waitAsync(flag, 0, PENDING, Math.max(1, deadline - Date.now()));
      outcome = waited.async ? await Promise.race([waited.value, gone]) : waited.value;
      if (outcome !== "timed-out") break;
    }
    if (outcome === "not-equal") outcome = "ok";
    const bridge = new SyncDuckDB(worker, port1, flag, options.statementTimeoutMs ?? 60_000);
    const reply = outcome === "ok" ? bridge.takeReply(0) : undefined;
    if (!reply || !reply.ok) {
      // The worker's 'error' event trails its exit flag; give it a moment to explain itself.
      await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 500))]);
      await worker.terminate();
      const detail = failure ?? (reply && !reply.ok ? reply.message : outcome === "timed-out" ? "timed out" : "worker exited");
      throw new SnowflakeError("000603", "XX000", `floe sandbox: the DuckDB engine failed to start: ${detail}`);
    }
    worker.off("error", onError);
    // Errors after boot are observed through the flag; an 'error' listener keeps them from
    // becoming uncaught exceptions in this thread.
    worker.on("error", (error) => (bridge.dead ??= error.message));
    worker.on("exit", () => (bridge.dead ??= "the engine exited"));
    // Neither the worker nor its port may keep the process alive: a sandbox the caller forgot
    // to close must not hang a CLI or a test run.
    worker.unref();
    port1.unref();
    return bridge;
  }

  get isOpen(): boolean {
    return this.dead === undefined;
  }

  /** Runs one DuckDB statement and blocks until it finishes. */
  query(sql: string, params: readonly unknown[] = []): RawResult {
    const reply = this.request({ op: "query", sql, params: params.length > 0 ? [...params] : undefined });
    if (!reply.ok) throw new DuckDBError(reply.message);
    return { columns: reply.columns ?? [], rows: reply.rows ?? [], rowsChanged: reply.rowsChanged ?? 0 };
  }

  async close(): Promise<void> {
    if (this.dead !== undefined) {
      await this.worker.terminate();
      return;
    }
    // Hold the event loop open until the worker has really gone, or an `await close()` at the
    // end of a script could let node exit with the promise unsettled.
    this.worker.ref();
    const exited = new Promise<void>((resolve) => this.worker.once("exit", () => resolve()));
    try {
      this.request({ op: "close" }, 5_000);
    } catch {
      // A worker that cannot close cleanly is terminated below.
    }
    this.dead = "closed";
    const timer = setTimeout(() => void this.worker.terminate(), 5_000);
    await exited;
    clearTimeout(timer);
  }

  private request(message: { op: "query"; sql: string; params?: unknown[] } | { op: "close" }, timeoutMs = this.statementTimeoutMs): Reply {
    if (this.dead !== undefined) {
      throw new SnowflakeError("000603", "XX000", `floe sandbox: the DuckDB engine is not running (${this.dead})`);
    }
    const id = this.nextId++;
    Atomics.store(this.flag, 0, PENDING);
    this.port.postMessage({ id, ...message });
    if (Atomics.wait(this.flag, 0, PENDING, timeoutMs) === "timed-out") {
      // Ask DuckDB to cancel; the cancelled statement still answers (with an error), which
      // keeps request and reply ids in step for the next statement. The flag is not reset: a
      // reply that raced the timeout must still be seen.
      this.port.postMessage({ id: this.nextId++, op: "interrupt" });
      if (Atomics.wait(this.flag, 0, PENDING, INTERRUPT_GRACE_MS) === "timed-out" || !this.takeReply(id)) {
        this.kill("the engine stopped answering");
        throw new SnowflakeError(
          "000603",
          "XX000",
          `floe sandbox: the DuckDB engine stopped answering (no reply within ${timeoutMs} ms, nor after an interrupt); it has been shut down`,
        );
      }
      throw new SnowflakeError(
        "000630",
        "57014",
        `Statement reached its statement or warehouse timeout of ${timeoutMs / 1000} second(s) and was canceled.`,
      );
    }
    const reply = this.takeReply(id);
    if (!reply) {
      this.kill("the engine exited");
      throw new SnowflakeError("000603", "XX000", "floe sandbox: the DuckDB engine exited while running a statement");
    }
    return reply;
  }

  /** The reply to `id`, skipping stale replies of earlier (timed out) requests. */
  private takeReply(id: number): Reply | undefined {
    for (let spins = 0; spins < 1000; spins++) {
      const received = receiveMessageOnPort(this.port);
      if (received === undefined) {
        if (this.flag[0] === WORKER_GONE) return undefined;
        // The flag is raised after postMessage returns, so the message is normally already
        // queued; this only covers a delivery still in flight.
        Atomics.wait(this.flag, 0, this.flag[0]!, 1);
        continue;
      }
      const reply = received.message as Reply;
      if (reply.id === id) return reply;
    }
    return undefined;
  }

  private kill(reason: string): void {
    this.dead = reason;
    void this.worker.terminate();
  }
}

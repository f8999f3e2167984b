// @ts-check
"use strict";
/**
 * The DuckDB side of the synchronous bridge (see bridge.ts). Plain JavaScript on purpose: it is
 * loaded by `new Worker(...)` under plain node, tsx and vitest alike, and none of those is
 * guaranteed to apply a TypeScript loader inside a worker thread.
 *
 * Protocol: the main thread posts requests on `port` and then blocks in Atomics.wait on
 * `flag[0]`. Every reply is posted first and only then signalled (flag 1), so the message is
 * already queued when the main thread wakes and calls receiveMessageOnPort. Flag 2 means this
 * worker is going away; the main thread must not wait for further replies.
 *
 * CommonJS rather than an ES module: importing @duckdb/node-api (itself CommonJS) from ESM makes
 * node scan its sources for named exports first, which roughly doubled the worker's boot.
 */
const { workerData } = require("node:worker_threads");
const { DuckDBInstance, DuckDBTimestampValue } = require("@duckdb/node-api");

/** @typedef {{ id: number, op: "query", sql: string, params?: unknown[] } | { id: number, op: "interrupt" } | { id: number, op: "close" }} Request */
/** @typedef {{ name: string, type: string, alias?: string, width?: number, scale?: number }} ColumnDesc */

/** @type {import("node:worker_threads").MessagePort} */
const port = workerData.port;
/** @type {Int32Array} */
const flag = new Int32Array(workerData.flag);

/** @param {unknown} reply */
function answer(reply) {
  port.postMessage(reply);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

// A dying worker must wake a blocked main thread instead of leaving it to its timeout.
function gone() {
  Atomics.store(flag, 0, 2);
  Atomics.notify(flag, 0);
}
process.on("exit", gone);
process.on("uncaughtException", (error) => {
  gone();
  console.error("floe sandbox DuckDB worker:", error);
  process.exit(1);
});

/**
 * Dates cross the thread boundary as Date objects; DuckDB wants microseconds since the epoch.
 * Everything else the bridge sends (string, number, boolean, null) binds as it is.
 * @param {unknown} value
 * @returns {import("@duckdb/node-api").DuckDBValue}
 */
function toDuckValue(value) {
  if (value instanceof Date) return new DuckDBTimestampValue(BigInt(value.getTime()) * 1000n);
  return /** @type {string | number | boolean | null} */ (value);
}

/** @param {import("@duckdb/node-api").DuckDBType} type @returns {{ type: string, alias?: string, width?: number, scale?: number }} */
function describeType(type) {
  /** @type {{ type: string, alias?: string, width?: number, scale?: number }} */
  const desc = { type: type.toString() };
  if (type.alias) desc.alias = type.alias;
  const decimal = /** @type {{ width?: unknown, scale?: unknown }} */ (type);
  if (typeof decimal.width === "number" && typeof decimal.scale === "number") {
    desc.width = decimal.width;
    desc.scale = decimal.scale;
  }
  return desc;
}

async function start() {
  const instance = await DuckDBInstance.create(":memory:", {
    // Everything the sandbox needs (json, icu) is built in; never reach for the network.
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "false",
  });
  const connection = await instance.connect();
  // Snowflake's SYSDATE()/CURRENT_TIMESTAMP() are rendered as UTC wall-clock timestamps.
  await connection.run("SET TimeZone = 'UTC'");
  return { instance, connection };
}

/**
 * Serves requests once DuckDB is open.
 * @param {import("@duckdb/node-api").DuckDBInstance} instance
 * @param {import("@duckdb/node-api").DuckDBConnection} connection
 */
function serve(instance, connection) {
  port.on("message", async (/** @type {Request} */ request) => {
    if (request.op === "interrupt") {
      connection.interrupt();
      return;
    }
    if (request.op === "close") {
      try {
        connection.closeSync();
        instance.closeSync();
      } finally {
        answer({ id: request.id, ok: true });
        port.close();
      }
      return;
    }
    try {
      const params = request.params && request.params.length > 0 ? request.params.map(toDuckValue) : undefined;
      const reader = await connection.runAndReadAll(request.sql, params);
      /** @type {ColumnDesc[]} */
      const columns = reader.columnNames().map((name, i) => ({ name, ...describeType(reader.columnType(i)) }));
      answer({ id: request.id, ok: true, columns, rows: reader.getRowsJS(), rowsChanged: reader.rowsChanged });
    } catch (error) {
      answer({ id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) });
    }
  });
  answer({ id: 0, ok: true, ready: true });
}

start().then(
  ({ instance, connection }) => serve(instance, connection),
  (error) => {
    // Reported as the boot's reply, which the bridge turns into "failed to start: ...".
    answer({ id: 0, ok: false, message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  },
);

/**
 * The protocol tests' harness: an in-memory session backend that answers fixed results per SQL
 * text and records what it was asked, the result fixtures, and a protocol server with one
 * snowflake-sdk connection, started once per test file.
 */
import { existsSync, mkdtempSync, rmSync, statSync, type Stats } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import type { Connection } from "snowflake-sdk";
import { connect } from "../../snowflake/driver";
import type { LoginRequest, SessionBackend, UploadRequest } from "../../sandbox/protocol/backend";
import { startProtocolServer, type ProtocolServer } from "../../sandbox/protocol/server";
import { type BindValue, type QueryResult, SnowflakeError } from "../../sandbox/types";


// ------------------------------------------------------------------------------------------
// Test backend
// ------------------------------------------------------------------------------------------

export interface TestSession {
  readonly number: number;
  readonly login: LoginRequest;
}

export interface Call {
  readonly session: TestSession;
  readonly sqlText: string;
  readonly binds: readonly BindValue[];
}

export type Answer = QueryResult | UploadRequest | ((binds: readonly BindValue[]) => QueryResult | UploadRequest);

export class RecordingBackend implements SessionBackend {
  readonly logins: LoginRequest[] = [];
  readonly sessions: TestSession[] = [];
  readonly calls: Call[] = [];
  readonly closed: TestSession[] = [];
  private readonly answers = new Map<string, Answer>();

  answer(sqlText: string, answer: Answer): void {
    this.answers.set(sqlText, answer);
  }

  reset(): void {
    this.calls.length = 0;
  }

  login(request: LoginRequest): unknown {
    this.logins.push(request);
    if (request.password === "wrong") {
      throw new SnowflakeError("390100", "08004", "Incorrect username or password was specified.");
    }
    const session: TestSession = { number: this.sessions.length + 1, login: request };
    this.sessions.push(session);
    return session;
  }

  execute(session: unknown, sqlText: string, binds: readonly BindValue[]): QueryResult | UploadRequest {
    this.calls.push({ session: session as TestSession, sqlText, binds: [...binds] });
    const answer = this.answers.get(sqlText);
    if (answer === undefined) throw new SnowflakeError("001003", "42000", `SQL compilation error:\nno test answer for ${sqlText}`);
    return typeof answer === "function" ? answer(binds) : answer;
  }

  close(session: unknown): void {
    this.closed.push(session as TestSession);
  }
}

// ------------------------------------------------------------------------------------------
// Fixtures
// ------------------------------------------------------------------------------------------

export const ALL_TYPES: QueryResult = {
  columns: [
    { name: "FIX_NEG", type: "FIXED", nullable: true, precision: 10, scale: 2 },
    { name: "FIX_BIG", type: "FIXED", nullable: true, precision: 38, scale: 0 },
    { name: "REAL_COL", type: "REAL", nullable: true },
    { name: "TEXT_COL", type: "TEXT", nullable: true },
    { name: "BOOL_COL", type: "BOOLEAN", nullable: true },
    { name: "VARIANT_COL", type: "VARIANT", nullable: true },
    { name: "OBJECT_COL", type: "OBJECT", nullable: true },
    { name: "ARRAY_COL", type: "ARRAY", nullable: true },
    { name: "TS_COL", type: "TIMESTAMP_NTZ", nullable: true },
    { name: "DATE_COL", type: "DATE", nullable: true },
    { name: "BIN_COL", type: "BINARY", nullable: true },
  ],
  rows: [
    [
      -1234.5,
      Number.MAX_SAFE_INTEGER,
      -6.02214076e-23,
      'It\'s "quoted",\nsecond line\ttab — ünïcödé 🚀 \\ backslash',
      true,
      { id: 7, nested: { list: [1, "two", null, { deep: true }], quote: 'say "hi"' } },
      { k: "v", n: 1.5 },
      [1, "a", { b: [true, null] }],
      new Date(Date.UTC(2024, 1, 29, 23, 59, 58, 123)),
      new Date(Date.UTC(2024, 1, 29)),
      Buffer.from([0x00, 0x01, 0xab, 0xff]),
    ],
    [null, null, null, null, null, null, null, null, null, null, null],
    [
      0.05,
      -Number.MAX_SAFE_INTEGER,
      1e300,
      "",
      false,
      "a variant string",
      {},
      [],
      new Date(-1500),
      new Date(Date.UTC(1969, 11, 31)),
      new Uint8Array([0x7f]),
    ],
  ],
};

/** What the driver should hand back for ALL_TYPES, with Dates and Buffers made comparable. */
export const ALL_TYPES_EXPECTED = [
  {
    FIX_NEG: -1234.5,
    FIX_BIG: 9007199254740991,
    REAL_COL: -6.02214076e-23,
    TEXT_COL: 'It\'s "quoted",\nsecond line\ttab — ünïcödé 🚀 \\ backslash',
    BOOL_COL: true,
    VARIANT_COL: { id: 7, nested: { list: [1, "two", null, { deep: true }], quote: 'say "hi"' } },
    OBJECT_COL: { k: "v", n: 1.5 },
    ARRAY_COL: [1, "a", { b: [true, null] }],
    TS_COL: { date: "2024-02-29T23:59:58.123Z" },
    DATE_COL: { date: "2024-02-29T00:00:00.000Z" },
    BIN_COL: { hex: "0001abff" },
  },
  {
    FIX_NEG: null,
    FIX_BIG: null,
    REAL_COL: null,
    TEXT_COL: null,
    BOOL_COL: null,
    VARIANT_COL: null,
    OBJECT_COL: null,
    ARRAY_COL: null,
    TS_COL: null,
    DATE_COL: null,
    BIN_COL: null,
  },
  {
    FIX_NEG: 0.05,
    FIX_BIG: -9007199254740991,
    REAL_COL: 1e300,
    TEXT_COL: "",
    BOOL_COL: false,
    VARIANT_COL: "a variant string",
    OBJECT_COL: {},
    ARRAY_COL: [],
    TS_COL: { date: "1969-12-31T23:59:58.500Z" },
    DATE_COL: { date: "1969-12-31T00:00:00.000Z" },
    BIN_COL: { hex: "7f" },
  },
];

/** Dates and Buffers as plain data, so one toStrictEqual checks class and value together. */
export function comparable(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (value instanceof Date) out[key] = { date: new Date(value.getTime()).toISOString() };
    else if (Buffer.isBuffer(value)) out[key] = { hex: value.toString("hex") };
    else out[key] = value;
  }
  return out;
}

export const SELECT_ONE: QueryResult = { columns: [{ name: "ONE", type: "FIXED", nullable: false, precision: 1, scale: 0 }], rows: [[1]] };

export interface Harness {
  readonly backend: RecordingBackend;
  readonly server: ProtocolServer;
  /** The driver's connection, logged in with a database, schema, role and warehouse. */
  readonly connection: Connection;
  /** A temporary folder of this test file's own. */
  readonly workDir: string;
  /** `snowflake.log` in the working directory, and its state before the file ran (undefined: there was none). */
  readonly logPath: string;
  readonly logBefore: Stats | undefined;
  /** POSTs raw JSON, as a client other than the driver would. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; json: Record<string, unknown> }>;
  rawLogin(): Promise<string>;
  tokenHeader(token: string): Record<string, string>;
}

/** Starts the server and the connection before the file's tests, clears the recorded calls before each, and stops it after. */
export function useProtocolServer(): Harness {
  const backend = new RecordingBackend();
  const logPath = join(process.cwd(), "snowflake.log");
  let server: ProtocolServer | undefined;
  let connection: Connection | undefined;
  let workDir: string | undefined;
  let logBefore: Stats | undefined;

  beforeAll(async () => {
    logBefore = existsSync(logPath) ? statSync(logPath) : undefined;
    workDir = mkdtempSync(join(tmpdir(), "floe-protocol-"));
    server = await startProtocolServer(backend);
    backend.answer("SELECT 1", SELECT_ONE);
    connection = await connect({ ...server.connectionOptions(), database: "APP_DB", schema: "CORE", role: "APP_ROLE", warehouse: "WH" });
  });

  afterAll(async () => {
    await server?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  beforeEach(() => backend.reset());

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the protocol harness has no ${what} before beforeAll ran`);
    return value;
  };
  const harness: Harness = {
    backend,
    get server() {
      return started(server, "server");
    },
    get connection() {
      return started(connection, "connection");
    },
    get workDir() {
      return started(workDir, "workDir");
    },
    logPath,
    get logBefore() {
      return logBefore;
    },
    async post(path, body, headers = {}) {
      const response = await fetch(harness.server.url + path, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: body instanceof Uint8Array ? new Blob([new Uint8Array(body)]) : typeof body === "string" ? body : JSON.stringify(body),
      });
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    },
    async rawLogin() {
      const { json } = await harness.post("/session/v1/login-request", { data: { ACCOUNT_NAME: "raw", LOGIN_NAME: "raw_user", PASSWORD: "pw" } });
      expect(json.success).toBe(true);
      return (json.data as { token: string }).token;
    },
    tokenHeader(token) {
      return { authorization: `Snowflake Token="${token}"` };
    },
  };
  return harness;
}

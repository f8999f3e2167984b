/**
 * The sandbox's HTTP endpoint: just enough of Snowflake's REST protocol for the real
 * snowflake-sdk driver (3.3.0) to log in, run statements, PUT files and log out against a
 * SessionBackend. Paths in comments are relative to node_modules/snowflake-sdk/dist/lib.
 *
 * Endpoints:
 *   POST /session/v1/login-request   -> backend.login
 *   POST /queries/v1/query-request   -> backend.execute (one statement per request)
 *   POST /session?delete=true        -> backend.close   (connection.destroy)
 *   POST /session/heartbeat          -> token check only (keep-alive, isValidAsync)
 *   POST /telemetry/send             -> accepted and dropped
 * Anything else is a 404 whose JSON names the method and path.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createGunzip } from "node:zlib";
import { SnowflakeError, UnsupportedError } from "../types";
import { isUploadRequest, type LoginRequest, type SessionBackend, type UploadRequest } from "./backend";
import { BackendContractError, decodeBindings, driverFileCommand, encodeResult } from "./wire";

export interface ProtocolServerOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Defaults to 127.0.0.1: the sandbox has no authentication worth exposing. */
  readonly host?: string;
  /** Largest request body, counted as received and again once decompressed. Default 64 MB. */
  readonly maxBodyBytes?: number;
}

/** What to spread into `snowflake.createConnection`; the credentials are placeholders. */
export interface SandboxConnectionOptions {
  readonly account: string;
  readonly username: string;
  readonly password: string;
  readonly accessUrl: string;
}

export interface ProtocolServer {
  readonly port: number;
  /** e.g. http://127.0.0.1:PORT */
  readonly url: string;
  connectionOptions(): SandboxConnectionOptions;
  /** Closes open sessions (backend.close), stops listening and drops keep-alive sockets. */
  close(): Promise<void>;
}

interface Session {
  readonly handle: unknown;
  readonly id: number;
  /** Echoed in every result: the driver reads e.g. JS_TREAT_INTEGER_AS_BIGINT from there. */
  readonly echoedParameters: readonly WireParameter[];
}

interface WireParameter {
  readonly name: string;
  readonly value: unknown;
}

interface Reply {
  readonly status: number;
  readonly body: unknown;
}

/**
 * Output formats every result announces. The driver takes them from the result, not from the
 * session (connection/result/result.js builds the column converters from `data.parameters`),
 * and BINARY columns fail an assertion without BINARY_OUTPUT_FORMAT
 * (connection/result/column.js, convertRawBinary). Values are Snowflake's defaults.
 */
const RESULT_PARAMETERS: readonly WireParameter[] = [
  { name: "TIMEZONE", value: "America/Los_Angeles" },
  { name: "TIMESTAMP_OUTPUT_FORMAT", value: "YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM" },
  { name: "TIMESTAMP_NTZ_OUTPUT_FORMAT", value: "YYYY-MM-DD HH24:MI:SS.FF3" },
  { name: "TIMESTAMP_LTZ_OUTPUT_FORMAT", value: "" },
  { name: "TIMESTAMP_TZ_OUTPUT_FORMAT", value: "" },
  { name: "DATE_OUTPUT_FORMAT", value: "YYYY-MM-DD" },
  { name: "TIME_OUTPUT_FORMAT", value: "HH24:MI:SS" },
  { name: "BINARY_OUTPUT_FORMAT", value: "HEX" },
];

const SESSION_VALIDITY_SECONDS = 24 * 60 * 60;
const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** SOURCE_COMPRESSION values and the name the driver's lookupByMimeSubType knows them by. */
const DRIVER_COMPRESSION_NAMES: Readonly<Record<string, string>> = {
  auto_detect: "auto_detect",
  // The driver throws a TypeError on "none" (file_transfer_agent/file_transfer_agent.js,
  // processFileCompressionType); auto-detection treats an uncompressed file the same way.
  none: "auto_detect",
  gzip: "gzip",
  bz2: "bz2",
  brotli: "br",
  zstd: "zstd",
  deflate: "deflate",
  raw_deflate: "raw_deflate",
};

export async function startProtocolServer(backend: SessionBackend, options: ProtocolServerOptions = {}): Promise<ProtocolServer> {
  const host = options.host ?? "127.0.0.1";
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const sessions = new Map<string, Session>();
  // Tokens of sessions that were deleted, so a late request gets "session gone" rather than
  // "invalid token": the driver treats the former as success when it destroys a connection.
  const closedTokens = new Set<string>();
  let nextSessionId = 1;

  const login = (body: unknown, query: URLSearchParams): Reply => {
    const data = objectField(body, "data");
    const sessionParameters = objectField(data, "SESSION_PARAMETERS");
    const request: LoginRequest = {
      account: stringField(data, "ACCOUNT_NAME") ?? "",
      user: stringField(data, "LOGIN_NAME") ?? "",
      ...optional("password", stringField(data, "PASSWORD")),
      // The driver puts the connection's context in the query string, not the body
      // (services/sf.js, buildLoginUrl).
      ...optional("database", query.get("databaseName") ?? undefined),
      ...optional("schema", query.get("schemaName") ?? undefined),
      ...optional("role", query.get("roleName") ?? undefined),
      ...optional("warehouse", query.get("warehouse") ?? undefined),
      ...(sessionParameters ? { sessionParameters } : {}),
    };
    let handle: unknown;
    try {
      handle = backend.login(request);
    } catch (error) {
      const failure = describeError(error);
      return ok({
        success: false,
        code: failure.code,
        message: failure.message,
        data: { nextAction: "RETRY_LOGIN", authnMethod: "USERNAME_PASSWORD", errorCode: failure.code, sqlState: failure.sqlState },
      });
    }
    const token = newToken();
    const echoedParameters = Object.entries(sessionParameters ?? {}).map(([name, value]) => ({ name, value }));
    const session: Session = { handle, id: nextSessionId++, echoedParameters };
    sessions.set(token, session);
    return ok({
      success: true,
      code: null,
      message: null,
      data: {
        token,
        // Never used: the server never reports an expired session token (390112), which is
        // the only thing that makes the driver present the master token.
        masterToken: newToken(),
        validityInSeconds: SESSION_VALIDITY_SECONDS,
        masterValidityInSeconds: SESSION_VALIDITY_SECONDS,
        sessionId: session.id,
        // Parameters.update (parameters.js) applies known names process-wide, e.g.
        // CLIENT_SESSION_KEEP_ALIVE, as Snowflake's echo of the session parameters does.
        parameters: [...RESULT_PARAMETERS, ...echoedParameters],
        sessionInfo: {
          databaseName: request.database ?? null,
          schemaName: request.schema ?? null,
          warehouseName: request.warehouse ?? null,
          roleName: request.role ?? null,
        },
        displayUserName: request.user,
        serverVersion: "floe-sandbox",
        firstLogin: false,
        healthCheckInterval: 45,
        newClientForUpgrade: null,
        idToken: null,
        mfaToken: null,
      },
    });
  };

  const query = async (session: Session, body: unknown): Promise<Reply> => {
    const queryId = randomUUID();
    try {
      const sqlText = stringField(body, "sqlText");
      if (sqlText === undefined) throw new BackendContractError("query-request without sqlText");
      rejectUnsupportedRequest(body, sqlText);
      const binds = decodeBindings(fieldOf(body, "bindings"));
      const outcome = await backend.execute(session.handle, sqlText, binds);
      const fileCommand = driverFileCommand(sqlText);
      if (isUploadRequest(outcome)) {
        if (fileCommand !== "PUT") {
          throw new BackendContractError("execute returned an UploadRequest for a statement the driver does not treat as PUT");
        }
        return ok({ success: true, code: null, message: null, data: uploadData(outcome, queryId) });
      }
      if (fileCommand !== undefined) {
        // The driver hands every reply to a PUT/GET to its file-transfer agent, which
        // cannot read a result set; only an UploadRequest (PUT) or an error can answer it.
        throw new BackendContractError(`execute returned a result for a ${fileCommand} statement; answer PUT with an UploadRequest and GET with an error`);
      }
      if (typeof outcome !== "object" || outcome === null || !Array.isArray(outcome.columns) || !Array.isArray(outcome.rows)) {
        throw new BackendContractError("execute returned neither a QueryResult nor an UploadRequest");
      }
      const wire = encodeResult(outcome, sqlText);
      return ok({
        success: true,
        code: null,
        message: null,
        data: {
          queryId,
          ...wire,
          total: wire.rowset.length,
          returned: wire.rowset.length,
          queryResultFormat: "json",
          version: 1,
          parameters: [...RESULT_PARAMETERS, ...session.echoedParameters],
        },
      });
    } catch (error) {
      return ok(errorBody(error, queryId));
    }
  };

  const deleteSession = (token: string, session: Session): Reply => {
    sessions.delete(token);
    closedTokens.add(token);
    try {
      backend.close(session.handle);
    } catch (error) {
      return ok(errorBody(error, undefined));
    }
    return ok({ success: true, code: null, message: null, data: null });
  };

  const handle = async (req: IncomingMessage): Promise<Reply> => {
    const url = new URL(req.url ?? "/", "http://sandbox.invalid");
    const method = req.method ?? "GET";
    const route = `${method} ${url.pathname}`;
    // Read the body even when it is not needed, so keep-alive sockets stay in sync.
    const raw = await readBody(req, maxBodyBytes);
    if (raw === undefined) return tooLarge(maxBodyBytes, "as sent");
    if (route === "POST /telemetry/send") return ok({ success: true, code: null, message: null, data: null });
    const isDelete = route === "POST /session" && url.searchParams.get("delete") === "true";
    const known =
      route === "POST /session/v1/login-request" || route === "POST /queries/v1/query-request" || route === "POST /session/heartbeat" || isDelete;
    if (!known) {
      return {
        status: 404,
        body: { success: false, code: null, message: `floe sandbox: no endpoint for ${method} ${url.pathname}`, data: { path: url.pathname, method } },
      };
    }
    let body: unknown;
    try {
      const text = await decodeBody(raw, req.headers["content-encoding"], maxBodyBytes);
      if (text === undefined) return tooLarge(maxBodyBytes, "once decompressed");
      body = text.length === 0 ? {} : JSON.parse(text.toString("utf8"));
    } catch (error) {
      return { status: 400, body: { success: false, code: null, message: `floe sandbox: unreadable request body: ${(error as Error).message}`, data: null } };
    }
    if (route === "POST /session/v1/login-request") return login(body, url.searchParams);

    const token = sessionToken(req.headers.authorization);
    const session = token === undefined ? undefined : sessions.get(token);
    if (token === undefined || session === undefined) {
      // 390111 "gone" for a deleted session, 390104 "invalid" otherwise: the codes the driver
      // acts on in services/sf.js (StateConnected.request and .destroy).
      const gone = token !== undefined && closedTokens.has(token);
      return ok({
        success: false,
        code: gone ? "390111" : "390104",
        message: gone ? "Session no longer exists.  New login required to access the service." : "Invalid session token. Please log in again.",
        data: null,
      });
    }
    if (isDelete) return deleteSession(token, session);
    if (route === "POST /session/heartbeat") return ok({ success: true, code: null, message: null, data: {} });
    return query(session, body);
  };

  const server = createServer((req, res) => {
    handle(req).then(
      (reply) => send(res, reply),
      // Never a 5xx: the driver retries those with growing sleeps (http/axios_instance.js)
      // before it gives up, which would turn a sandbox bug into a minute-long hang.
      (error: unknown) => send(res, ok(errorBody(error, undefined))),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${urlHost(host)}:${port}`;
  let closing: Promise<void> | undefined;

  return {
    port,
    url,
    connectionOptions: () => ({ account: "floe_sandbox", username: "floe", password: "floe", accessUrl: url }),
    close: () => {
      closing ??= (async () => {
        let firstError: unknown;
        for (const [token, session] of sessions) {
          sessions.delete(token);
          closedTokens.add(token);
          try {
            backend.close(session.handle);
          } catch (error) {
            firstError ??= error;
          }
        }
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Idle keep-alive sockets from the driver's HTTP agent would otherwise hold the
          // server (and the process) open until they time out.
          server.closeAllConnections();
        });
        if (firstError !== undefined) throw firstError;
      })();
      return closing;
    },
  };
}

/**
 * Statements or request options the sandbox does not implement. Each is refused before the
 * backend sees anything, so nothing is half-done.
 */
function rejectUnsupportedRequest(body: unknown, sqlText: string): void {
  const parameters = objectField(body, "parameters");
  const count = parameters?.MULTI_STATEMENT_COUNT;
  // Snowflake's default is 1 (one statement); the driver sends the parameter only when the
  // caller sets it (connection/statement.js, sendRequestPreExec).
  if (count !== undefined && count !== null && Number(count) !== 1) {
    throw new UnsupportedError(`multi-statement requests (MULTI_STATEMENT_COUNT=${String(count)})`);
  }
  if (fieldOf(body, "bindStage") !== undefined && fieldOf(body, "bindStage") !== null) {
    throw new UnsupportedError("array binds (bulk insert through a bind stage)");
  }
  // With more binds than arrayBindingThreshold the driver first creates this stage and PUTs a
  // CSV of the rows into it (connection/bind_uploader.js); refusing both makes it fall back to
  // inline array binds, which are refused in turn with a clear message.
  if (/SYSTEM\$BIND\b/i.test(sqlText) && /^\s*(?:CREATE\s+OR\s+REPLACE\s+TEMPORARY\s+STAGE|PUT)\b/i.test(sqlText)) {
    throw new UnsupportedError("array binds (bulk insert through a bind stage)");
  }
  if (isTrue(fieldOf(body, "asyncExec"))) {
    throw new UnsupportedError("asynchronous execution (asyncExec)");
  }
  if (isTrue(fieldOf(body, "describeOnly"))) {
    throw new UnsupportedError("describe-only execution (describeOnly)");
  }
}

/**
 * The reply that makes the driver copy the file(s) itself: LOCAL_FS is the driver's own
 * test stage type (file_transfer_agent/local_util.js), a plain file copy with no encryption.
 */
function uploadData(upload: UploadRequest, queryId: string): Record<string, unknown> {
  if (typeof upload.directory !== "string" || upload.directory === "") {
    throw new BackendContractError("UploadRequest.directory must be a non-empty path");
  }
  if (typeof upload.source !== "string" || upload.source === "") {
    throw new BackendContractError("UploadRequest.source must be a non-empty path");
  }
  const requested = (upload.sourceCompression ?? "auto_detect").toLowerCase();
  const sourceCompression = DRIVER_COMPRESSION_NAMES[requested];
  if (sourceCompression === undefined) throw new UnsupportedError(`SOURCE_COMPRESSION=${upload.sourceCompression}`);
  return {
    queryId,
    command: "UPLOAD",
    src_locations: [upload.source],
    sourceCompression,
    autoCompress: upload.autoCompress,
    overwrite: upload.overwrite,
    parallel: 4,
    encryptionMaterial: null,
    presignedUrls: [],
    stageInfo: {
      locationType: "LOCAL_FS",
      location: upload.directory,
      path: "",
      region: null,
      storageAccount: null,
      isClientSideEncrypted: false,
      creds: {},
    },
  };
}

interface ErrorFacts {
  readonly code: string;
  readonly sqlState: string;
  readonly message: string;
}

/**
 * SnowflakeError by shape as well as by class: a backend loaded through another module graph
 * (ESM vs CommonJS, or a second copy of types.ts) throws instances of a different class.
 */
function describeError(error: unknown): ErrorFacts {
  if (error instanceof SnowflakeError) return { code: error.code, sqlState: error.sqlState, message: error.message };
  if (error instanceof Error) {
    const { code, sqlState } = error as { code?: unknown; sqlState?: unknown };
    if (typeof code === "string" && /^\d{6}$/.test(code) && typeof sqlState === "string") {
      return { code, sqlState, message: error.message };
    }
  }
  const detail = error instanceof Error ? error.message : String(error);
  return { code: "000603", sqlState: "XX000", message: `SQL execution internal error: ${detail}` };
}

function errorBody(error: unknown, queryId: string | undefined): Record<string, unknown> {
  const failure = describeError(error);
  return {
    success: false,
    code: failure.code,
    message: failure.message,
    data: {
      errorCode: failure.code,
      sqlState: failure.sqlState,
      internalError: failure.code === "000603",
      ...(queryId === undefined ? {} : { queryId }),
    },
  };
}

function ok(body: unknown): Reply {
  return { status: 200, body };
}

function send(res: ServerResponse, reply: Reply): void {
  const text = JSON.stringify(reply.body);
  // The driver parses a body as JSON only when the content type says so (http/base.js,
  // parseIfJSONData); otherwise it sees a string and reports every reply as a failure.
  res.writeHead(reply.status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * The request body as sent, or undefined when it is larger than `limit` (the rest is read and
 * dropped, so the connection stays usable for the reply).
 */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size <= limit) chunks.push(buffer);
    else chunks.length = 0;
  }
  return size > limit ? undefined : Buffer.concat(chunks);
}

/**
 * The body's bytes, inflated when gzipped, or undefined when inflating would pass `limit`: the
 * inflation streams and stops at the limit, so a small body that inflates to gigabytes costs
 * at most `limit` bytes.
 *
 * The driver gzips request bodies asynchronously and sets `Content-Encoding: gzip` from the
 * gzip callback while the request is already being built with the uncompressed JSON
 * (http/base.js, prepareRequestOptions), so the header can claim gzip for a plain body. The
 * gzip magic bytes are the only reliable signal.
 */
function decodeBody(raw: Buffer, contentEncoding: string | undefined, limit: number): Promise<Buffer | undefined> {
  if (contentEncoding !== undefined && !/^\s*(?:gzip|identity)?\s*$/i.test(contentEncoding)) {
    return Promise.reject(new Error(`unsupported content-encoding ${contentEncoding}`));
  }
  const gzipped = raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b;
  if (!gzipped) return Promise.resolve(raw);
  return new Promise((resolve, reject) => {
    const gunzip = createGunzip();
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    gunzip.on("data", (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        gunzip.destroy();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    gunzip.on("end", () => resolve(Buffer.concat(chunks)));
    gunzip.on("error", (error) => (over ? undefined : reject(error)));
    gunzip.end(raw);
  });
}

function tooLarge(limit: number, when: string): Reply {
  return {
    status: 413,
    body: { success: false, code: null, message: `floe sandbox: request body larger than ${limit} bytes ${when}`, data: null },
  };
}

function sessionToken(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Snowflake Token="([^"]+)"$/.exec(header.trim());
  return match?.[1];
}

function newToken(): string {
  return "floe-" + randomBytes(24).toString("hex");
}

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "::" || host === "") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}

function objectField(value: unknown, name: string): Record<string, unknown> | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const field = (value as Record<string, unknown>)[name];
  return typeof field === "object" && field !== null && !Array.isArray(field) ? (field as Record<string, unknown>) : undefined;
}

function fieldOf(value: unknown, name: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

function stringField(value: unknown, name: string): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const field = (value as Record<string, unknown>)[name];
  return typeof field === "string" ? field : undefined;
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined || value === "" ? {} : { [key]: value }) as { [P in K]?: string };
}

function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

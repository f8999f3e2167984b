/**
 * The contract between the sandbox's HTTP protocol layer (server.ts, which speaks the wire
 * protocol of the real snowflake-sdk driver) and whatever executes SQL behind it.
 *
 * Facts of the driver that shape this contract (verified against snowflake-sdk 3.3.0, paths
 * relative to node_modules/snowflake-sdk/dist/lib):
 *
 * - An upload names one `source: string`, not a list. The driver only ever reads
 *   `src_locations[0]` of a PUT reply (file_transfer_agent/file_transfer_agent.js, parseCommand)
 *   and expands a wildcard in that one path itself, so a list could not be honoured. `source` is
 *   the local path exactly as written after `file://` in the PUT (it may contain `*` or `?`).
 * - `UploadRequest.sourceCompression` (optional): the driver crashes on "none" and on an
 *   absent value (file_transfer_agent.js, processFileCompressionType compares against
 *   `typeof 'undefined'`, i.e. the string "string"), so the server always sends a value the
 *   driver accepts: "auto_detect" unless the backend names a real codec such as "gzip".
 * - There is no second request after the upload. For a LOCAL_FS stage the driver copies the
 *   file(s) into `directory` AFTER it has received the reply and never reports back, so
 *   `execute` returns before the files exist. A backend must read the directory lazily (at
 *   LIST / COPY INTO / query time), not inside `execute`.
 * - `LoginRequest.sessionParameters`: what the driver sends as SESSION_PARAMETERS at
 *   login (e.g. JS_TREAT_INTEGER_AS_BIGINT, QUERY_TAG). The server echoes them back in every
 *   result because the driver reads some of them from the result, not from its own config.
 *
 * The server calls `execute` once per query-request and turns its return value or exception
 * into exactly one reply. `execute` may answer with a promise (the sandbox does for a CALL, whose
 * body runs in a worker thread); the server keeps serving other requests while it waits.
 */
import type { BindValue, QueryResult } from "../types";

export interface LoginRequest {
  readonly account: string;
  readonly user: string;
  readonly password?: string;
  readonly database?: string;
  readonly schema?: string;
  readonly role?: string;
  readonly warehouse?: string;
  /** SESSION_PARAMETERS the driver sent with the login, as sent (names upper case). */
  readonly sessionParameters?: Readonly<Record<string, unknown>>;
}

export interface SessionBackend {
  /** Throws SnowflakeError (e.g. 390100 bad credentials) to refuse. Returns an opaque session handle. */
  login(request: LoginRequest): unknown;
  /**
   * Runs ONE statement. Throws (or rejects with) SnowflakeError / UnsupportedError.
   *
   * Return an UploadRequest exactly when the text is a PUT (the driver decides by the first
   * three characters of the trimmed text, so the server rejects any other pairing as a bug).
   * For DML, set `rowsAffected`; `columns`/`rows` may then be empty, in which case the server
   * answers with Snowflake's "number of rows inserted/updated/deleted" columns itself.
   */
  execute(session: unknown, sqlText: string, binds: readonly BindValue[]): QueryResult | UploadRequest | Promise<QueryResult | UploadRequest>;
  /** Called once when the driver deletes the session (connection.destroy) or the server closes. */
  close(session: unknown): void;
}

export interface UploadRequest {
  readonly kind: "upload";
  /** Local directory the driver must copy the files into (created by the driver if missing). */
  readonly directory: string;
  /** The local path from `PUT file://<source> ...`, as written; may hold a wildcard in its last segment. */
  readonly source: string;
  /** AUTO_COMPRESS: when true the driver gzips files without a known compression and appends ".gz". */
  readonly autoCompress: boolean;
  /** OVERWRITE. The driver's LOCAL_FS copy always overwrites; this is reported, not enforced. */
  readonly overwrite: boolean;
  /**
   * SOURCE_COMPRESSION as written (AUTO_DETECT, GZIP, BZ2, BROTLI, ZSTD, DEFLATE, RAW_DEFLATE,
   * NONE; any case). Omitted means AUTO_DETECT. NONE is sent to the driver as auto_detect
   * because the driver crashes on "none"; any other value the driver cannot look up is
   * answered with an UnsupportedError instead of being passed on to crash it.
   */
  readonly sourceCompression?: string;
}

export function isUploadRequest(value: unknown): value is UploadRequest {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "upload";
}

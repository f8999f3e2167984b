/**
 * The conformance table: one row per situation — procedure, stored status rows, what the hooks
 * do, which privileges the application holds — and what the SDK answers in it: the response
 * code, the message (exact where floe's wording is fixed), and the stored status afterwards.
 *
 * The codes and statuses follow the reference (LIFECYCLE.md's table, checked against the SDK's
 * handlers: ResumeConnectorHandler, PauseConnectorHandler, DefaultLifecycleService, SqlTools,
 * ConnectorResponse, and core.sql's GET_CONNECTOR_STATUS and RECOVER_CONNECTOR_STATE).
 * The same table runs on the sandbox and, with SNOWFLAKE_* settings, on a real account.
 */

export type Procedure = "RESUME_CONNECTOR" | "PAUSE_CONNECTOR" | "GET_CONNECTOR_STATUS" | "RECOVER_CONNECTOR_STATE" | "SET_CONNECTION_CONFIGURATION";

/** What a hook procedure does; the fixtures in fixtures/ implement each in TypeScript and in Snowflake Scripting. */
export type HookBehaviour = "ok" | "error_code" | "sql_error" | "no_response_code" | "no_message" | "string" | "rollback" | "rollback_no_message";

/** Apps whose hook procedure was never created, for PROCEDURE_NOT_FOUND and its callback twin. */
export type MissingHook = "validate" | "internal";

export interface Situation {
  readonly procedure: Procedure;
  /** The procedure's one argument, when it takes one (bound as `?`). */
  readonly argument?: string | null;
  /** The `connector_status` rows, in order: none, one, or a duplicate. */
  readonly stored: readonly unknown[];
  readonly validate?: HookBehaviour;
  readonly internal?: HookBehaviour;
  /** Run on an app without this hook procedure. */
  readonly missing?: MissingHook;
  /** Account privileges the application holds; EXECUTE TASK unless given. */
  readonly privileges?: readonly string[];
  /** STATE.APP_STATE is dropped before the call: an unexpected exception inside the handler. */
  readonly dropStateTable?: boolean;
}

export interface Expected {
  readonly code: string;
  /** Exact text, or a pattern where Snowflake's own error text is quoted. */
  readonly message?: string | RegExp;
  /** The whole answer, when more than code and message matter (extra keys). */
  readonly answer?: Readonly<Record<string, unknown>>;
  /** The stored status rows after the call; null when STATE.APP_STATE is gone. */
  readonly storedAfter: readonly unknown[] | null;
  /** Statements the procedure itself issued (sandbox only: the account keeps no such log here). */
  readonly statements?: number;
}

export interface Row {
  readonly name: string;
  readonly situation: Situation;
  readonly expected: Expected;
}

const S = (status: unknown, configurationStatus: unknown = "FINALIZED", extra: Record<string, unknown> = {}) => ({
  ...(status === undefined ? {} : { status }),
  ...(configurationStatus === undefined ? {} : { configurationStatus }),
  ...extra,
});

interface Change {
  readonly procedure: "RESUME_CONNECTOR" | "PAUSE_CONNECTOR";
  readonly start: string;
  readonly retry: string;
  readonly inProgress: string;
  readonly target: string;
  readonly rollback: string;
  readonly invalid: readonly string[];
  readonly allowed: string;
  readonly success: string;
}

const CHANGES: readonly Change[] = [
  {
    procedure: "RESUME_CONNECTOR",
    start: "PAUSED",
    retry: "STARTING",
    inProgress: "STARTING",
    target: "STARTED",
    rollback: "PAUSED",
    invalid: ["CONFIGURING", "STARTED", "PAUSING", "ERROR"],
    allowed: "PAUSED, STARTING",
    success: "Connector successfully resumed.",
  },
  {
    procedure: "PAUSE_CONNECTOR",
    start: "STARTED",
    retry: "PAUSING",
    inProgress: "PAUSING",
    target: "PAUSED",
    rollback: "STARTED",
    invalid: ["CONFIGURING", "STARTING", "PAUSED", "ERROR"],
    allowed: "STARTED, PAUSING",
    success: "Connector successfully paused.",
  },
];

const UNSPECIFIED = (detail: string) =>
  `The connector is now in an unspecified state (${detail}); it may need manual intervention. Once the cause is fixed, RECOVER_CONNECTOR_STATE sets the status.`;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function changeRows(c: Change): Row[] {
  const p = c.procedure;
  const validate = `PUBLIC.${p}_VALIDATE`;
  const internal = `PUBLIC.${p}_INTERNAL`;
  const start = [S(c.start)];
  const row = (name: string, situation: Omit<Situation, "procedure">, expected: Expected): Row => ({ name, situation: { procedure: p, ...situation }, expected });
  return [
    row("succeeds", { stored: start }, { code: "OK", message: c.success, storedAfter: [S(c.target)], statements: 5 }),
    row(`succeeds from ${c.retry} (a retry)`, { stored: [S(c.retry)] }, { code: "OK", message: c.success, storedAfter: [S(c.target)], statements: 5 }),
    row(
      "keeps the stored object's other keys",
      { stored: [S(c.start, "FINALIZED", { owner: "ops", since: 3 })] },
      { code: "OK", message: c.success, storedAfter: [S(c.target, "FINALIZED", { owner: "ops", since: 3 })] },
    ),
    row(
      "reads a status without configurationStatus, as the reference does",
      { stored: [S(c.start, undefined)] },
      { code: "OK", message: c.success, storedAfter: [S(c.target)] },
    ),
    row("tolerates a duplicated status row", { stored: [S(c.start), S(c.start)] }, { code: "OK", message: c.success, storedAfter: [S(c.target), S(c.target)] }),
    ...c.invalid.map((status) =>
      row(`refuses status ${status}`, { stored: [S(status)] }, {
        code: "INVALID_CONNECTOR_STATUS",
        message: `${p} needs the connector status to be one of [${c.allowed}]; it is ${status}.`,
        storedAfter: [S(status)],
        statements: 1,
      }),
    ),
    row("without a status row", { stored: [] }, {
      code: "CONNECTOR_STATUS_NOT_FOUND",
      message: "Connector status not found: STATE.APP_STATE has no 'connector_status' row.",
      storedAfter: [],
    }),
    row("without EXECUTE TASK", { stored: start, privileges: [] }, {
      code: "REQUIRED_PRIVILEGES_MISSING",
      message:
        "The application lacks account privileges this operation needs: EXECUTE TASK. The consumer grants them with GRANT <privilege> ON ACCOUNT TO APPLICATION <application>.",
      storedAfter: start,
      statements: 1,
    }),
    row("with an unknown status value", { stored: [S("SLEEPING")] }, {
      code: "INTERNAL_ERROR",
      message: /^The connector status stored in STATE\.APP_STATE cannot be read: \{.*"status":"SLEEPING".*\}$/,
      storedAfter: [S("SLEEPING")],
    }),
    row("with a status that is not an object", { stored: ["RUNNING"] }, {
      code: "INTERNAL_ERROR",
      message: "The connector status stored in STATE.APP_STATE cannot be read: RUNNING",
      storedAfter: ["RUNNING"],
    }),
    row("when the validator answers its own error", { stored: start, validate: "error_code" }, {
      code: "WAREHOUSE_MISSING",
      answer: { response_code: "WAREHOUSE_MISSING", message: "Configure a warehouse before resuming.", hint: "CALL PUBLIC.SET_WAREHOUSE()" },
      storedAfter: start,
    }),
    row("when the validator raises an SQL error", { stored: start, validate: "sql_error" }, {
      code: "UNKNOWN_SQL_ERROR",
      message: new RegExp(`^Calling ${escape(validate)}\\(\\) failed with an SQL error: [\\s\\S]*DOES_NOT_EXIST`),
      storedAfter: start,
    }),
    row("when the validator procedure does not exist", { stored: start, missing: "validate" }, {
      code: "PROCEDURE_NOT_FOUND",
      message: `The procedure ${validate}() does not exist.`,
      storedAfter: start,
    }),
    row("when the validator answers without response_code", { stored: start, validate: "no_response_code" }, {
      code: "INVALID_RESPONSE",
      message: `${validate}() answered {"message":"checked"}, which is not a valid response: it has no response_code.`,
      storedAfter: start,
    }),
    row("when the validator answers an error without a message", { stored: start, validate: "no_message" }, {
      code: "INVALID_RESPONSE",
      message: `${validate}() answered {"response_code":"NOT_READY"}, which is not a valid response: an answer other than OK must carry a message.`,
      storedAfter: start,
    }),
    row("when the validator answers a text", { stored: start, validate: "string" }, {
      code: "INVALID_RESPONSE",
      message: `${validate}() answered "yes", which is not a valid response: it is not an object.`,
      storedAfter: start,
    }),
    row("when the callback answers ROLLBACK", { stored: start, internal: "rollback" }, {
      code: "ROLLBACK",
      answer: { response_code: "ROLLBACK", message: "Could not change the tasks; undone." },
      storedAfter: [S(c.rollback)],
    }),
    row("when the callback answers another code", { stored: start, internal: "error_code" }, {
      code: "UNKNOWN_ERROR",
      message: UNSPECIFIED(`${internal}() answered TASK_FAILED: Task INGEST is missing.`),
      storedAfter: [S("ERROR")],
    }),
    row("when the callback raises an SQL error", { stored: start, internal: "sql_error" }, {
      code: "UNKNOWN_ERROR",
      message: new RegExp(`^${escape(`The connector is now in an unspecified state (${internal}() answered UNKNOWN_SQL_ERROR: Calling ${internal}() failed with an SQL error: `)}[\\s\\S]*DOES_NOT_EXIST`),
      storedAfter: [S("ERROR")],
    }),
    row("when the callback answers without response_code", { stored: start, internal: "no_response_code" }, {
      code: "UNKNOWN_ERROR",
      message: UNSPECIFIED(`${internal}() answered INVALID_RESPONSE: ${internal}() answered {"message":"done"}, which is not a valid response: it has no response_code.`),
      storedAfter: [S("ERROR")],
    }),
    row("when the callback answers ROLLBACK without a message", { stored: start, internal: "rollback_no_message" }, {
      code: "UNKNOWN_ERROR",
      message: UNSPECIFIED(
        `${internal}() answered INVALID_RESPONSE: ${internal}() answered {"response_code":"ROLLBACK"}, which is not a valid response: an answer other than OK must carry a message.`,
      ),
      storedAfter: [S("ERROR")],
    }),
    row("when the callback procedure does not exist", { stored: start, missing: "internal" }, {
      code: "UNKNOWN_ERROR",
      message: UNSPECIFIED(`${internal}() answered PROCEDURE_NOT_FOUND: The procedure ${internal}() does not exist.`),
      storedAfter: [S("ERROR")],
    }),
    row("when the status table is gone (an unexpected exception)", { stored: start, dropStateTable: true }, {
      code: "UNKNOWN_ERROR",
      message: /APP_STATE' does not exist or not authorized/,
      storedAfter: null,
    }),
  ];
}

function statusRows(): Row[] {
  const get = (name: string, stored: readonly unknown[], expected: Expected): Row => ({ name, situation: { procedure: "GET_CONNECTOR_STATUS", stored }, expected });
  const ok = (value: Record<string, unknown>) => ({ code: "OK", answer: { ...value, response_code: "OK" } });
  return [
    get("reports CONFIGURING / INSTALLED", [S("CONFIGURING", "INSTALLED")], { ...ok(S("CONFIGURING", "INSTALLED")), storedAfter: [S("CONFIGURING", "INSTALLED")] }),
    get("reports PAUSED", [S("PAUSED")], { ...ok(S("PAUSED")), storedAfter: [S("PAUSED")] }),
    get("reports STARTING as PAUSED", [S("STARTING")], { ...ok(S("PAUSED")), storedAfter: [S("STARTING")] }),
    get("reports PAUSING as STARTED", [S("PAUSING")], { ...ok(S("STARTED")), storedAfter: [S("PAUSING")] }),
    get("keeps the stored object's other keys", [S("ERROR", "FINALIZED", { owner: "ops" })], { ...ok(S("ERROR", "FINALIZED", { owner: "ops" })), storedAfter: [S("ERROR", "FINALIZED", { owner: "ops" })] }),
    get("passes an unknown status value through", [S("SLEEPING")], { ...ok(S("SLEEPING")), storedAfter: [S("SLEEPING")] }),
    get("tolerates a duplicated status row", [S("STARTED"), S("STARTED")], { ...ok(S("STARTED")), storedAfter: [S("STARTED"), S("STARTED")] }),
    get("without a status row", [], { code: "CONNECTOR_STATUS_NOT_FOUND", message: "Connector status not found: STATE.APP_STATE has no 'connector_status' row.", storedAfter: [] }),
    get("with a status that is not an object", ["RUNNING"], { code: "INTERNAL_ERROR", message: "The connector status stored in STATE.APP_STATE cannot be read: RUNNING", storedAfter: ["RUNNING"] }),
  ];
}

function recoverRows(): Row[] {
  const recover = (name: string, stored: readonly unknown[], argument: string | null, expected: Expected): Row => ({
    name,
    situation: { procedure: "RECOVER_CONNECTOR_STATE", stored, argument },
    expected,
  });
  const done = (status: string) => ({ code: "OK", message: `Connector status recovered: it is now ${status}.` });
  const notNew = (given: string) =>
    `RECOVER_CONNECTOR_STATE can set the status to one of [STARTED, PAUSED] (written exactly so), not ${given}.`;
  return [
    recover("from ERROR to STARTED", [S("ERROR")], "STARTED", { ...done("STARTED"), storedAfter: [S("STARTED")] }),
    recover("from STARTING to PAUSED", [S("STARTING")], "PAUSED", { ...done("PAUSED"), storedAfter: [S("PAUSED")] }),
    recover("from PAUSING to STARTED, keeping the other keys", [S("PAUSING", "CONNECTED", { owner: "ops" })], "STARTED", {
      ...done("STARTED"),
      storedAfter: [S("STARTED", "CONNECTED", { owner: "ops" })],
    }),
    recover("refuses a current status of STARTED", [S("STARTED")], "PAUSED", {
      code: "INVALID_CONNECTOR_STATUS",
      message: "RECOVER_CONNECTOR_STATE needs the connector status to be one of [ERROR, STARTING, PAUSING]; it is STARTED.",
      storedAfter: [S("STARTED")],
    }),
    recover("checks the current status before the target", [S("PAUSED")], "RUNNING", {
      code: "INVALID_CONNECTOR_STATUS",
      message: "RECOVER_CONNECTOR_STATE needs the connector status to be one of [ERROR, STARTING, PAUSING]; it is PAUSED.",
      storedAfter: [S("PAUSED")],
    }),
    recover("refuses a lower-case target (case matters)", [S("ERROR")], "started", {
      code: "INVALID_NEW_CONNECTOR_STATUS",
      message: notNew("'started'"),
      storedAfter: [S("ERROR")],
    }),
    recover("refuses a target other than STARTED or PAUSED", [S("ERROR")], "ERROR", {
      code: "INVALID_NEW_CONNECTOR_STATUS",
      message: notNew("'ERROR'"),
      storedAfter: [S("ERROR")],
    }),
    recover("refuses a NULL target", [S("ERROR")], null, { code: "INVALID_NEW_CONNECTOR_STATUS", message: notNew("NULL"), storedAfter: [S("ERROR")] }),
    recover("without a status row", [], "PAUSED", {
      code: "CONNECTOR_STATUS_NOT_FOUND",
      message: "Connector status not found: STATE.APP_STATE has no 'connector_status' row.",
      storedAfter: [],
    }),
    recover("with a status that is not an object", ["RUNNING"], "PAUSED", {
      code: "INTERNAL_ERROR",
      message: "The connector status stored in STATE.APP_STATE cannot be read: RUNNING",
      storedAfter: ["RUNNING"],
    }),
  ];
}

function configurationRows(): Row[] {
  return [
    {
      name: "refuses a configuration status before CONFIGURED",
      situation: { procedure: "SET_CONNECTION_CONFIGURATION", stored: [S("CONFIGURING", "INSTALLED")], argument: '{"url":"https://example.com"}' },
      expected: {
        code: "INVALID_CONNECTOR_CONFIGURATION_STATUS",
        message: "SET_CONNECTION_CONFIGURATION needs the configuration status to be one of [CONFIGURED, CONNECTED]; it is INSTALLED.",
        storedAfter: [S("CONFIGURING", "INSTALLED")],
      },
    },
  ];
}

export const ROWS: readonly Row[] = [...CHANGES.flatMap(changeRows), ...statusRows(), ...recoverRows(), ...configurationRows()];

/** Rows whose outcome depends on the hook procedures: they run over both hook fixtures. */
export function dependsOnHooks(row: Row): boolean {
  return row.situation.procedure === "RESUME_CONNECTOR" || row.situation.procedure === "PAUSE_CONNECTOR";
}

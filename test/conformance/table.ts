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

export type Procedure =
  | "RESUME_CONNECTOR"
  | "PAUSE_CONNECTOR"
  | "GET_CONNECTOR_STATUS"
  | "RECOVER_CONNECTOR_STATE"
  | "COMPLETE_PREREQUISITES_STEP"
  | "UPDATE_PREREQUISITE"
  | "MARK_ALL_PREREQUISITES_AS_DONE"
  | "CONFIGURE_CONNECTOR"
  | "SET_CONNECTION_CONFIGURATION"
  | "GET_CONNECTION_CONFIGURATION"
  | "FINALIZE_CONNECTOR_CONFIGURATION";

/** What a hook procedure does; the fixtures in fixtures/ implement each in TypeScript and in Snowflake Scripting. */
export type HookBehaviour = "ok" | "error_code" | "sql_error" | "no_response_code" | "no_message" | "string" | "rollback" | "rollback_no_message";

/** Apps whose hook procedure was never created, for PROCEDURE_NOT_FOUND and its callback twin. */
export type MissingHook = "validate" | "internal";

export interface Situation {
  readonly procedure: Procedure;
  /** The procedure's arguments, in order (VARIANT ones as the JSON value to pass). */
  readonly args?: readonly unknown[];
  /** The `connector_status` rows, in order: none, one, or a duplicate. */
  readonly stored: readonly unknown[];
  readonly validate?: HookBehaviour;
  readonly internal?: HookBehaviour;
  /** TEST_CONNECTION's behaviour. */
  readonly test?: HookBehaviour;
  /** VALIDATE_SOURCE's behaviour. */
  readonly source?: HookBehaviour;
  /** STATE.APP_CONFIG entries staged besides the hooks' behaviour. */
  readonly config?: Readonly<Record<string, unknown>>;
  /** STATE.PREREQUISITES rows: ID → IS_COMPLETED. */
  readonly prerequisites?: Readonly<Record<string, boolean>>;
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
  /** STATE.APP_CONFIG after the call (every key but the hooks' behaviour). */
  readonly configAfter?: Readonly<Record<string, unknown>>;
  /** STATE.PREREQUISITES after the call: ID → IS_COMPLETED. */
  readonly prerequisitesAfter?: Readonly<Record<string, boolean>>;
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
    situation: { procedure: "RECOVER_CONNECTOR_STATE", stored, args: [argument] },
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

const NOT_FOUND = { code: "CONNECTOR_STATUS_NOT_FOUND", message: "Connector status not found: STATE.APP_STATE has no 'connector_status' row.", storedAfter: [] };
const NOT_FINALIZED = "[INSTALLED, PREREQUISITES_DONE, CONFIGURED, CONNECTED]";

/**
 * The wizard's procedures, read off the SDK: prerequisites.sql (COMPLETE_PREREQUISITES_STEP,
 * UPDATE_PREREQUISITE, MARK_ALL_PREREQUISITES_AS_DONE), ConfigureConnectorHandler and
 * DefaultConnectorConfigurationService, ConnectionConfigurationHandler and TestConnectionValidator,
 * connection_configuration.sql's GET_CONNECTION_CONFIGURATION, FinalizeConnectorHandler.
 */
function prerequisiteRows(): Row[] {
  const row = (procedure: Procedure, name: string, situation: Omit<Situation, "procedure">, expected: Expected): Row => ({ name, situation: { procedure, ...situation }, expected });
  const two = { warehouse: false, secret: false };
  return [
    row("COMPLETE_PREREQUISITES_STEP", "moves INSTALLED to PREREQUISITES_DONE", { stored: [S("CONFIGURING", "INSTALLED")] }, {
      code: "OK",
      message: "Prerequisites step completed.",
      storedAfter: [S("CONFIGURING", "PREREQUISITES_DONE")],
      statements: 2,
    }),
    row("COMPLETE_PREREQUISITES_STEP", "leaves a later configuration status as it is", { stored: [S("CONFIGURING", "CONNECTED")] }, {
      code: "OK",
      message: "Prerequisites step completed.",
      storedAfter: [S("CONFIGURING", "CONNECTED")],
      statements: 1,
    }),
    row("COMPLETE_PREREQUISITES_STEP", "refuses FINALIZED", { stored: [S("CONFIGURING", "FINALIZED")] }, {
      code: "INVALID_CONNECTOR_CONFIGURATION_STATUS",
      message: `COMPLETE_PREREQUISITES_STEP needs the configuration status to be one of ${NOT_FINALIZED}; it is FINALIZED.`,
      storedAfter: [S("CONFIGURING", "FINALIZED")],
    }),
    row("COMPLETE_PREREQUISITES_STEP", "refuses a connector that is not CONFIGURING", { stored: [S("STARTED")] }, {
      code: "INVALID_CONNECTOR_STATUS",
      message: "COMPLETE_PREREQUISITES_STEP needs the connector status to be one of [CONFIGURING]; it is STARTED.",
      storedAfter: [S("STARTED")],
    }),
    row("COMPLETE_PREREQUISITES_STEP", "without a status row", { stored: [] }, NOT_FOUND),
    row("UPDATE_PREREQUISITE", "marks one prerequisite, the statuses unchanged", { stored: [S("CONFIGURING", "INSTALLED")], prerequisites: two, args: ["secret", true] }, {
      code: "OK",
      message: "Prerequisite 'secret' is now marked as completed.",
      storedAfter: [S("CONFIGURING", "INSTALLED")],
      prerequisitesAfter: { warehouse: false, secret: true },
      statements: 2,
    }),
    row("UPDATE_PREREQUISITE", "unmarks one", { stored: [S("CONFIGURING", "CONFIGURED")], prerequisites: { warehouse: true }, args: ["warehouse", false] }, {
      code: "OK",
      message: "Prerequisite 'warehouse' is now marked as not completed.",
      storedAfter: [S("CONFIGURING", "CONFIGURED")],
      prerequisitesAfter: { warehouse: false },
    }),
    row("UPDATE_PREREQUISITE", "answers PREREQUISITE_NOT_FOUND for an unknown ID", { stored: [S("CONFIGURING", "INSTALLED")], prerequisites: two, args: ["nope", true] }, {
      code: "PREREQUISITE_NOT_FOUND",
      message: "No prerequisite has the ID 'nope'; PUBLIC.PREREQUISITES lists them.",
      storedAfter: [S("CONFIGURING", "INSTALLED")],
      prerequisitesAfter: two,
    }),
    row("UPDATE_PREREQUISITE", "refuses FINALIZED", { stored: [S("CONFIGURING", "FINALIZED")], prerequisites: two, args: ["secret", true] }, {
      code: "INVALID_CONNECTOR_CONFIGURATION_STATUS",
      message: `UPDATE_PREREQUISITE needs the configuration status to be one of ${NOT_FINALIZED}; it is FINALIZED.`,
      storedAfter: [S("CONFIGURING", "FINALIZED")],
      prerequisitesAfter: two,
    }),
    row("UPDATE_PREREQUISITE", "refuses a connector that is not CONFIGURING", { stored: [S("PAUSED")], prerequisites: two, args: ["secret", true] }, {
      code: "INVALID_CONNECTOR_STATUS",
      message: "UPDATE_PREREQUISITE needs the connector status to be one of [CONFIGURING]; it is PAUSED.",
      storedAfter: [S("PAUSED")],
      prerequisitesAfter: two,
    }),
    row("MARK_ALL_PREREQUISITES_AS_DONE", "marks every prerequisite and leaves the configuration status", { stored: [S("CONFIGURING", "CONFIGURED")], prerequisites: two }, {
      code: "OK",
      message: "All prerequisites are marked as done.",
      storedAfter: [S("CONFIGURING", "CONFIGURED")],
      prerequisitesAfter: { warehouse: true, secret: true },
      statements: 2,
    }),
    row("MARK_ALL_PREREQUISITES_AS_DONE", "leaves INSTALLED as it is (COMPLETE_PREREQUISITES_STEP moves it)", { stored: [S("CONFIGURING", "INSTALLED")], prerequisites: two }, {
      code: "OK",
      message: "All prerequisites are marked as done.",
      storedAfter: [S("CONFIGURING", "INSTALLED")],
      prerequisitesAfter: { warehouse: true, secret: true },
    }),
    row("MARK_ALL_PREREQUISITES_AS_DONE", "refuses FINALIZED", { stored: [S("CONFIGURING", "FINALIZED")], prerequisites: two }, {
      code: "INVALID_CONNECTOR_CONFIGURATION_STATUS",
      message: `MARK_ALL_PREREQUISITES_AS_DONE needs the configuration status to be one of ${NOT_FINALIZED}; it is FINALIZED.`,
      storedAfter: [S("CONFIGURING", "FINALIZED")],
      prerequisitesAfter: two,
    }),
    row("MARK_ALL_PREREQUISITES_AS_DONE", "refuses a connector that is not CONFIGURING", { stored: [S("ERROR")], prerequisites: two }, {
      code: "INVALID_CONNECTOR_STATUS",
      message: "MARK_ALL_PREREQUISITES_AS_DONE needs the connector status to be one of [CONFIGURING]; it is ERROR.",
      storedAfter: [S("ERROR")],
      prerequisitesAfter: two,
    }),
  ];
}

function configurationRows(): Row[] {
  const row = (procedure: Procedure, name: string, situation: Omit<Situation, "procedure">, expected: Expected): Row => ({ name, situation: { procedure, ...situation }, expected });
  const wh = { warehouse: "WH" };
  const url = { url: "https://example.com" };
  return [
    row("CONFIGURE_CONNECTOR", "saves and moves INSTALLED to CONFIGURED", { stored: [S("CONFIGURING", "INSTALLED")], args: [wh] }, {
      code: "OK",
      message: "Connector configured.",
      storedAfter: [S("CONFIGURING", "CONFIGURED")],
      configAfter: { connector_configuration: wh },
      statements: 5,
    }),
    row("CONFIGURE_CONNECTOR", "does not move CONNECTED back to CONFIGURED", { stored: [S("CONFIGURING", "CONNECTED")], args: [wh] }, {
      code: "OK",
      message: "Connector configured.",
      storedAfter: [S("CONFIGURING", "CONNECTED")],
      configAfter: { connector_configuration: wh },
    }),
    row("CONFIGURE_CONNECTOR", "refuses a connector that is not CONFIGURING", { stored: [S("STARTED")], args: [wh] }, {
      code: "INVALID_CONNECTOR_STATUS",
      message: "CONFIGURE_CONNECTOR needs the connector status to be one of [CONFIGURING]; it is STARTED.",
      storedAfter: [S("STARTED")],
      configAfter: {},
    }),
    row("CONFIGURE_CONNECTOR", "refuses fields outside the connector configuration", { stored: [S("CONFIGURING", "INSTALLED")], args: [{ warehouse: "WH", url: "x" }] }, {
      code: "CONNECTOR_CONFIGURATION_PARSING_ERROR",
      message:
        "The connector configuration does not accept the field url; its fields are warehouse, destination_database, destination_schema, data_owner_role, operational_warehouse, global_schedule, agent_username, agent_role, cortex_warehouse, cortex_user_role.",
      storedAfter: [S("CONFIGURING", "INSTALLED")],
      configAfter: {},
    }),
    row("CONFIGURE_CONNECTOR", "refuses a configuration that is not an object", { stored: [S("CONFIGURING", "INSTALLED")], args: [["WH"]] }, {
      code: "INTERNAL_ERROR",
      message: 'CONFIGURE_CONNECTOR expects the configuration as a JSON object, got ["WH"].',
      storedAfter: [S("CONFIGURING", "INSTALLED")],
    }),
    row("CONFIGURE_CONNECTOR", "returns the validator's own answer and saves nothing", { stored: [S("CONFIGURING", "INSTALLED")], args: [wh], validate: "error_code" }, {
      code: "WAREHOUSE_MISSING",
      answer: { response_code: "WAREHOUSE_MISSING", message: "Configure a warehouse before resuming.", hint: "CALL PUBLIC.SET_WAREHOUSE()" },
      storedAfter: [S("CONFIGURING", "INSTALLED")],
      configAfter: {},
    }),
    row("CONFIGURE_CONNECTOR", "when the validator procedure does not exist", { stored: [S("CONFIGURING", "INSTALLED")], args: [wh], missing: "validate" }, {
      code: "PROCEDURE_NOT_FOUND",
      message: "The procedure PUBLIC.CONFIGURE_CONNECTOR_VALIDATE() does not exist.",
      storedAfter: [S("CONFIGURING", "INSTALLED")],
    }),
    row("CONFIGURE_CONNECTOR", "returns the internal hook's own answer after saving", { stored: [S("CONFIGURING", "INSTALLED")], args: [wh], internal: "error_code" }, {
      code: "TASK_FAILED",
      message: "Task INGEST is missing.",
      storedAfter: [S("CONFIGURING", "INSTALLED")],
      configAfter: { connector_configuration: wh },
    }),
    row("SET_CONNECTION_CONFIGURATION", "saves, tests and moves CONFIGURED to CONNECTED, answering TEST_CONNECTION's answer", { stored: [S("CONFIGURING", "CONFIGURED")], args: [url] }, {
      code: "OK",
      message: "Checked by test.",
      storedAfter: [S("CONFIGURING", "CONNECTED")],
      configAfter: { connection_configuration: url },
      statements: 6,
    }),
    row("SET_CONNECTION_CONFIGURATION", "refuses a configuration status before CONFIGURED", { stored: [S("CONFIGURING", "INSTALLED")], args: [url] }, {
      code: "INVALID_CONNECTOR_CONFIGURATION_STATUS",
      message: "SET_CONNECTION_CONFIGURATION needs the configuration status to be one of [CONFIGURED, CONNECTED]; it is INSTALLED.",
      storedAfter: [S("CONFIGURING", "INSTALLED")],
      configAfter: {},
    }),
    row("SET_CONNECTION_CONFIGURATION", "refuses a connector that is not CONFIGURING", { stored: [S("PAUSED")], args: [url] }, {
      code: "INVALID_CONNECTOR_STATUS",
      message: "SET_CONNECTION_CONFIGURATION needs the connector status to be one of [CONFIGURING]; it is PAUSED.",
      storedAfter: [S("PAUSED")],
    }),
    row("SET_CONNECTION_CONFIGURATION", "keeps the configuration but not the status when the test fails", { stored: [S("CONFIGURING", "CONFIGURED")], args: [url], test: "error_code" }, {
      code: "SOURCE_UNREACHABLE",
      message: "The source system did not answer.",
      storedAfter: [S("CONFIGURING", "CONFIGURED")],
      configAfter: { connection_configuration: url },
    }),
    row("SET_CONNECTION_CONFIGURATION", "when the validator procedure does not exist", { stored: [S("CONFIGURING", "CONFIGURED")], args: [url], missing: "validate" }, {
      code: "PROCEDURE_NOT_FOUND",
      message: "The procedure PUBLIC.SET_CONNECTION_CONFIGURATION_VALIDATE() does not exist.",
      storedAfter: [S("CONFIGURING", "CONFIGURED")],
    }),
    row("SET_CONNECTION_CONFIGURATION", "when TEST_CONNECTION raises an SQL error", { stored: [S("CONFIGURING", "CONFIGURED")], args: [url], test: "sql_error" }, {
      code: "UNKNOWN_SQL_ERROR",
      message: /^Calling PUBLIC\.TEST_CONNECTION\(\) failed with an SQL error: [\s\S]*DOES_NOT_EXIST/,
      storedAfter: [S("CONFIGURING", "CONFIGURED")],
    }),
    row("SET_CONNECTION_CONFIGURATION", "refuses a configuration that is not an object", { stored: [S("CONFIGURING", "CONFIGURED")], args: ["https://example.com"] }, {
      code: "INVALID_INPUT",
      message: 'SET_CONNECTION_CONFIGURATION expects CONNECTION_CONFIGURATION to be a JSON object, got "https://example.com".',
      storedAfter: [S("CONFIGURING", "CONFIGURED")],
    }),
    row("GET_CONNECTION_CONFIGURATION", "returns the saved configuration with response_code OK", { stored: [S("CONFIGURING", "CONNECTED")], config: { connection_configuration: url } }, {
      code: "OK",
      answer: { ...url, response_code: "OK" },
      storedAfter: [S("CONFIGURING", "CONNECTED")],
      statements: 1,
    }),
    row("GET_CONNECTION_CONFIGURATION", "answers CONNECTION_CONFIGURATION_NOT_FOUND before one is saved", { stored: [S("CONFIGURING", "CONFIGURED")] }, {
      code: "CONNECTION_CONFIGURATION_NOT_FOUND",
      message: "No connection configuration is saved yet: call SET_CONNECTION_CONFIGURATION first.",
      storedAfter: [S("CONFIGURING", "CONFIGURED")],
    }),
    row("FINALIZE_CONNECTOR_CONFIGURATION", "runs the three hooks, sets STARTED / FINALIZED and returns the internal hook's answer", { stored: [S("CONFIGURING", "CONNECTED")], args: [{ source: "x" }] }, {
      code: "OK",
      message: "Ingestion is set up.",
      storedAfter: [S("STARTED", "FINALIZED")],
      statements: 5,
    }),
    row("FINALIZE_CONNECTOR_CONFIGURATION", "refuses a configuration status other than CONNECTED", { stored: [S("CONFIGURING", "CONFIGURED")], args: [{}] }, {
      code: "INVALID_CONNECTOR_CONFIGURATION_STATUS",
      message: "FINALIZE_CONNECTOR_CONFIGURATION needs the configuration status to be one of [CONNECTED]; it is CONFIGURED.",
      storedAfter: [S("CONFIGURING", "CONFIGURED")],
    }),
    row("FINALIZE_CONNECTOR_CONFIGURATION", "refuses a connector that is not CONFIGURING", { stored: [S("STARTED")], args: [{}] }, {
      code: "INVALID_CONNECTOR_STATUS",
      message: "FINALIZE_CONNECTOR_CONFIGURATION needs the connector status to be one of [CONFIGURING]; it is STARTED.",
      storedAfter: [S("STARTED")],
    }),
    row("FINALIZE_CONNECTOR_CONFIGURATION", "returns VALIDATE_SOURCE's refusal and changes nothing", { stored: [S("CONFIGURING", "CONNECTED")], args: [{}], source: "error_code" }, {
      code: "SOURCE_UNREACHABLE",
      message: "The source system did not answer.",
      storedAfter: [S("CONFIGURING", "CONNECTED")],
    }),
    row("FINALIZE_CONNECTOR_CONFIGURATION", "returns the internal hook's refusal and changes nothing", { stored: [S("CONFIGURING", "CONNECTED")], args: [{}], internal: "error_code" }, {
      code: "TASK_FAILED",
      message: "Task INGEST is missing.",
      storedAfter: [S("CONFIGURING", "CONNECTED")],
    }),
    row("FINALIZE_CONNECTOR_CONFIGURATION", "when the internal hook does not exist", { stored: [S("CONFIGURING", "CONNECTED")], args: [{}], missing: "internal" }, {
      code: "PROCEDURE_NOT_FOUND",
      message: "The procedure PUBLIC.FINALIZE_CONNECTOR_CONFIGURATION_INTERNAL() does not exist.",
      storedAfter: [S("CONFIGURING", "CONNECTED")],
    }),
    row("FINALIZE_CONNECTOR_CONFIGURATION", "when the validator answers without response_code", { stored: [S("CONFIGURING", "CONNECTED")], args: [{}], validate: "no_response_code" }, {
      code: "INVALID_RESPONSE",
      message: 'PUBLIC.FINALIZE_CONNECTOR_CONFIGURATION_VALIDATE() answered {"message":"checked"}, which is not a valid response: it has no response_code.',
      storedAfter: [S("CONFIGURING", "CONNECTED")],
    }),
    row("FINALIZE_CONNECTOR_CONFIGURATION", "without a status row", { stored: [], args: [{}] }, NOT_FOUND),
  ];
}

export const ROWS: readonly Row[] = [...CHANGES.flatMap(changeRows), ...statusRows(), ...recoverRows(), ...prerequisiteRows(), ...configurationRows()];

/** Rows whose outcome depends on the hook procedures: they run over both hook fixtures. */
export function dependsOnHooks(row: Row): boolean {
  return row.situation.procedure === "RESUME_CONNECTOR" || row.situation.procedure === "PAUSE_CONNECTOR";
}

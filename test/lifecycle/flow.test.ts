import { describe, expect, it } from "vitest";
import {
  checkResponse,
  completePrerequisitesStep,
  configureConnector,
  finalizeConnectorConfiguration,
  getConnectionConfiguration,
  getConnectorStatus,
  markAllPrerequisitesAsDone,
  MemoryConnector,
  recoverConnectorState,
  setConnectionConfiguration,
  updatePrerequisite,
} from "floe";
import { reportStoredStatus } from "../../lifecycle/flow";
import type { MemoryProcedure } from "../../lifecycle/memory-ports";

describe("GET_CONNECTOR_STATUS", () => {
  const get = (stored: unknown) => getConnectorStatus(new MemoryConnector({ status: stored }).ports());

  it("returns the whole stored object plus response_code, reporting a change in progress as not yet done", () => {
    expect(get({ status: "PAUSED", configurationStatus: "FINALIZED", owner: "ops" })).toEqual({
      status: "PAUSED",
      configurationStatus: "FINALIZED",
      owner: "ops",
      response_code: "OK",
    });
    expect(get({ status: "STARTING", configurationStatus: "FINALIZED" })).toEqual({ status: "PAUSED", configurationStatus: "FINALIZED", response_code: "OK" });
    expect(get({ status: "PAUSING", configurationStatus: "FINALIZED" })).toEqual({ status: "STARTED", configurationStatus: "FINALIZED", response_code: "OK" });
  });

  it("passes status values it does not know through, and an object without a status", () => {
    expect(get({ status: "SLEEPING", configurationStatus: "LATER" })).toEqual({ status: "SLEEPING", configurationStatus: "LATER", response_code: "OK" });
    expect(get({ configurationStatus: "INSTALLED" })).toEqual({ configurationStatus: "INSTALLED", response_code: "OK" });
  });

  it("reports a stored object that holds a response_code of its own as a status, with response_code OK", () => {
    expect(get({ status: "PAUSED", response_code: "STALE", message: "kept" })).toEqual({ status: "PAUSED", response_code: "OK", message: "kept" });
  });

  it("answers the same from the raw stored value (the procedure's path, which does not parse the statuses) as through the ports", () => {
    const samples = [
      { status: "STARTING", configurationStatus: "FINALIZED", owner: "ops" },
      { status: "SLEEPING" },
      { status: "PAUSED", response_code: "STALE" },
      [1, 2],
      "not json",
      JSON.stringify({ status: "PAUSING" }),
      undefined,
    ];
    for (const stored of samples) expect(reportStoredStatus(() => (stored === undefined ? null : stored)), JSON.stringify(stored)).toEqual(get(stored));
    expect(reportStoredStatus(() => { throw new Error("Object 'STATE.APP_STATE' does not exist"); })).toEqual({ response_code: "UNKNOWN_ERROR", message: "Object 'STATE.APP_STATE' does not exist" });
  });

  it("answers CONNECTOR_STATUS_NOT_FOUND without a row and INTERNAL_ERROR for a value that is not an object", () => {
    expect(get(undefined)).toMatchObject({ response_code: "CONNECTOR_STATUS_NOT_FOUND" });
    expect(get([1, 2])).toEqual({ response_code: "INTERNAL_ERROR", message: "The connector status stored in STATE.APP_STATE cannot be read: [1,2]" });
  });
});

describe("RECOVER_CONNECTOR_STATE", () => {
  function recover(stored: unknown, target: unknown) {
    const m = new MemoryConnector({ status: stored });
    return { answer: recoverConnectorState(m.ports(), target), stored: m.stored, events: m.events };
  }

  it("sets STARTED or PAUSED from ERROR, STARTING or PAUSING, changing only the status", () => {
    for (const from of ["ERROR", "STARTING", "PAUSING"]) {
      for (const to of ["STARTED", "PAUSED"]) {
        const r = recover({ status: from, configurationStatus: "CONNECTED", note: "x" }, to);
        expect(r.answer).toEqual({ response_code: "OK", message: `Connector status recovered: it is now ${to}.` });
        expect(r.stored).toEqual({ status: to, configurationStatus: "CONNECTED", note: "x" });
      }
    }
  });

  it("checks the current status before the target, and writes nothing when either is refused", () => {
    const current = recover({ status: "STARTED", configurationStatus: "FINALIZED" }, "bogus");
    expect(current.answer.response_code).toBe("INVALID_CONNECTOR_STATUS");
    expect(current.events.filter((e) => e.kind === "write-status")).toEqual([]);
    for (const target of ["started", "Paused", "ERROR", "", null, 7]) {
      const r = recover({ status: "ERROR", configurationStatus: "FINALIZED" }, target);
      expect(r.answer.response_code, String(target)).toBe("INVALID_NEW_CONNECTOR_STATUS");
      expect(r.stored).toEqual({ status: "ERROR", configurationStatus: "FINALIZED" });
    }
  });

  it("recovers a status whose configurationStatus is missing, leaving it missing", () => {
    expect(recover({ status: "ERROR" }, "PAUSED").stored).toEqual({ status: "PAUSED" });
  });
});

describe("checkResponse: what counts as a hook's answer", () => {
  it.each([
    [{ response_code: "OK" }, { response_code: "OK" }],
    [{ response_code: "OK", message: null }, { response_code: "OK" }],
    [{ response_code: "CUSTOM", message: "m", extra: [1] }, { response_code: "CUSTOM", message: "m", extra: [1] }],
    ['{"response_code":"ROLLBACK","message":"undone"}', { response_code: "ROLLBACK", message: "undone" }],
    [{ response_code: 42, message: 7 }, { response_code: "42", message: "7" }],
  ])("accepts %j", (value, response) => {
    expect(checkResponse(value)).toEqual({ ok: true, response });
  });

  it.each([
    [null, "it is NULL"],
    ["not json", "it is not an object"],
    [[{ response_code: "OK" }], "it is not an object"],
    [{ message: "m" }, "it has no response_code"],
    [{ response_code: null, message: "m" }, "it has no response_code"],
    [{ response_code: { a: 1 } }, "its response_code is not a text"],
    [{ response_code: "ERR" }, "an answer other than OK must carry a message"],
    [{ response_code: "ROLLBACK", message: null }, "an answer other than OK must carry a message"],
  ])("refuses %j: %s", (value, reason) => {
    expect(checkResponse(value)).toEqual({ ok: false, reason });
  });
});

describe("the configuration wizard, in memory", () => {
  const OK = () => ({ response_code: "OK" });
  const HOOKS = [
    "PUBLIC.CONFIGURE_CONNECTOR_VALIDATE",
    "PUBLIC.CONFIGURE_CONNECTOR_INTERNAL",
    "PUBLIC.SET_CONNECTION_CONFIGURATION_VALIDATE",
    "PUBLIC.SET_CONNECTION_CONFIGURATION_INTERNAL",
    "PUBLIC.TEST_CONNECTION",
    "PUBLIC.FINALIZE_CONNECTOR_CONFIGURATION_VALIDATE",
    "PUBLIC.VALIDATE_SOURCE",
    "PUBLIC.FINALIZE_CONNECTOR_CONFIGURATION_INTERNAL",
  ];
  function connector(status: unknown, overrides: Record<string, MemoryProcedure | null> = {}, prerequisites: Record<string, boolean> = {}) {
    const procedures: Record<string, MemoryProcedure> = {};
    for (const name of HOOKS) if (overrides[name] !== null) procedures[name] = overrides[name] ?? OK;
    return new MemoryConnector({ status, procedures, prerequisites });
  }
  const S = (status: string, configurationStatus?: string) => (configurationStatus === undefined ? { status } : { status, configurationStatus });

  it("walks install to STARTED / FINALIZED, each step moving the configuration status as the SDK does", () => {
    const m = connector(S("CONFIGURING", "INSTALLED"), {}, { a: false });
    const ports = m.ports();
    expect(markAllPrerequisitesAsDone(ports).response_code).toBe("OK");
    expect(m.stored).toEqual(S("CONFIGURING", "INSTALLED"));
    expect([...m.prerequisites.values()]).toEqual([{ completed: true }]);
    expect(completePrerequisitesStep(ports).response_code).toBe("OK");
    expect(m.stored).toEqual(S("CONFIGURING", "PREREQUISITES_DONE"));
    expect(configureConnector(ports, { warehouse: "WH" })).toEqual({ response_code: "OK", message: "Connector configured." });
    expect(m.stored).toEqual(S("CONFIGURING", "CONFIGURED"));
    expect(setConnectionConfiguration(ports, { url: "x" })).toEqual({ response_code: "OK" });
    expect(m.stored).toEqual(S("CONFIGURING", "CONNECTED"));
    expect(getConnectionConfiguration(ports)).toEqual({ url: "x", response_code: "OK" });
    expect(finalizeConnectorConfiguration(ports, {})).toEqual({ response_code: "OK" });
    expect(m.stored).toEqual(S("STARTED", "FINALIZED"));
  });

  it("answers PROCEDURE_NOT_FOUND when TEST_CONNECTION does not exist, after saving, without moving to CONNECTED", () => {
    const m = connector(S("CONFIGURING", "CONFIGURED"), { "PUBLIC.TEST_CONNECTION": null });
    expect(setConnectionConfiguration(m.ports(), { url: "x" })).toEqual({ response_code: "PROCEDURE_NOT_FOUND", message: "The procedure PUBLIC.TEST_CONNECTION() does not exist." });
    expect(m.config.get("connection_configuration")).toEqual({ url: "x" });
    expect(m.stored).toEqual(S("CONFIGURING", "CONFIGURED"));
  });

  it("passes the configuration to the hooks, and a connection validator's rewritten one to the internal hook", () => {
    const seen: Record<string, unknown> = {};
    const record = (name: string, answer: unknown = { response_code: "OK" }): MemoryProcedure => (args) => {
      seen[name] = args[0];
      return answer;
    };
    const m = connector(S("CONFIGURING", "CONFIGURED"), {
      "PUBLIC.SET_CONNECTION_CONFIGURATION_VALIDATE": record("validate", { response_code: "OK", config: { url: "rewritten" } }),
      "PUBLIC.SET_CONNECTION_CONFIGURATION_INTERNAL": record("internal"),
    });
    expect(setConnectionConfiguration(m.ports(), { url: "given", token: "t" }).response_code).toBe("OK");
    expect(seen).toEqual({ validate: { url: "given", token: "t" }, internal: { url: "rewritten" } });
    expect(m.config.get("connection_configuration")).toEqual({ url: "rewritten" });
  });

  it("reports a configuration saved while another call moved the status, without claiming nothing changed", () => {
    const m = connector(S("CONFIGURING", "INSTALLED"), {
      "PUBLIC.CONFIGURE_CONNECTOR_INTERNAL": () => {
        m.stored = S("CONFIGURING", "PREREQUISITES_DONE");
        return { response_code: "OK" };
      },
    });
    expect(configureConnector(m.ports(), { warehouse: "WH" })).toEqual({
      response_code: "INVALID_CONNECTOR_STATUS",
      message:
        "The connector status changed while CONFIGURE_CONNECTOR was running: the connector configuration was saved, but the configuration status was not moved. Check GET_CONNECTOR_STATUS and call CONFIGURE_CONNECTOR again.",
    });
    expect(m.config.get("connector_configuration")).toEqual({ warehouse: "WH" });
  });

  it("accepts a status object without configurationStatus for the prerequisite steps (the SDK refuses only FINALIZED there)", () => {
    const m = connector(S("CONFIGURING"), {}, { a: false });
    expect(completePrerequisitesStep(m.ports()).response_code).toBe("OK");
    expect(markAllPrerequisitesAsDone(m.ports()).response_code).toBe("OK");
    expect(updatePrerequisite(m.ports(), "a", false).response_code).toBe("OK");
    expect(m.stored).toEqual(S("CONFIGURING"));
  });

  it("refuses an IS_COMPLETED that is not a boolean, and a NULL ID as not found", () => {
    const m = connector(S("CONFIGURING", "INSTALLED"), {}, { a: false });
    expect(updatePrerequisite(m.ports(), "a", null)).toEqual({ response_code: "INVALID_INPUT", message: "UPDATE_PREREQUISITE expects IS_COMPLETED to be TRUE or FALSE, got NULL." });
    expect(updatePrerequisite(m.ports(), null, true)).toEqual({ response_code: "PREREQUISITE_NOT_FOUND", message: "No prerequisite has the ID NULL; PUBLIC.PREREQUISITES lists them." });
  });

  it("answers INTERNAL_ERROR for a saved connection configuration that is not an object", () => {
    const m = connector(S("CONFIGURING", "CONNECTED"));
    m.config.set("connection_configuration", "just text");
    expect(getConnectionConfiguration(m.ports())).toEqual({ response_code: "INTERNAL_ERROR", message: 'The connection configuration saved in STATE.APP_CONFIG is not a JSON object: "just text"' });
  });
});

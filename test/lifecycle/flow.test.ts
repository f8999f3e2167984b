import { describe, expect, it } from "vitest";
import { checkResponse, getConnectorStatus, MemoryConnector, recoverConnectorState } from "floe";

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

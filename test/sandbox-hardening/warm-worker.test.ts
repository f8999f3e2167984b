/**
 * A procedure worker started ahead of the first call (ProcedureHost.warm, used while
 * `floe simulate` installs the app) is the worker that call runs on: warming never adds a
 * second worker, never replaces one that is alive, and a closed host starts none.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ProcedureHost, type Frame } from "../../sandbox/vm-host";

const noStatements: Frame = {
  statement: () => ({ kind: "reply", text: JSON.stringify({ ok: false, code: "000603", state: "XX000", message: "no statements here" }) }),
};

const invocation = (body: string) => ({ procedure: "PUBLIC.WARM", body, args: [] });

let host: ProcedureHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

describe("ProcedureHost.warm", () => {
  it("starts one idle worker, which the next call runs on", async () => {
    host = new ProcedureHost({ workers: 4 });
    expect(host.workerCount).toBe(0);
    host.warm();
    host.warm();
    expect(host.workerCount).toBe(1);
    const outcome = await host.run(invocation("return 6 * 7;"), noStatements, 10_000);
    expect(outcome).toEqual({ kind: "value", value: 42 });
    expect(host.workerCount).toBe(1);
  });

  it("adds nothing when a worker is alive, and nothing once closed", async () => {
    host = new ProcedureHost({ workers: 4 });
    await host.run(invocation("return 1;"), noStatements, 10_000);
    expect(host.workerCount).toBe(1);
    host.warm();
    expect(host.workerCount).toBe(1);
    await host.close();
    host.warm();
    expect(host.workerCount).toBe(0);
  });
});

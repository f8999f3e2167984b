/**
 * Concurrent lifecycle calls through the real snowflake-sdk driver, on several connections:
 * procedures run on worker threads, so their statements truly interleave. Exactly one call wins
 * each race, because every status write is a compare-and-set over SQL
 * (`UPDATE ... WHERE VALUE:status = <what was read>`). The races that must be lost are forced:
 * a statement of one call is held (sandbox/faults.ts) until another call has done its part.
 *
 * Mutating the compare-and-set in lifecycle/sql-ports.ts into a plain write (dropping its
 * status conditions) makes "a resume held between its read and its write loses ..." and the
 * hundred-resume race fail with two winners.
 */
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { renderConnector } from "../../generators/pipeline";
import { SandboxApp } from "../../sandbox/app";
import { connect, destroy, execute, type Connection } from "../../snowflake/driver";

const ROOT = path.resolve(__dirname, "..", "..");
const SCRIPTED = path.join(ROOT, "test", "fixtures", "hooks", "scripted.ts");
const STATUS = (status: string) => ({ status, configurationStatus: "FINALIZED" });

interface Answer {
  readonly response_code: string;
  readonly message: string;
}

let app: SandboxApp;
const connections: Connection[] = [];

beforeAll(async () => {
  const rendered = await renderConnector({ name: "RACED", hooks: [SCRIPTED], root: ROOT });
  app = await SandboxApp.start(rendered, { privileges: ["EXECUTE TASK"], sandbox: { procedureWorkers: 4 } });
  for (let i = 0; i < 10; i++) connections.push(await connect({ ...app.server.connectionOptions() }));
});
afterAll(async () => {
  for (const c of connections) await destroy(c).catch(() => undefined);
  await app?.close();
});
afterEach(() => app.sandbox.faults.clear());

/** CALL <app>.PUBLIC.<procedure>() on connection `i`. */
async function call(i: number, procedure: "RESUME_CONNECTOR" | "PAUSE_CONNECTOR"): Promise<Answer> {
  const rows = (await execute(connections[i % connections.length], `CALL ${app.name}.PUBLIC.${procedure}()`)).rows;
  return rows[0][procedure] as Answer;
}

const winners = (answers: readonly Answer[]) => answers.filter((a) => a.response_code === "OK");
const gateReads = (procedure: string) =>
  app.sandbox.calls.filter((c) => c.procedure === `PUBLIC.${procedure}` && c.statements.some((s) => s.sql.startsWith("SELECT SYSTEM$HOLD_PRIVILEGE_ON_ACCOUNT"))).length;

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 30_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("the compare-and-set, exercised over SQL", () => {
  it("a resume held between its read and its write loses to a resume that completes meanwhile", async () => {
    app.writeStatus(STATUS("PAUSED"));
    let second: Answer | undefined;
    // The first STARTING write waits until a second resume, on another connection, has run
    // from start to end: the first one read PAUSED, and the status is STARTED when it writes.
    app.sandbox.faults.inject({
      at: { statement: /^UPDATE STATE\.APP_STATE / },
      before: async () => {
        second = await call(1, "RESUME_CONNECTOR");
      },
    });
    const first = await call(0, "RESUME_CONNECTOR");
    expect(second).toEqual({ response_code: "OK", message: "Connector successfully resumed." });
    expect(first.response_code).toBe("INVALID_CONNECTOR_STATUS");
    expect(first.message).toContain("The connector status changed while RESUME_CONNECTOR was running (it was PAUSED when read)");
    expect(app.readStatus()).toEqual(STATUS("STARTED"));
    // The loser's write matched no row, and it ran no callback.
    const losing = app.sandbox.calls.filter((c) => c.procedure === "PUBLIC.RESUME_CONNECTOR" && c.depth === 1).at(-2)!;
    expect(losing.statements.map((s) => s.sql.replace(/\(.*$/s, "").split(" ").slice(0, 2).join(" "))).toEqual([
      "SELECT SYSTEM$HOLD_PRIVILEGE_ON_ACCOUNT",
      "CALL PUBLIC.RESUME_CONNECTOR_VALIDATE",
      "UPDATE STATE.APP_STATE",
    ]);
  });

  it("a resume held before its final write, while the status is changed under it, does not overwrite the change", async () => {
    app.writeStatus(STATUS("PAUSED"));
    let recovered: unknown;
    // Between STARTING and STARTED, RECOVER_CONNECTOR_STATE (another connection, over SQL)
    // moves the status to PAUSED; the resume's final write must then find nothing to update.
    app.sandbox.faults.inject({
      at: { statement: /^UPDATE STATE\.APP_STATE / },
      nth: 2,
      before: async () => {
        recovered = (await execute(connections[1], `CALL ${app.name}.PUBLIC.RECOVER_CONNECTOR_STATE('PAUSED')`)).rows[0].RECOVER_CONNECTOR_STATE;
      },
    });
    const answer = await call(0, "RESUME_CONNECTOR");
    expect(recovered).toEqual({ response_code: "OK", message: "Connector status recovered: it is now PAUSED." });
    expect(answer.response_code).toBe("UNKNOWN_ERROR");
    expect(answer.message).toContain("The connector status was changed by another call while RESUME_CONNECTOR was running");
    expect(app.readStatus()).toEqual(STATUS("PAUSED"));
  });
});

describe("a hundred concurrent resumes", () => {
  it("have exactly one winner, and the others are refused", async () => {
    app.writeStatus(STATUS("PAUSED"));
    const readsBefore = gateReads("RESUME_CONNECTOR");
    // The first four resumes (one a worker) each hold their STARTING write until all four have
    // read PAUSED: then one write wins and three must lose the compare-and-set, whatever the
    // scheduling. The other 96 wait for a worker and find the status already changed.
    for (let nth = 1; nth <= 4; nth++) {
      app.sandbox.faults.inject({
        at: { statement: /^UPDATE STATE\.APP_STATE / },
        nth,
        before: () => until(() => gateReads("RESUME_CONNECTOR") - readsBefore >= 4, "four resumes to read the status"),
      });
    }
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => call(i, "RESUME_CONNECTOR")));
    expect(winners(answers)).toHaveLength(1);
    const codes = new Set(answers.map((a) => a.response_code));
    for (const code of codes) expect(["OK", "INVALID_CONNECTOR_STATUS", "UNKNOWN_ERROR"]).toContain(code);
    const lostTheWrite = answers.filter((a) => a.message.includes("(it was PAUSED when read)"));
    expect(lostTheWrite.length).toBeGreaterThanOrEqual(3);
    expect(app.readStatus()).toEqual(STATUS("STARTED"));
  });
});

describe("a resume racing a pause", () => {
  const RACES = [
    { from: "PAUSED", held: "RESUME_CONNECTOR", heldAt: 1, winner: "RESUME_CONNECTOR", to: "STARTED" },
    { from: "STARTED", held: "PAUSE_CONNECTOR", heldAt: 1, winner: "PAUSE_CONNECTOR", to: "PAUSED" },
    { from: "PAUSED", held: "RESUME_CONNECTOR", heldAt: 2, winner: "RESUME_CONNECTOR", to: "STARTED" },
    { from: "STARTED", held: "PAUSE_CONNECTOR", heldAt: 2, winner: "PAUSE_CONNECTOR", to: "PAUSED" },
    { from: "STARTING", held: "RESUME_CONNECTOR", heldAt: 1, winner: "RESUME_CONNECTOR", to: "STARTED" },
    { from: "PAUSING", held: "PAUSE_CONNECTOR", heldAt: 2, winner: "PAUSE_CONNECTOR", to: "PAUSED" },
  ] as const;

  it.each(RACES)("from $from, with $held held at its write $heldAt while the other runs: exactly one winner", async (race) => {
    app.writeStatus(STATUS(race.from));
    const other = race.held === "RESUME_CONNECTOR" ? "PAUSE_CONNECTOR" : "RESUME_CONNECTOR";
    let otherAnswer: Answer | undefined;
    app.sandbox.faults.inject({
      at: { statement: /^UPDATE STATE\.APP_STATE / },
      nth: race.heldAt,
      before: async () => {
        otherAnswer = await call(1, other);
      },
    });
    const heldAnswer = await call(0, race.held);
    const answers = [heldAnswer, otherAnswer!];
    expect(winners(answers)).toHaveLength(1);
    expect((race.winner === race.held ? heldAnswer : otherAnswer)!.response_code).toBe("OK");
    expect(app.readStatus()).toEqual(STATUS(race.to));
  });

  it("unheld, twenty rounds in a row: one winner a round, and the status follows the winner", async () => {
    app.writeStatus(STATUS("PAUSED"));
    for (let round = 0; round < 20; round++) {
      const before = (app.readStatus() as { status: string }).status;
      const [resume, pause] = await Promise.all([call(2 * round, "RESUME_CONNECTOR"), call(2 * round + 1, "PAUSE_CONNECTOR")]);
      expect(winners([resume, pause]), `round ${round} from ${before}`).toHaveLength(1);
      expect(app.readStatus()).toEqual(STATUS(resume.response_code === "OK" ? "STARTED" : "PAUSED"));
    }
  });
});

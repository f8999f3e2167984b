/**
 * Prints what running procedures costs, through the real driver: an empty CALL, a statement
 * issued from inside a procedure against one sent by the session, a whole RESUME_CONNECTOR,
 * and how long another session waits for `SELECT 1` while a procedure loops.
 * Run with `npx tsx bench/measure-procedures.ts`. Prints only; nothing is asserted.
 */
import * as path from "node:path";
import { renderConnector } from "../generators/pipeline";
import { connect, destroy, execute } from "../snowflake/driver";
import { SandboxApp } from "../sandbox/app";
import { Sandbox } from "../sandbox/sandbox";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed(repeats: number, work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return median(times);
}

async function main(): Promise<void> {
  const sandbox = await Sandbox.start({ procedureTimeoutMs: 10_000 });
  const server = await sandbox.serve();
  const c = await connect({ ...server.connectionOptions() });
  const sql = (text: string) => execute(c, text);
  await sql("CREATE DATABASE M");
  await sql("CREATE PROCEDURE M.PUBLIC.EMPTY() RETURNS VARIANT LANGUAGE JAVASCRIPT AS $$ return 1; $$");
  await sql(
    "CREATE PROCEDURE M.PUBLIC.HUNDRED() RETURNS VARIANT LANGUAGE JAVASCRIPT AS $$ for (var i = 0; i < 100; i++) snowflake.execute({ sqlText: 'SELECT 1 AS ONE' }); return 1; $$",
  );
  await sql("CREATE PROCEDURE M.PUBLIC.LOOP() RETURNS VARIANT LANGUAGE JAVASCRIPT AS $$ while (true) {} $$");
  for (let i = 0; i < 5; i++) await sql("CALL M.PUBLIC.HUNDRED()");
  for (let i = 0; i < 50; i++) await sql("SELECT 1 AS ONE");

  const select = await timed(50, () => sql("SELECT 1 AS ONE"));
  const empty = await timed(50, () => sql("CALL M.PUBLIC.EMPTY()"));
  const hundredInside = await timed(10, () => sql("CALL M.PUBLIC.HUNDRED()"));
  const hundredOutside = await timed(10, async () => {
    for (let i = 0; i < 100; i++) await sql("SELECT 1 AS ONE");
  });
  process.stdout.write(`SELECT 1 from the session (driver round trip): ${select.toFixed(2)} ms\n`);
  process.stdout.write(`CALL of an empty procedure:                    ${empty.toFixed(2)} ms\n`);
  process.stdout.write(`100 statements inside one CALL:                ${hundredInside.toFixed(1)} ms (${(hundredInside / 100).toFixed(3)} ms a statement)\n`);
  process.stdout.write(`the same 100 statements from the session:      ${hundredOutside.toFixed(1)} ms (${(hundredOutside / 100).toFixed(3)} ms a statement)\n`);

  const other = await connect({ ...server.connectionOptions() });
  // Timed from before the CALL: with procedures on this thread, even the timer below would
  // wait for the loop to end.
  const started = performance.now();
  const looping = execute(c, "CALL M.PUBLIC.LOOP()").catch(() => undefined);
  await new Promise((r) => setTimeout(r, 200));
  await execute(other, "SELECT 1 AS ONE");
  process.stdout.write(`SELECT 1 from another session sent 200 ms into a loop: answered ${(performance.now() - started - 200).toFixed(1)} ms after it was sent\n`);
  await looping;
  await destroy(other);
  await destroy(c);
  await sandbox.close();

  const root = path.resolve(__dirname, "..");
  const rendered = await renderConnector({ name: "MEASURED", hooks: [path.join(root, "test", "fixtures", "hooks", "scripted.ts")], root });
  const app = await SandboxApp.start(rendered, { privileges: ["EXECUTE TASK"] });
  const resume = await timed(20, async () => {
    app.writeStatus({ status: "PAUSED", configurationStatus: "FINALIZED" });
    await app.call("RESUME_CONNECTOR");
  });
  process.stdout.write(`RESUME_CONNECTOR (5 statements, 2 nested calls): ${resume.toFixed(1)} ms\n`);
  await app.close();
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});

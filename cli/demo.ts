/**
 * `floe demo` (`npm start`): renders the example connector, installs it in the embedded sandbox
 * through snowflake-sdk and walks it from install to STARTED and back: prerequisites, configure,
 * connection, finalize, pause (refused, then granted EXECUTE TASK), pause, resume.
 */
import { renderConnector } from "../generators/pipeline";
import { quoteIdentifier } from "../lifecycle/sql-text";
import { SandboxApp } from "../sandbox/app";
import { loadDefinition, pc, step, type DefinitionOptions } from "./common";

interface Row {
  readonly step: string;
  readonly call: string;
  readonly answer: string;
  readonly status: string;
  /** The message of an answer other than OK, shown under its row. */
  readonly note?: string;
}

export async function demoCommand(options: DefinitionOptions): Promise<number> {
  const started = Date.now();
  const definition = loadDefinition(options);
  const rendered = await step(`rendering ${definition.name} (${hooksLabel(definition.hooks)})`, () => renderConnector(definition));
  // Installed without privileges, so the walk can show RESUME/PAUSE refusing to run without EXECUTE TASK.
  const app = await step("starting the sandbox and installing through snowflake-sdk (package, PUT, version, application)", () =>
    SandboxApp.start(rendered, { privileges: [] }),
  );
  const out = process.stdout;
  try {
    const rows: Row[] = [];
    const status = async (): Promise<string> => {
      const s = (await app.call("GET_CONNECTOR_STATUS")) as { status?: string; configurationStatus?: string };
      return `${s.status} / ${s.configurationStatus}`;
    };
    const run = async (label: string, procedure: string, args = "", binds: string[] = [], countStatements = false) => {
      const result = (await app.call(procedure, args, binds)) as { response_code?: string; message?: string };
      const ok = result.response_code === "OK";
      const count = app.lastCall(procedure)?.statements.length;
      const statements = countStatements && count !== undefined ? ` (${count} statement${count === 1 ? "" : "s"})` : "";
      rows.push({
        step: label,
        call: `CALL PUBLIC.${procedure}(${args === "" ? "" : "..."})`,
        answer: (ok ? pc.green("OK") : pc.yellow(String(result.response_code))) + statements,
        status: await status(),
        ...(ok ? {} : { note: String(result.message) }),
      });
    };

    rows.push({ step: "install", call: `CREATE APPLICATION ${app.name} ... (runs setup.sql)`, answer: pc.green("OK"), status: await status() });
    await run("prerequisites", "MARK_ALL_PREREQUISITES_AS_DONE");
    await run("configure", "CONFIGURE_CONNECTOR", "PARSE_JSON(?)", [JSON.stringify({ warehouse: "CONNECTOR_WH", destination_database: "ORDERS_DB" })]);
    await run("connection", "SET_CONNECTION_CONFIGURATION", "PARSE_JSON(?)", [JSON.stringify({ endpoint: "https://api.example.com", secret: "ORDERS_API_SECRET" })]);
    await run("finalize", "FINALIZE_CONNECTOR_CONFIGURATION", "PARSE_JSON(?)", [JSON.stringify({})]);
    await run("pause", "PAUSE_CONNECTOR", "", [], true);
    await app.query(`GRANT EXECUTE TASK ON ACCOUNT TO APPLICATION ${quoteIdentifier(app.name)}`);
    rows.push({ step: "grant", call: `GRANT EXECUTE TASK ON ACCOUNT TO APPLICATION ${app.name}`, answer: pc.green("OK"), status: await status() });
    await run("pause", "PAUSE_CONNECTOR", "", [], true);
    await run("resume", "RESUME_CONNECTOR", "", [], true);

    const width = (key: "step" | "call" | "answer") => Math.max(...rows.map((r) => stripColour(r[key]).length), key.length);
    const pad = (text: string, n: number) => text + " ".repeat(Math.max(0, n - stripColour(text).length));
    const widths = { step: width("step"), call: width("call"), answer: width("answer") };
    out.write(`\n${pc.bold(`${app.name}: install → configure → finalize → pause → resume, in the floe sandbox`)}\n\n`);
    out.write(pc.dim(`${pad("step", widths.step)}  ${pad("call", widths.call)}  ${pad("answer", widths.answer)}  status`) + "\n");
    for (const r of rows) {
      out.write(`${pad(r.step, widths.step)}  ${pad(r.call, widths.call)}  ${pad(r.answer, widths.answer)}  ${r.status}\n`);
      if (r.note !== undefined) out.write(pc.dim(`${" ".repeat(widths.step + 2)}└ ${r.note}`) + "\n");
    }
    const event = app.inspect("SELECT VALUE:event::STRING AS EVENT FROM STATE.APP_STATE WHERE KEY = 'last_lifecycle_event'");
    if (event.length > 0) out.write(`
The custom hooks ran: STATE.APP_STATE last_lifecycle_event = ${String(event[0][0])} (written by hooks/resume.ts).\n`);
    out.write(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s. Next: npm test, or npx floe simulate resume --help.\n`);
    return 0;
  } finally {
    await app.close();
  }
}

function hooksLabel(hooks: readonly string[] | undefined): string {
  return hooks === undefined || hooks.length === 0 ? "no hooks" : `hooks: ${hooks.map((h) => h.split(/[\\/]/).slice(-2).join("/")).join(", ")}`;
}

function stripColour(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, "");
}

/**
 * `floe demo` (`npm start`): renders the example connector, installs it in the embedded sandbox
 * through snowflake-sdk and walks the SDK's flow through its procedures: prerequisites (one
 * ticked off, then all, then the step completed), configure (refused once by the configure
 * hook), connection (the validator rewrites the configuration, TEST_CONNECTION answers),
 * finalize (refused once by VALIDATE_SOURCE, then the internal hook's answer), pause (refused
 * without EXECUTE TASK, then granted), pause, resume.
 */
import { renderConnector } from "../generators/pipeline";
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
      // An OK answer with a message (TEST_CONNECTION's, the finalize hook's) is shown too.
      const note = ok ? result.message : String(result.message);
      const count = app.lastCall(procedure)?.statements.length;
      const statements = countStatements && count !== undefined ? ` (${count} statement${count === 1 ? "" : "s"})` : "";
      rows.push({
        step: label,
        call: `CALL PUBLIC.${procedure}(${args === "" ? "" : "..."})`,
        answer: (ok ? pc.green("OK") : pc.yellow(String(result.response_code))) + statements,
        status: await status(),
        ...(note === undefined ? {} : { note }),
      });
    };

    const json = (value: unknown) => [JSON.stringify(value)];
    rows.push({ step: "install", call: `CREATE APPLICATION ${app.name} ... (runs setup.sql)`, answer: pc.green("OK"), status: await status() });
    const listed = await app.facade.prerequisites(app.name);
    rows.push({
      step: "prerequisites",
      call: "SELECT ... FROM PUBLIC.PREREQUISITES",
      answer: pc.green(`${listed.length} listed`),
      status: await status(),
      note: listed.join(", "),
    });
    await run("prerequisites", "UPDATE_PREREQUISITE", "?, TRUE", ["warehouse"]);
    await run("prerequisites", "MARK_ALL_PREREQUISITES_AS_DONE");
    await run("prerequisites", "COMPLETE_PREREQUISITES_STEP");
    await run("configure", "CONFIGURE_CONNECTOR", "PARSE_JSON(?)", json({ warehouse: "CONNECTOR_WH" }));
    await run("configure", "CONFIGURE_CONNECTOR", "PARSE_JSON(?)", json({ warehouse: "CONNECTOR_WH", destination_database: "ORDERS_DB" }));
    await run("connection", "SET_CONNECTION_CONFIGURATION", "PARSE_JSON(?)", json({ endpoint: "https://api.example.com/", secret: "ORDERS_API_SECRET", token: "pasted-by-mistake" }));
    const saved = (await app.call("GET_CONNECTION_CONFIGURATION")) as Record<string, unknown>;
    rows.push({ step: "connection", call: "CALL PUBLIC.GET_CONNECTION_CONFIGURATION()", answer: pc.green("OK"), status: await status(), note: `saved as rewritten by the validator: ${JSON.stringify({ ...saved, response_code: undefined })}` });
    await run("finalize", "FINALIZE_CONNECTOR_CONFIGURATION", "PARSE_JSON(?)", json({ resources: ["acme/orders", "not a resource"] }));
    await run("finalize", "FINALIZE_CONNECTOR_CONFIGURATION", "PARSE_JSON(?)", json({ resources: ["acme/orders", "acme/invoices"] }));
    await run("pause", "PAUSE_CONNECTOR", "", [], true);
    await app.facade.grantToApplication("EXECUTE TASK", app.name);
    rows.push({ step: "grant", call: `GRANT EXECUTE TASK ON ACCOUNT TO APPLICATION ${app.name}`, answer: pc.green("OK"), status: await status() });
    await run("pause", "PAUSE_CONNECTOR", "", [], true);
    await run("resume", "RESUME_CONNECTOR", "", [], true);

    const width = (key: "step" | "call" | "answer") => Math.max(...rows.map((r) => stripColour(r[key]).length), key.length);
    const pad = (text: string, n: number) => text + " ".repeat(Math.max(0, n - stripColour(text).length));
    const widths = { step: width("step"), call: width("call"), answer: width("answer") };
    out.write(`\n${pc.bold(`${app.name}: install → prerequisites → configure → connection → finalize → pause → resume, in the floe sandbox`)}\n\n`);
    out.write(pc.dim(`${pad("step", widths.step)}  ${pad("call", widths.call)}  ${pad("answer", widths.answer)}  status`) + "\n");
    for (const r of rows) {
      out.write(`${pad(r.step, widths.step)}  ${pad(r.call, widths.call)}  ${pad(r.answer, widths.answer)}  ${r.status}\n`);
      if (r.note !== undefined) out.write(pc.dim(`${" ".repeat(widths.step + 2)}└ ${r.note}`) + "\n");
    }
    const event = app.inspect("SELECT VALUE:event::STRING AS EVENT FROM STATE.APP_STATE WHERE KEY = 'last_lifecycle_event'");
    if (event.length > 0) out.write(`\nThe custom hooks ran: STATE.APP_STATE last_lifecycle_event = ${String(event[0][0])} (written by hooks/resume.ts).\n`);
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
  // eslint-disable-next-line no-control-regex -- ANSI colour codes begin with ESC (\u001b)
  return text.replace(/\u001b\[[0-9;]*m/g, "");
}

/**
 * Evaluating Pulumi programs in-process under mocks: every registered resource with its type,
 * name, parent and inputs; secrets and dynamic providers' code kept out; failures and hangs
 * reported as FloeError naming --program. (The example program, index.ts, is planned in
 * cli.test.ts, where the renderer is already warm.)
 */
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { FloeError } from "../../errors";
import { resourceGrants } from "../../generators/plan/grants";
import { evaluateProgram, REDACTED, type ProgramResource, type ProgramSnapshot } from "../../generators/plan/program";
import { FIXTURES } from "./helpers";

const PROGRAMS = path.join(FIXTURES, "programs");

function byName(program: ProgramSnapshot, name: string): ProgramResource {
  const found = program.resources.find((r) => r.name === name);
  if (found === undefined) throw new Error(`no resource ${name}; have ${program.resources.map((r) => r.name).join(", ")}`);
  return found;
}

/**
 * Runs `work` with the test runner's unhandled-rejection listeners set aside: a program failing
 * inside an Output rejects promises Pulumi never awaits, which the evaluator absorbs, but the
 * runner would report them as errors of the run.
 */
async function withoutRunnerRejectionListeners<T>(work: () => Promise<T>): Promise<T> {
  const listeners = process.listeners("unhandledRejection");
  process.removeAllListeners("unhandledRejection");
  try {
    return await work();
  } finally {
    await new Promise((r) => setTimeout(r, 300));
    for (const l of listeners) process.on("unhandledRejection", l);
  }
}

describe("evaluateProgram", () => {
  it("records every resource with type, name, parent and inputs; dynamic providers' code is left out", async () => {
    const program = await evaluateProgram(path.join(PROGRAMS, "grants-v1.ts"), { root: FIXTURES });
    expect(program.file).toBe("programs/grants-v1.ts");
    expect(program.resources.map((r) => `${r.type} ${r.name}`)).toEqual([
      "pulumi-nodejs:dynamic:Resource plan-execute-task",
      "snowflake:index/grantApplicationRole:GrantApplicationRole plan-admin",
      "floe:test:Connector plan",
      "snowflake:index/grantPrivilegesToAccountRole:GrantPrivilegesToAccountRole ingest-usage",
      "snowflake:index/warehouse:Warehouse ingest",
    ]);
    const component = byName(program, "plan");
    expect(component.custom).toBe(false);
    expect(component.parent).toBeNull();
    const dynamic = byName(program, "plan-execute-task");
    expect(dynamic.parent).toBe(component.key);
    expect(dynamic.key).toBe("floe:test:Connector$pulumi-nodejs:dynamic:Resource::plan-execute-task");
    expect(dynamic.inputs).toEqual({ application: "PLAN_APP", privilege: "EXECUTE TASK", connection: REDACTED });
    expect(JSON.stringify(dynamic.inputs)).not.toContain("__provider");
    expect(dynamic.providerHash).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.stringify(program)).not.toContain("hunter2");
    expect(byName(program, "ingest-usage").inputs).toEqual({ accountRoleName: "CONNECTOR_ADMIN", onAccountObject: { objectName: "INGEST_WH", objectType: "WAREHOUSE" }, privileges: ["USAGE"] });
  });

  it("waits for resources registered late, inside an apply", async () => {
    const program = await evaluateProgram(path.join(PROGRAMS, "grants-v2.ts"));
    expect(byName(program, "landing").inputs).toEqual({ name: "INGEST_WH_LANDING", comment: "plain-text password field" });
  });

  it("is deterministic across evaluations in one process", async () => {
    const first = await evaluateProgram(path.join(PROGRAMS, "grants-v1.ts"));
    const second = await evaluateProgram(path.join(PROGRAMS, "grants-v1.ts"));
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it("hides credentials passed as plain inputs", async () => {
    const program = await evaluateProgram(path.join(PROGRAMS, "plain-password.ts"));
    expect(byName(program, "plain").inputs).toEqual({ connection: { account: "ORG-ACCOUNT", user: "U", password: REDACTED, privateKey: REDACTED }, note: "kept" });
  });

  it("reports a program that throws, naming --program", async () => {
    const attempt = evaluateProgram(path.join(PROGRAMS, "throws.ts"));
    await expect(attempt).rejects.toThrow(FloeError);
    await expect(attempt).rejects.toThrow(/^--program: .*throws\.ts failed under Pulumi mocks: Missing required configuration variable 'snowflake:account'$/);
  });

  it("reports a program whose exported Output fails", async () => {
    await withoutRunnerRejectionListeners(async () => {
      await expect(evaluateProgram(path.join(PROGRAMS, "rejects.ts"))).rejects.toThrow(/--program: .*rejects\.ts failed under Pulumi mocks: the application name could not be derived/);
    });
  });

  it("gives up on a program that never settles", async () => {
    await expect(evaluateProgram(path.join(PROGRAMS, "hangs.ts"), { timeoutMs: 300 })).rejects.toThrow(/--program: .*hangs\.ts did not finish registering its resources within 0\.3 s/);
  });

  it("classifies grant resources: snowflake grant types and dynamic grants to the application", async () => {
    const program = await evaluateProgram(path.join(PROGRAMS, "grants-v1.ts"));
    const grants = program.resources.flatMap(resourceGrants).map((g) => `${g.target}: ${g.privilege}${g.on === "" ? "" : ` ON ${g.on}`} TO ${g.to}`);
    expect(grants).toEqual([
      "application: EXECUTE TASK ON ACCOUNT TO APPLICATION PLAN_APP",
      'account-role: APPLICATION ROLE "PLAN_APP"."ADMIN" TO ROLE CONNECTOR_ADMIN',
      "account-role: USAGE ON WAREHOUSE INGEST_WH TO ROLE CONNECTOR_ADMIN",
    ]);
    expect(resourceGrants(byName(program, "ingest"))).toEqual([]);
    expect(resourceGrants(byName(program, "plan"))).toEqual([]);
  });

  it("classifies ConnectorApp's own application-role grant", () => {
    const grant: ProgramResource = {
      key: "floe:connector:ConnectorApp$pulumi-nodejs:dynamic/floe:ApplicationRoleGrant::example-role-ADMIN-CONNECTOR_ADMIN",
      type: "pulumi-nodejs:dynamic/floe:ApplicationRoleGrant",
      name: "example-role-ADMIN-CONNECTOR_ADMIN",
      parent: "floe:connector:ConnectorApp::example",
      custom: true,
      inputs: { application: "EXAMPLE_CONNECTOR", applicationRole: "ADMIN", accountRole: "CONNECTOR_ADMIN" },
    };
    expect(resourceGrants(grant)).toEqual([
      { target: "account-role", privilege: "APPLICATION ROLE EXAMPLE_CONNECTOR.ADMIN", on: "", to: "ROLE CONNECTOR_ADMIN", source: "pulumi-nodejs:dynamic/floe:ApplicationRoleGrant example-role-ADMIN-CONNECTOR_ADMIN" },
    ]);
  });
});

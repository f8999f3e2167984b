/**
 * The app model is frozen all the way down: whatever reads it (renderers, the plan, the Pulumi
 * components) cannot change what the next reader sees.
 */
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import example from "../../connector";
import { buildModel, type AppModel, type GrantModel, type ProcedureModel } from "../../generators/model";

const ROOT = path.resolve(__dirname, "..", "..");
let model: AppModel;

beforeAll(() => {
  model = buildModel({ ...example, overrides: [{ procedure: "PUBLIC.RESUME_CONNECTOR_VALIDATE", file: path.join(ROOT, "test", "conformance", "fixtures", "validate.sql") }] });
});

describe("the app model", () => {
  it("refuses to grow or change its lists", () => {
    const grant: GrantModel = { privilege: "OWNERSHIP", on: "ACCOUNT", to: "ROLE INTRUDER", file: "setup.sql" };
    expect(() => (model.grants as GrantModel[]).push(grant)).toThrow(TypeError);
    expect(() => (model.privileges as { name: string }[]).pop()).toThrow(TypeError);
    expect(() => (model.roles as string[]).sort((a, b) => b.localeCompare(a))).toThrow(TypeError);
    expect(() => (model.warnings as string[]).splice(0)).toThrow(TypeError);
  });

  it("refuses changes to what its lists hold, at every depth", () => {
    const procedure = model.procedures[0] as { body: string; grants: string[]; args: { name: string }[]; origin: { kind: string } };
    expect(() => {
      procedure.body = "return 1;";
    }).toThrow(TypeError);
    expect(() => procedure.grants.push("INTRUDER")).toThrow(TypeError);
    expect(() => {
      (model.procedures.find((p) => p.args.length > 0) as { args: { name: string }[] }).args[0]!.name = "X";
    }).toThrow(TypeError);
    expect(() => {
      procedure.origin.kind = "override";
    }).toThrow(TypeError);
    const fileProcedures = model.files.find((f) => f.procedures.length > 0)!.procedures as ProcedureModel[];
    expect(() => fileProcedures.push(fileProcedures[0]!)).toThrow(TypeError);
    expect(() => {
      (model.overrides[0] as { content: string }).content = "";
    }).toThrow(TypeError);
    expect(() => {
      (model as { name: string }).name = "OTHER";
    }).toThrow(TypeError);
  });
});

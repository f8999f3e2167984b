/**
 * The app model is frozen all the way down: whatever reads it (renderers, the plan, the Pulumi
 * components) cannot change what the next reader sees.
 */
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import example from "../../connector";
import { buildModel, type AppModel, type GrantModel } from "../../generators/model";

const ROOT = path.resolve(__dirname, "..", "..");
let model: AppModel;

/** The model as a reader that ignores its readonly types would treat it. */
const writable = (value: unknown): any => value;

beforeAll(() => {
  model = buildModel({ ...example, overrides: [{ procedure: "PUBLIC.RESUME_CONNECTOR_VALIDATE", file: path.join(ROOT, "test", "conformance", "fixtures", "validate.sql") }] });
});

describe("the app model", () => {
  it("refuses to grow or change its lists", () => {
    const grant: GrantModel = { privilege: "OWNERSHIP", on: "ACCOUNT", to: "ROLE INTRUDER", file: "setup.sql" };
    expect(() => writable(model.grants).push(grant)).toThrow(TypeError);
    expect(() => writable(model.privileges).pop()).toThrow(TypeError);
    expect(() => writable(model.roles).sort()).toThrow(TypeError);
    expect(() => writable(model.warnings).splice(0)).toThrow(TypeError);
  });

  it("refuses changes to what its lists hold, at every depth", () => {
    const procedure = writable(model.procedures[0]);
    expect(() => {
      procedure.body = "return 1;";
    }).toThrow(TypeError);
    expect(() => procedure.grants.push("INTRUDER")).toThrow(TypeError);
    expect(() => {
      writable(model.procedures.find((p) => p.args.length > 0)).args[0].name = "X";
    }).toThrow(TypeError);
    expect(() => {
      procedure.origin.kind = "override";
    }).toThrow(TypeError);
    const fileProcedures = writable(model.files.find((f) => f.procedures.length > 0)!.procedures);
    expect(() => fileProcedures.push(fileProcedures[0])).toThrow(TypeError);
    expect(() => {
      writable(model.overrides[0]).content = "";
    }).toThrow(TypeError);
    expect(() => {
      writable(model).name = "OTHER";
    }).toThrow(TypeError);
  });
});

/**
 * Prerequisites declared in the connector definition: every refusal names the entry and field
 * at fault, and the seed statements render the same bytes for the same list.
 */
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { FloeError } from "../../errors";
import { buildModel } from "../../generators/model";
import { resolvePrerequisites } from "../../generators/prerequisites";
import { renderPrerequisites } from "../../generators/render";

const ROOT = path.resolve(__dirname, "..", "..");
const ok = { id: "role", title: "A role", description: "Create it." };

describe("prerequisites in the definition", () => {
  it("fill in the position from the order and keep links and custom properties (keys sorted)", () => {
    expect(resolvePrerequisites([ok, { ...ok, id: "secret", position: 7, guideUrl: "https://g", customProperties: { z: [1], a: { b: null } } }])).toEqual([
      { id: "role", title: "A role", description: "Create it.", learnMoreUrl: null, documentationUrl: null, guideUrl: null, position: 1, customProperties: null },
      { id: "secret", title: "A role", description: "Create it.", learnMoreUrl: null, documentationUrl: null, guideUrl: "https://g", position: 7, customProperties: '{"a":{"b":null},"z":[1]}' },
    ]);
    expect(resolvePrerequisites(undefined)).toBeUndefined();
    expect(resolvePrerequisites([])).toEqual([]);
  });

  it.each([
    [{ not: "a list" }, "[prerequisites] must be a list"],
    [["x"], "[prerequisites] entry 1 must be an object"],
    [[{ ...ok, id: "" }], "[prerequisites] entry 1: id must be a non-empty string"],
    [[{ ...ok, title: 3 }], "[prerequisites] entry 1: title must be a non-empty string, got 3."],
    [[ok, { ...ok }], "[prerequisites] entry 2: the id 'role' is already used by entry 1; ids must be unique."],
    [[{ ...ok, position: 1.5 }], "[prerequisites] entry 1 (role): position must be a whole number of 0 or more, got 1.5."],
    [[{ ...ok, customProperties: [1] }], "[prerequisites] entry 1 (role): customProperties must be a JSON object, got [1]."],
    [[{ ...ok, customProperties: { n: Infinity } }], "[prerequisites] entry 1 (role): customProperties holds Infinity, which JSON cannot represent."],
    [[{ ...ok, learnMoreURL: "x" }], "[prerequisites] entry 1 has an unknown field 'learnMoreURL'"],
  ])("refuses %j", (value, message) => {
    expect(() => resolvePrerequisites(value)).toThrow(FloeError);
    expect(() => resolvePrerequisites(value)).toThrow(message);
  });

  it("are refused when the prerequisites feature is left out", () => {
    expect(() => buildModel({ name: "X", root: ROOT, prerequisites: [ok], features: { prerequisites: false } })).toThrow(
      "[prerequisites] are declared, but the 'prerequisites' feature is left out",
    );
  });

  it("render a MERGE that keeps IS_COMPLETED and a DELETE of the undeclared, with every text through the one quoting path", () => {
    const lines = renderPrerequisites(resolvePrerequisites([{ ...ok, title: "it's \\ odd" }])!);
    const text = lines.join("\n");
    expect(text).toContain("SELECT 'role' AS ID, 'it\\'s \\\\ odd' AS TITLE,");
    expect(text).toMatch(/WHEN MATCHED THEN UPDATE SET (?![^\n]*IS_COMPLETED)[^\n]*POSITION = S\.POSITION\n/);
    expect(text).toContain("IS_COMPLETED) VALUES (S.ID, S.TITLE, S.DESCRIPTION, S.LEARNMORE_URL, S.DOCUMENTATION_URL, S.GUIDE_URL, S.CUSTOM_PROPERTIES, S.POSITION, FALSE);");
    expect(lines[lines.length - 1]).toBe("DELETE FROM STATE.PREREQUISITES WHERE ID NOT IN ('role');");
    expect(renderPrerequisites([])).toEqual(["-- Prerequisites declared in the connector definition. A consumer's IS_COMPLETED survives upgrades.", "DELETE FROM STATE.PREREQUISITES;"]);
  });
});

/**
 * The flow's storage in the SDK's layout, through snowflake-sdk in the sandbox: STATE.APP_CONFIG
 * with UPDATED_AT NOT NULL, the CONNECTOR_CONFIGURATION view with objects flattened, the
 * prerequisites table and view, and the seeding of the declared prerequisites across upgrades
 * (texts follow the definition, the consumer's IS_COMPLETED is kept, undeclared rows go).
 */
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConnectorDefinition } from "../../generators/definition";
import { renderConnector } from "../../generators/pipeline";
import { SandboxApp } from "../../sandbox/app";
import { deployBundle } from "../../snowflake/deploy";

const ROOT = path.resolve(__dirname, "..", "..");
const BASE: ConnectorDefinition = {
  name: "STORAGE",
  root: ROOT,
  prerequisites: [
    { id: "role", title: "A role", description: "Create the role." },
    { id: "secret", title: "A secret", description: "Create the secret.", learnMoreUrl: "https://l", customProperties: { step: 2 } },
    { id: "network", title: "A rule", description: "Create the network rule." },
  ],
};

let app: SandboxApp;
beforeAll(async () => {
  app = await SandboxApp.start(await renderConnector(BASE));
}, 60_000);
afterAll(() => app?.close());

const prerequisites = () => app.query(`SELECT * FROM ${app.name}.PUBLIC.PREREQUISITES`);

describe("STATE.APP_CONFIG and PUBLIC.CONNECTOR_CONFIGURATION", () => {
  it("refuses a configuration row without UPDATED_AT", () => {
    expect(() => app.inspect("INSERT INTO STATE.APP_CONFIG (KEY, VALUE) SELECT 'x', PARSE_JSON('1')")).toThrow(/NULL/i);
  });

  it("shows one row per field of each configuration object, and a value that is not an object as itself", async () => {
    app.writeConfig("connector_configuration", { warehouse: "WH", global_schedule: { scheduleType: "CRON" } });
    app.writeConfig("plain", "text");
    const rows = await app.query(`SELECT CONFIG_GROUP, CONFIG_KEY, VALUE, UPDATED_AT FROM ${app.name}.PUBLIC.CONNECTOR_CONFIGURATION ORDER BY CONFIG_GROUP, CONFIG_KEY`);
    expect(rows.map((r) => [r.CONFIG_GROUP, r.CONFIG_KEY, r.VALUE])).toEqual([
      ["connector_configuration", "global_schedule", '{"scheduleType":"CRON"}'],
      ["connector_configuration", "warehouse", "WH"],
      ["plain", "plain", "text"],
    ]);
    for (const r of rows) expect(r.UPDATED_AT).not.toBeNull();
  });
});

describe("the prerequisites", () => {
  it("are seeded at install, in position order, with the SDK's columns and IS_COMPLETED false", async () => {
    expect(await prerequisites()).toEqual([
      { ID: "role", TITLE: "A role", DESCRIPTION: "Create the role.", LEARNMORE_URL: null, DOCUMENTATION_URL: null, GUIDE_URL: null, CUSTOM_PROPERTIES: null, IS_COMPLETED: false },
      { ID: "secret", TITLE: "A secret", DESCRIPTION: "Create the secret.", LEARNMORE_URL: "https://l", DOCUMENTATION_URL: null, GUIDE_URL: null, CUSTOM_PROPERTIES: { step: 2 }, IS_COMPLETED: false },
      { ID: "network", TITLE: "A rule", DESCRIPTION: "Create the network rule.", LEARNMORE_URL: null, DOCUMENTATION_URL: null, GUIDE_URL: null, CUSTOM_PROPERTIES: null, IS_COMPLETED: false },
    ]);
  });

  it("follow the definition on upgrade: texts and order updated, new ones added, removed ones deleted, ticks kept", async () => {
    expect(await app.call("UPDATE_PREREQUISITE", "?, TRUE", ["secret"])).toMatchObject({ response_code: "OK" });
    expect(await app.call("UPDATE_PREREQUISITE", "?, TRUE", ["network"])).toMatchObject({ response_code: "OK" });
    const next = await renderConnector({
      ...BASE,
      prerequisites: [
        { id: "secret", title: "A secret with the token", description: "Create the secret.", position: 1 },
        { id: "role", title: "A role", description: "Create the role.", position: 2 },
        { id: "integration", title: "An integration", description: "Create the integration.", position: 3 },
      ],
    });
    await deployBundle(app.facade, next.bundle, { packageName: `${app.name}_PKG`, applicationName: app.name, version: next.model.version, privileges: [] });
    const rows = await prerequisites();
    expect(rows.map((r) => [r.ID, r.TITLE, r.IS_COMPLETED])).toEqual([
      ["secret", "A secret with the token", true],
      ["role", "A role", false],
      ["integration", "An integration", false],
    ]);
    expect(rows[0].LEARNMORE_URL).toBeNull();
    // Installing the same version again changes nothing: the seed is idempotent.
    const again = await renderConnector({ ...BASE, prerequisites: next.model.prerequisites!.map((p) => ({ id: p.id, title: p.title, description: p.description, position: p.position })) });
    await deployBundle(app.facade, again.bundle, { packageName: `${app.name}_PKG`, applicationName: app.name, version: again.model.version, privileges: [] });
    expect(await prerequisites()).toEqual(rows);
  });
});

describe("hostile prerequisite texts", () => {
  it("are seeded byte for byte through the one quoting path", async () => {
    const hostile = {
      id: "it's; DROP TABLE STATE.APP_STATE; --",
      title: "quote ' backslash \\ dollar $$ newline\n tab\t ünïcödé 🎉",
      description: "\\'; SELECT 1; '",
      customProperties: { "k'ey": "va\"l\\ue", nested: ["$$", "\u0000x"] },
    };
    const other = await SandboxApp.start(await renderConnector({ name: "HOSTILE_PREREQUISITES", root: ROOT, prerequisites: [hostile] }));
    try {
      const rows = await other.query(`SELECT ID, TITLE, DESCRIPTION, CUSTOM_PROPERTIES FROM ${other.name}.PUBLIC.PREREQUISITES`);
      expect(rows).toEqual([{ ID: hostile.id, TITLE: hostile.title, DESCRIPTION: hostile.description, CUSTOM_PROPERTIES: hostile.customProperties }]);
      expect(other.readStatus()).toEqual({ status: "CONFIGURING", configurationStatus: "INSTALLED" });
    } finally {
      await other.close();
    }
  });
});

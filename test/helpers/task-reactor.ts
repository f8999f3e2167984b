/**
 * The SDK-layout Task Reactor fixture (test/fixtures/task-reactor/sdk-layout.sql) added to a
 * rendered app, and its procedures: an instance in the SDK's layout, and the connector's
 * scheduler task. Used by the end-to-end tests and the sandbox benchmark.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { RenderedApp } from "../../generators/pipeline";
import { checkBundleSql, loadSqlParser } from "../../generators/sql-check";
import type { SandboxApp } from "../../sandbox/app";

const FIXTURE = path.resolve(__dirname, "..", "fixtures", "task-reactor", "sdk-layout.sql");
const BUNDLE_PATH = "test-fixtures/task-reactor.sql";

/** The rendered app plus the fixture file, run last by setup.sql; it must pass the same parser gate. */
export async function withTaskReactorFixture(app: RenderedApp): Promise<RenderedApp> {
  await loadSqlParser();
  const bundle = new Map(app.bundle);
  bundle.set(BUNDLE_PATH, fs.readFileSync(FIXTURE, "utf8"));
  bundle.set("setup.sql", `${bundle.get("setup.sql")}\nEXECUTE IMMEDIATE FROM '${BUNDLE_PATH}';\n`);
  const { problems } = checkBundleSql(bundle);
  if (problems.length > 0) throw new Error("the fixture bundle does not pass the parser gate:\n" + JSON.stringify(problems, null, 2));
  return { model: app.model, bundle };
}

/** Creates an SDK-layout instance: `schemaSql` as written in SQL, registered under `registeredAs`. */
export async function createInstance(app: SandboxApp, schemaSql: string, registeredAs = schemaSql, initialized = true): Promise<unknown> {
  return app.call("TR_FIXTURE_INSTANCE", "?, ?, ?", [schemaSql, registeredAs, initialized]);
}

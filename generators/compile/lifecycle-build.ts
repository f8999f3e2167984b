/**
 * Builds the lifecycle artifact (lifecycle-artifact.ts): the package build runs this once, a
 * checkout on first use. Loads the TypeScript compiler and esbuild, so nothing that renders
 * from an existing artifact imports it.
 *
 * 1. The checks: every lifecycle file type-checks under the procedure compiler options, and
 *    each entry's closure uses nothing a Snowflake procedure cannot run (procedure-code.ts).
 * 2. Each entry bundled with tree-shaking (bundle.ts); a body must be free of `$$` and compile.
 * 3. floe's fixed SQL through the grammar half of the parser gate, for every combination of the
 *    features that change a procedure body: the hashes of what passed go into the artifact.
 */
import { renderBundle } from "../render";
import { buildModel } from "../model";
import { PROCEDURES } from "../procedures";
import { checkByGrammar, sha256 } from "../sql-check";
import { setupRuleProblems } from "../setup-rules";
import { splitStatements } from "../../sql/lexer";
import { FEATURES } from "../features";
import { FloeError } from "../../errors";
import { TASKLESS_ENTRIES } from "../../lifecycle/procedures";
import { bundleLifecycleEntry } from "./bundle";
import { checkBodyCompiles } from "./check-body";
import { checkLifecycleEntry } from "./procedure-code";
import { sharedProject } from "./project";

/** Every entry point a procedure body is built from, the variants for apps without tasks included. */
export function lifecycleEntries(): string[] {
  const entries = new Set<string>(["defaultHookEntry"]);
  for (const spec of PROCEDURES) {
    if (spec.code.kind !== "entry") continue;
    entries.add(spec.code.entry);
    const taskless = TASKLESS_ENTRIES[spec.code.entry];
    if (taskless !== undefined) entries.add(taskless);
  }
  return [...entries].sort();
}

export function compileLifecycleEntries(): Record<string, { code: string; name: string }> {
  const project = sharedProject();
  const entries: Record<string, { code: string; name: string }> = {};
  for (const entry of lifecycleEntries()) {
    checkLifecycleEntry(project, entry);
    const bundled = bundleLifecycleEntry(entry);
    const name = bundled.names[entry];
    if (name === undefined) throw new FloeError(`internal error: the bundle of ${entry} does not export it.`);
    if (bundled.code.includes("$$")) throw new FloeError(`internal error: the bundle of lifecycle entry ${entry} contains '$$'.`);
    checkBodyCompiles(`${bundled.code}\nreturn ${name};`, `lifecycle entry ${entry}`);
    entries[entry] = { code: bundled.code, name };
  }
  return entries;
}

/** Renders floe's own SQL for every body-changing feature combination and gates it. */
export function gateFixedSql(): { files: string[]; statements: string[] } {
  const files = new Set<string>();
  const statements = new Set<string>();
  const everything = Object.fromEntries(FEATURES.map((f) => [f.name, true]));
  for (const task_reactor of [false, true]) {
    for (const scheduler of [false, true]) {
      for (const prerequisites of [undefined, []]) {
        const definition = { name: "FLOE_BUILD", features: { ...everything, task_reactor, scheduler }, ...(prerequisites === undefined ? {} : { prerequisites }) };
        const model = buildModel(definition, { cache: null });
        for (const [file, content] of renderBundle(model)) {
          if (!file.endsWith(".sql")) continue;
          let clean = setupRuleProblems(content).length === 0;
          for (const statement of splitStatements(content)) {
            const read = checkByGrammar(statement.text);
            if ("error" in read) throw new FloeError(`internal error: floe's own ${file} does not pass the gate: ${read.error}`);
            // A statement only the general parser can judge is left to the render-time gate.
            if (read.known === null) clean = false;
            else statements.add(sha256(statement.text));
          }
          // setup.sql names the connector: only the files that do not are floe's fixed text.
          if (clean && file !== "setup.sql") files.add(sha256(content));
        }
      }
    }
  }
  return { files: [...files].sort(), statements: [...statements].sort() };
}

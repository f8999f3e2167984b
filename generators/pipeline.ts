/**
 * The render pipeline: definition → model → bundle, with the parser gate. Used by `floe render`,
 * the plan, the sandbox and the Pulumi components, so they all deploy the same bytes.
 */
import { FloeError } from "../errors";
import type { ConnectorDefinition } from "./definition";
import { buildModel, type AppModel } from "./model";
import { renderBundle, type Bundle } from "./render";
import { checkBundleSql, loadSqlParser } from "./sql-check";

export interface RenderedApp {
  readonly model: AppModel;
  readonly bundle: Bundle;
}

/** Renders a connector and checks every statement; throws FloeError if one does not parse. */
export async function renderConnector(definition: ConnectorDefinition): Promise<RenderedApp> {
  const parserLoaded = loadSqlParser();
  const model = buildModel(definition);
  const bundle = renderBundle(model);
  await parserLoaded;
  const { problems } = checkBundleSql(bundle);
  if (problems.length > 0) {
    const list = problems.map((p) => `  ${p.file}:${p.line}: ${p.message}`).join("\n");
    throw new FloeError(`the rendered bundle has statements that do not parse:\n${list}`);
  }
  return { model, bundle };
}

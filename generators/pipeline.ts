/**
 * The render pipeline: definition → model → bundle, with the parser gate. Used by `floe render`,
 * the plan, the sandbox and the Pulumi components, so they all deploy the same bytes.
 */
import { floeFingerprint } from "./cache/fingerprint";
import { openCache, type CacheStore } from "./cache/store";
import { lifecycleArtifact } from "./compile/lifecycle-artifact";
import { resolveDefinition, type ConnectorDefinition } from "./definition";
import { FloeError } from "../errors";
import { buildModel, type AppModel } from "./model";
import { renderBundle, type Bundle } from "./render";
import { gateBundle } from "./sql-check";

export interface RenderedApp {
  readonly model: AppModel;
  readonly bundle: Bundle;
}

export interface RenderOptions {
  /** The cache of compiled hooks and gated statements; default the connector's, null for none. */
  readonly cache?: CacheStore | null;
}

/**
 * Renders a connector and checks every statement; throws FloeError if one does not parse.
 * Statements that passed before — floe's own fixed SQL when floe was built, the project's in an
 * earlier render (the cache) — are not checked again; the output is the same either way.
 */
export async function renderConnector(definition: ConnectorDefinition, options: RenderOptions = {}): Promise<RenderedApp> {
  const root = resolveDefinition(definition).root;
  const cache = options.cache === undefined ? openCache(root) : options.cache;
  const model = buildModel(definition, { cache });
  const bundle = renderBundle(model);
  const artifact = lifecycleArtifact(root);
  const problems = await gateBundle(bundle, {
    files: new Set(artifact.gated.files),
    statements: new Set(artifact.gated.statements),
    cache,
    fingerprint: floeFingerprint(),
  });
  if (problems.length > 0) {
    const list = problems.map((p) => `  ${p.file}:${p.line}: ${p.message}`).join("\n");
    throw new FloeError(`the rendered bundle has statements that do not parse:\n${list}`);
  }
  return { model, bundle };
}

/**
 * `floe/generators`: render a connector app from its definition.
 *
 * ```ts
 * import { renderConnector, writeBundle } from "floe/generators";
 * const { model, bundle } = await renderConnector(definition);
 * writeBundle(bundle, "build/app");
 * ```
 *
 * generators/ holds everything from a connector definition to its rendered files: the hooks
 * reader and compiler, the procedure table, the frozen model, the renderers and the offline plan.
 * May import: errors, lifecycle, sql.
 */
export { renderConnector, type RenderedApp } from "./pipeline";
export { buildModel, type AppModel, type ProcedureModel, type GrantModel, type SqlFileModel, type OverrideModel } from "./model";
export { renderBundle, writeBundle, type Bundle } from "./render";
export { checkBundleSql, loadSqlParser } from "./sql-check";
export { readHooksFile, readHooksFiles, type CompiledHook } from "./hooks";
export { FEATURES, selectFeatures, type FeatureName } from "./features";
export { PROCEDURES } from "./procedures";
export { FloeError, SourceError } from "../errors";

/**
 * `floe simulate --watch`: the simulation again on every save of the connector or its hooks,
 * in one process (cli/watch.ts), each round in a fresh sandbox so that no round sees another's
 * state. Each round prints the simulation's usual report (or JSON line) after a header line.
 */
import * as path from "node:path";
import { resolveDefinition } from "../generators/definition";
import { loadConnector, pc } from "./common";
import type { SimulateOptions } from "./simulate";
import { forgetConnector, watch } from "./watch";

export async function watchSimulation(action: string, options: SimulateOptions, simulate: (action: string, options: SimulateOptions) => Promise<number>): Promise<number> {
  const { file } = loadConnector(options);
  const inputsNow = () => {
    const { definition } = loadConnector(options);
    const resolved = resolveDefinition(definition);
    return [file, ...resolved.hooks, ...resolved.overrides.map((o) => o.file), ...(definition.templatesDir === undefined ? [] : [resolved.templatesDir])];
  };
  return watch({
    inputs: inputsNow,
    run: async (round, changed) => {
      if (changed.includes(file)) forgetConnector(file);
      const header = `simulation ${round}${changed.length > 0 ? ` after a save of ${changed.map((f) => path.relative(process.cwd(), f) || f).join(", ")}` : ""}`;
      process.stderr.write(pc.bold(header) + "\n");
      await simulate(action, { ...options, watch: false });
    },
  });
}

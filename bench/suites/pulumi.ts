/**
 * The real Pulumi engine deploying the example connector into a fresh sandbox over HTTP (the
 * stack of test/pulumi-engine): wall time, statements and logins of the first `pulumi up --yes`
 * and of a `pulumi up --yes` after one hook changed.
 *
 * Baselines, in the same process: for the first up, the same deployment made directly through
 * floe's facade over one snowflake-sdk session (SandboxApp.start: no engine, no program, no
 * provider processes); for the hook change, a `pulumi up --yes` that changes nothing (the
 * engine's fixed cost: run the program, diff every resource).
 *
 * Needs a Pulumi CLI (a pulumi on PATH, or npm run pulumi:install); without one the suite says
 * so and reports nothing.
 */
import example from "../../connector";
import { renderConnector } from "../../generators/pipeline";
import { SandboxApp } from "../../sandbox/app";
import { findPulumi } from "../../test/helpers/pulumi-cli";
import { EngineStack } from "../../test/pulumi-engine/stack";
import { median, timeIt, type BenchRow, type BenchSuite } from "../harness";

interface Measured {
  readonly seconds: number;
  readonly statements: number;
  readonly logins: number;
}

async function measure(stack: EngineStack, args: readonly string[]): Promise<Measured> {
  const mark = stack.received.length;
  const run = await stack.must(args);
  return { seconds: run.milliseconds / 1000, statements: stack.statementsSince(mark).length, logins: stack.loginsSince(mark) };
}

function row(label: string, runs: readonly Measured[], baseline?: { readonly what: string; readonly seconds: number }): BenchRow {
  const statements = [...new Set(runs.map((r) => r.statements))].join("/");
  const logins = [...new Set(runs.map((r) => r.logins))].join("/");
  return { case: label, seconds: median(runs.map((r) => r.seconds)), ...(baseline === undefined ? {} : { baseline: baseline.what, baselineSeconds: baseline.seconds }), note: `${statements} statements, ${logins} logins` };
}

export const suite: BenchSuite = {
  name: "pulumi (the real engine against the sandbox)",
  async run({ repeats }) {
    const cli = findPulumi();
    if (cli === null) {
      process.stderr.write("  no Pulumi CLI (a pulumi on PATH, or npm run pulumi:install): skipped\n");
      return [];
    }
    const first: Measured[] = [];
    const hook: Measured[] = [];
    const unchanged: Measured[] = [];
    for (let i = 0; i < repeats; i++) {
      const stack = await EngineStack.create(cli);
      try {
        first.push(await measure(stack, ["up", "--yes", "--non-interactive"]));
        stack.editProject("hooks/resume.ts", (text) => text.replace('return ok("Ingestion resumed.");', `return ok("Ingestion resumed (bench ${i}).");`));
        hook.push(await measure(stack, ["up", "--yes", "--non-interactive"]));
        unchanged.push(await measure(stack, ["up", "--yes", "--non-interactive"]));
      } finally {
        await stack.close();
      }
    }
    const rendered = await renderConnector(example);
    const direct = await timeIt(repeats, async () => (await SandboxApp.start(rendered)).close());
    return [
      row(`first pulumi up --yes (${cli.version}, 18 resources)`, first, { what: "the same deployment through floe's facade, one session, no engine", seconds: direct }),
      row("pulumi up --yes after one hook changed", hook, { what: "pulumi up --yes with nothing to change", seconds: median(unchanged.map((r) => r.seconds)) }),
      row("pulumi up --yes with nothing to change", unchanged),
    ];
  },
};

/**
 * The floe command line. Run with `npx floe <command>` (or `npm run floe -- <command>` inside
 * this repository).
 *
 * cli/ holds the `floe` commands, at the top of floe's import order. May import: errors,
 * lifecycle, sql, generators, snowflake, components, sandbox.
 */
import { Command, Option } from "commander";
import { floeVersion } from "../generators/floe-root";
import { runCommand } from "./common";

// Commands load their modules when they run, so `floe --help` does not load TypeScript, DuckDB
// and the Snowflake driver.
/* eslint-disable @typescript-eslint/no-require-imports -- each command loads its modules when it runs (above) */
const commands = {
  render: () => require("./render") as typeof import("./render"),
  sandbox: () => require("./sandbox") as typeof import("./sandbox"),
  simulate: () => require("./simulate") as typeof import("./simulate"),
  demo: () => require("./demo") as typeof import("./demo"),
  plan: () => require("./plan") as typeof import("./plan"),
  init: () => require("./init") as typeof import("./init"),
};
/* eslint-enable @typescript-eslint/no-require-imports */

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function buildProgram(): Command {
  const program = new Command();
  program
    .name("floe")
    .description("Snowflake Native App connectors as code: render, simulate and plan connector apps built on the Native SDK for Connectors lifecycle.")
    .version(floeVersion(), "-v, --version")
    .showHelpAfterError()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .exitOverride((err) => {
      // commander exits 1 on bad arguments already; keep 0 for --help/--version.
      process.exit(err.exitCode);
    });

  program
    .command("render")
    .description("Render the Native App bundle: setup.sql, manifest.yml and the SQL files, with hook procedures compiled from TypeScript.")
    .option("--hooks <file>", "hooks file (repeatable); default: the connector's hooks", collect)
    .option("--connector <file>", "connector definition (default: ./connector.ts)")
    .addOption(new Option("--out <dir>", "output directory").default("build/app"))
    .option("--watch", "render again on every save of the connector, its hooks, overrides and templates, printing what changed")
    .action((options: { hooks?: string[]; connector?: string; out: string; watch?: boolean }) => runCommand(() => commands.render().renderCommand(options)));

  program
    .command("sandbox")
    .description("Serve the embedded Snowflake sandbox on 127.0.0.1 to snowflake-sdk until interrupted, printing the connection settings.")
    .option("--port <port>", "port to listen on (default: a random free port)")
    .action((options: { port?: string }) => runCommand(() => commands.sandbox().sandboxCommand(options)));

  program
    .command("simulate")
    .description("Render the app, install it in a fresh sandbox, call RESUME_CONNECTOR or PAUSE_CONNECTOR through snowflake-sdk and show its phases and outcome.")
    .argument("<action>", "resume or pause")
    .option("--hooks <file>", "hooks file (repeatable); default: the connector's hooks", collect)
    .option("--connector <file>", "connector definition (default: ./connector.ts)")
    .option("--status <status>", "connector status before the call, or MISSING for no status row (default: PAUSED for resume, STARTED for pause)")
    .option("--configuration-status <status>", "configuration status before the call (default: FINALIZED)")
    .option("--without-privilege <privilege>", 'do not grant this manifest privilege, e.g. "EXECUTE TASK" (repeatable)', collect)
    .option("--json", "print exactly one JSON object: {response, status, statements}")
    .option("--watch", "simulate again, in a fresh sandbox, on every save of the connector or its hooks")
    .action((action: string, options: { hooks?: string[]; connector?: string; status?: string; configurationStatus?: string; withoutPrivilege?: string[]; json?: boolean; watch?: boolean }) =>
      runCommand(() => commands.simulate().simulateCommand(action, options)),
    );

  program
    .command("plan")
    .description("Show what a change does to the account: procedure bodies line by line, grants, privileges, SQL files and Pulumi resources, against a git ref or a snapshot.")
    .option("--hooks <file>", "hooks file (repeatable); default: the connector's hooks", collect)
    .option("--connector <file>", "connector definition (default: ./connector.ts)")
    .option("--program <file>", "Pulumi program evaluated under mocks (default: index.ts beside the connector, when it exists)")
    .option("--no-program", "do not evaluate the Pulumi program")
    .option("--program-timeout <seconds>", "how long the program may take under mocks before it counts as hanging (default: 60)")
    .option("--base <ref|dir>", "git ref to compare with (rendered in a temporary worktree), or a snapshot directory")
    .option("--save <dir>", "write the snapshot of this state to DIR/snapshot.json")
    .addOption(new Option("--format <format>", "report format (default: terminal)").choices(["terminal", "markdown", "json"]))
    .addOption(new Option("--fail-on <kind>", "exit 2 when the plan has such a change").choices(["privileges", "grants", "any"]))
    .option("--out <file>", "write the report to FILE instead of stdout")
    .action((options: import("./plan").PlanOptions) => runCommand(() => commands.plan().planCommand(options)));

  program
    .command("init")
    .description("Scaffold a connector repository: connector.ts, typed hooks, the Pulumi program, a strict tsconfig, a pull-request plan workflow and package.json. Never overwrites a file.")
    .argument("[dir]", "directory to create or fill (default: the current directory)")
    .option("--name <name>", "the connector's name, an identifier (default: from the directory's name)")
    .option("--floe <spec>", "how package.json depends on floe: a version range, a file: or git spec, or a path to a floe tarball (default: ^<this version>, or what package.json already has)")
    .option("--force", "add the scaffold to a directory that holds other files; existing files are kept and listed")
    .action((dir: string | undefined, options: { name?: string; floe?: string; force?: boolean }) => runCommand(() => commands.init().initCommand(dir, options)));

  program
    .command("demo")
    .description("The main job of `npm start`: render the example connector, install it in the sandbox and walk it from install to STARTED, pause and resume.")
    .option("--hooks <file>", "hooks file (repeatable); default: the connector's hooks", collect)
    .option("--connector <file>", "connector definition (default: ./connector.ts)")
    .action((options: { hooks?: string[]; connector?: string }) => runCommand(() => commands.demo().demoCommand(options)));

  return program;
}

/** Runs the command line with the process's arguments (bin/floe.js and `tsx cli/floe.ts`). */
export function main(argv: readonly string[] = process.argv): void {
  buildProgram()
    .parseAsync([...argv])
    .catch((e: unknown) => {
      process.stderr.write(String(e) + "\n");
      process.exitCode = 1;
    });
}

if (require.main === module) main();

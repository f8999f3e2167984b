/** `floe sandbox`: serves the embedded Snowflake sandbox to snowflake-sdk until interrupted. */
import { FloeError } from "../errors";
import type { Sandbox } from "../sandbox/sandbox";
import { pc } from "./common";

/** A failure to listen, as the user can act on it. */
function listenFailure(error: unknown, port: number): Error {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === "EADDRINUSE") return new FloeError(`--port ${port}: the port is already in use on 127.0.0.1 (another sandbox, or another program). Choose another port, or leave --port out for a free one.`);
  if (code === "EACCES" || code === "EPERM") return new FloeError(`--port ${port}: this user may not listen on that port (ports below 1024 need privileges). Choose a port from 1024 to 65535, or leave --port out.`);
  return error instanceof Error ? error : new Error(String(error));
}

export async function sandboxCommand(options: { port?: string }): Promise<number> {
  const port = options.port === undefined ? 0 : Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new FloeError(`--port must be a port number (0-65535), got ${JSON.stringify(options.port)}.`);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Sandbox: SandboxClass } = require("../sandbox/sandbox") as typeof import("../sandbox/sandbox");
  const sandbox = await SandboxClass.start();
  let server: Awaited<ReturnType<Sandbox["serve"]>>;
  try {
    server = await sandbox.serve(port);
  } catch (e) {
    await sandbox.close();
    throw listenFailure(e, port);
  }
  const settings = server.connectionOptions();
  process.stdout.write(
    `${pc.bold("floe sandbox")} listening on ${server.url}\n` +
      "Connect with snowflake-sdk:\n" +
      `  snowflake.createConnection(${JSON.stringify(settings)})\n` +
      "Any account, user and password are accepted. Press Ctrl+C to stop.\n",
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await sandbox.close();
  process.stdout.write("sandbox stopped\n");
  return 0;
}

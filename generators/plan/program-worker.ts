/**
 * The child process in which `floe plan` evaluates a Pulumi program (see program.ts for why).
 * It receives one WorkerRequest over IPC, answers with one WorkerReply and exits. Whatever the
 * program does, the answer names it: an exception, a rejection, `process.exit`, a time limit.
 * Only a process killed from outside (or one that kills itself) leaves the parent to report its
 * exit code or signal.
 */
import { redactText } from "../../errors/redact";
import { ensureTypeScriptRequire, evaluateInThisProcess, type WorkerReply, type WorkerRequest } from "./program";

const exit = process.exit.bind(process);

function reply(message: WorkerReply, secrets: readonly string[], then: () => void): void {
  const safe: WorkerReply = message.kind === "failed" ? { kind: "failed", message: redactText(message.message, secrets) } : message;
  const send = process.send?.bind(process);
  if (send === undefined) exit(2);
  // What the program printed goes out first, so the parent has it when the answer arrives.
  else process.stdout.write("", () => process.stderr.write("", () => send(safe, then)));
}

// The parent went away (floe ended or was killed): nobody waits for an answer.
process.on("disconnect", () => exit(1));

let current: WorkerRequest | undefined;
let answered = true;

function answer(message: WorkerReply): void {
  if (answered || current === undefined) return;
  answered = true;
  // After a success the worker waits for the next program; after a failure it is done.
  reply(message, current.secrets, message.kind === "done" ? () => undefined : () => exit(1));
}

// The program must not end the process before floe has its answer: process.exit becomes a
// reported failure, whatever the code it was given.
process.exit = ((code?: number | string | null) => {
  const shown = current?.shown ?? "the program";
  answer({
    kind: "failed",
    message: `--program: ${shown} called process.exit(${code === undefined ? "" : JSON.stringify(code)}) before it finished registering its resources; nothing was planned.`,
  });
  // Stop the program here: the answer is on its way, and its next statement must not run.
  throw new Error(`process.exit(${code ?? ""}) called by the program`);
}) as typeof process.exit;

process.on("message", (request: WorkerRequest) => {
  current = request;
  answered = false;
  ensureTypeScriptRequire();
  // Pulumi is loaded before the clock starts: on a busy machine that alone takes seconds.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require("@pulumi/pulumi");
  process.send?.({ kind: "started" } satisfies WorkerReply);
  evaluateInThisProcess(request).then(
    (snapshot) => answer({ kind: "done", snapshot }),
    (e: unknown) => answer({ kind: "failed", message: e instanceof Error ? e.message : String(e) }),
  );
});

import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import type { CommandName, Commands, Reply, World } from "./protocol.js";
import { profileFlags } from "./server.js";

/** The runner's handle on the fake Band child process: typed commands over IPC. */
export class FakeBandProcess {
  #nextId = 0;
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  #world: World | undefined;

  private constructor(private readonly child: ChildProcess) {
    child.on("message", (reply: Reply | { ready: true }) => {
      if ("id" in reply) this.#settle(reply);
    });
  }

  static async start(): Promise<FakeBandProcess> {
    const child = fork(join(import.meta.dirname, "fake-band-process.ts"), [], { execArgv: ["--import", "tsx", ...profileFlags()], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    await new Promise<void>((resolve, reject) => {
      child.once("message", () => resolve());
      child.once("exit", (code) => reject(new Error(`fake Band process exited early (${code})`)));
    });
    const handle = new FakeBandProcess(child);
    handle.#world = await handle.send("world", {});
    return handle;
  }

  get world(): World {
    return this.#world!;
  }

  get pid(): number {
    return this.child.pid!;
  }

  send<C extends CommandName>(command: C, args: Commands[C]["args"]): Promise<Commands[C]["result"]> {
    const id = ++this.#nextId;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ id, command, args });
    });
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.disconnect();
    await exited;
  }

  #settle(reply: Reply): void {
    const waiter = this.#pending.get(reply.id);
    if (!waiter) return;
    this.#pending.delete(reply.id);
    if (reply.ok) waiter.resolve(reply.result);
    else waiter.reject(new Error(`fake Band: ${reply.error}`));
  }
}

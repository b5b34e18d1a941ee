import type { Readable, Writable } from "node:stream";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { serializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";

/**
 * The SDK's stdio transport, with its writes gathered per event-loop turn. Why: a pipe write is a synchronous
 * syscall on Linux, and the SDK writes each message alone; when a burst of acks completes (one HTTP answer per
 * callback, all in the same poll phase) that was one syscall per response, about a fifth of the server's CPU
 * in `npm run bench` throughput. Messages still go out in order, right after the poll phase that produced them
 * (setImmediate), so latency grows by microseconds, not milliseconds; send() resolves once its batch is handed
 * to stdout (or, under back-pressure, once stdout drains), as the SDK's does for a single message.
 */
export class BatchedStdioServerTransport extends StdioServerTransport {
  readonly #stdout: Writable;
  #batch: string[] = [];
  #flushed: Promise<void> | undefined;

  constructor(stdin: Readable = process.stdin, stdout: Writable = process.stdout) {
    super(stdin, stdout);
    this.#stdout = stdout;
  }

  override send(message: JSONRPCMessage): Promise<void> {
    this.#batch.push(serializeMessage(message));
    this.#flushed ??= new Promise((resolve) => setImmediate(() => this.#flush(resolve)));
    return this.#flushed;
  }

  #flush(resolve: () => void): void {
    const text = this.#batch.length === 1 ? this.#batch[0]! : this.#batch.join("");
    this.#batch = [];
    this.#flushed = undefined;
    if (this.#stdout.write(text)) resolve();
    else this.#stdout.once("drain", resolve);
  }
}

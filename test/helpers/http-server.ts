import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

export const CLI = join(import.meta.dirname, "../../dist/cli.js");

export interface RunningServer {
  /** The MCP endpoint the server printed, e.g. http://127.0.0.1:PORT/mcp. */
  url: string;
  /** The server's origin, for /health. */
  base: string;
  child: ChildProcess;
  stderr(): string;
  exited: Promise<number | null>;
}

/** Spawns the built bin with `--http --port 0` and reads the bound address from its stderr. */
export async function spawnHttpServer(env: Record<string, string>, args: string[] = []): Promise<RunningServer> {
  const child = spawn(process.execPath, [CLI, "--http", "--port", "0", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  let stdout = "";
  child.stdout!.on("data", (c) => (stdout += c));
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 10_000);
    child.stderr!.on("data", (chunk) => {
      stderr += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${stderr}${stdout}`));
    });
  });
  return { url, base: new URL(url).origin, child, stderr: () => stderr, exited };
}

/** An MCP client over the SDK's Streamable HTTP client transport, optionally sending the bearer token. */
export async function connectHttp(url: string, token?: string): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(url), token ? { requestInit: { headers: { authorization: `Bearer ${token}` } } } : {});
  const client = new Client({ name: "e2e-http", version: "1.0.0" });
  await client.connect(transport);
  return { client, transport };
}

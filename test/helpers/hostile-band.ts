import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What the hostile Band does with one request: the fake Band speaks Band's spec; this one breaks it on purpose. */
export interface HostileAnswer {
  status?: number;
  headers?: Record<string, string>;
  /** The body as sent (no envelope, no content type unless given). */
  body?: string;
  /** Instead of body: this many bytes of filler, streamed. */
  bytes?: number;
  /** Never answer (the connection stays open until the server closes). */
  silent?: boolean;
}

export interface HostileBand {
  url: string;
  requests: { method: string; path: string }[];
  close(): Promise<void>;
}

/** A raw HTTP server on 127.0.0.1 that answers every request as `answer` says: huge, non-JSON, slow or silent. */
export async function startHostileBand(answer: (req: IncomingMessage) => HostileAnswer): Promise<HostileBand> {
  const requests: HostileBand["requests"] = [];
  const open = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? "GET", path: req.url ?? "/" });
    req.resume();
    const reply = answer(req);
    if (reply.silent) {
      open.add(res);
      return;
    }
    res.writeHead(reply.status ?? 200, reply.headers ?? {});
    if (reply.bytes === undefined) {
      res.end(reply.body ?? "");
      return;
    }
    const chunk = Buffer.alloc(64 * 1024, "x");
    let left = reply.bytes;
    const pump = () => {
      while (left > 0) {
        const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
        left -= piece.length;
        if (!res.write(piece)) return void res.once("drain", pump);
      }
      res.end();
    };
    res.on("error", () => undefined);
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async close() {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

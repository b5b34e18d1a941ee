import { createServer, type Server } from "node:http";
import { connect, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export interface Tunnel {
  /** host:port the client asked to CONNECT to. */
  target: string;
  /** The first request line the client sent through the tunnel, e.g. "GET /api/v1/agent/me HTTP/1.1". */
  firstLine: string;
}

export interface ConnectProxy {
  url: string;
  tunnels: Tunnel[];
  close(): Promise<void>;
}

/** A minimal HTTP CONNECT proxy that pipes tunnels to their target and records what went through. */
export async function startConnectProxy(): Promise<ConnectProxy> {
  const tunnels: Tunnel[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((_req, res) => {
    res.writeHead(405).end("CONNECT only");
  });
  server.on("connect", (req, client: Socket, head: Buffer) => {
    sockets.add(client);
    const [host, port] = (req.url ?? "").split(":");
    const tunnel: Tunnel = { target: req.url ?? "", firstLine: "" };
    tunnels.push(tunnel);
    const upstream = connect(Number(port), host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length) upstream.write(head);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    sockets.add(upstream);
    client.once("data", (chunk: Buffer) => (tunnel.firstLine = chunk.toString("latin1").split("\r\n")[0] ?? ""));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    upstream.on("error", end);
    client.on("error", end);
    client.on("close", end);
    upstream.on("close", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tunnels,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

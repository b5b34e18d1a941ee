import type { IncomingMessage, ServerResponse } from "node:http";
import type { App } from "../app.js";
import type { RestReply } from "../hub/errors.js";
import { chatTranscript, sendMessage, sendSync } from "../hub/rest.js";
import { decodeSegment, readJson, sendJson, sendRestError } from "./io.js";

/** REST bodies carry one message (16,384 characters at most) and a few fields. */
const MAX_REST_BODY_BYTES = 256 * 1024;
const TRANSCRIPT_PATH = /^\/chats\/([^/]+)\/transcript$/;

/** The hub's REST surface over HTTP: `rest` is the path after `/agents/<label>`; the answers come from hub/rest. */
export async function serveRest(app: App, rest: string, req: IncomingMessage, res: ServerResponse, stopping: AbortSignal): Promise<void> {
  const gone = new AbortController();
  const written = new Promise<boolean>((resolve) => {
    res.once("finish", () => resolve(true));
    res.once("close", () => {
      // The client went away before its answer: whatever it was waiting for is cancelled.
      if (!res.writableFinished) gone.abort();
      resolve(res.writableFinished);
    });
  });
  const reply = async (answer: RestReply) => {
    sendJson(res, answer.status, answer.body);
    if ("after" in answer && answer.after) await answer.after(await written);
  };
  const transcript = TRANSCRIPT_PATH.exec(rest);
  if (transcript && req.method === "GET") return reply(await chatTranscript(app, decodeSegment(transcript[1]!)));
  if (req.method === "POST" && (rest === "/messages" || rest === "/messages/sync")) {
    const body = await readJson(req, MAX_REST_BODY_BYTES);
    if (!body.ok) {
      return sendRestError(res, body.tooLarge ? 413 : 400, body.tooLarge ? "too_large" : "bad_json", `${body.message} Send one JSON object: {"chat_id", "content", "mentions"}.`);
    }
    return reply(rest === "/messages" ? await sendMessage(app, body.value) : await sendSync(app, body.value, { gone: gone.signal, stopping }));
  }
  return sendRestError(res, 404, "not_found", `Not found: ${req.method} ${rest || "/"} for an agent. Use POST …/messages, POST …/messages/sync, GET …/chats/<chat_id>/transcript, or …/mcp.`);
}

import { z } from "zod";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { postMessage } from "../agent/send.js";
import type { App } from "../app.js";
import { resolveMentions, type MentionRef } from "../band/mentions.js";
import { isApprover, parseVerdict, permissionRequest, requestText, type PermissionRequest } from "../channel/permission.js";
import type { InboxMessage } from "../inbox/live.js";
import type { LiveService } from "../inbox/service.js";
import { RecentIds } from "../recent-ids.js";

const PERMISSION_REQUEST = "notifications/claude/channel/permission_request";
const PERMISSION_VERDICT = "notifications/claude/channel/permission";

/** Requests remembered at once: the oldest is forgotten beyond this (its terminal dialog still works). */
const OPEN_REQUESTS = 100;

export interface PermissionRelay {
  /** Takes an approver's answer to a request we posted (true: it is the verdict; the inbox view settles it, unpushed). */
  takeAnswer(message: InboxMessage): boolean;
}

/**
 * Claude Code's permission prompts, relayed to Band: each request is posted in a chat, mentioning the
 * approvers there, and the first approver's `yes|no <id>` becomes the verdict. `whereToAsk` names the chat:
 * BAND_PERMISSION_CHAT_ID, or the chat of the latest push.
 */
export function relayPermissions(server: McpServer, app: App, live: LiveService, whereToAsk: () => string | undefined): PermissionRelay {
  const { approvers } = app.config.permission;
  /** Posted requests; answered ones stay a while, so a second answer is settled, not pushed as chat. */
  const asked = new RecentIds(OPEN_REQUESTS);
  const answered = new RecentIds(OPEN_REQUESTS);

  const ask = async (request: PermissionRequest) => {
    const chatId = whereToAsk();
    const agent = live.status().agent;
    if (!chatId || !agent || !app.agent) {
      app.log.warn(`permission request ${request.request_id} not posted on Band: no chat to ask in yet (set BAND_PERMISSION_CHAT_ID); answer it in the terminal`);
      return;
    }
    const participants = await app.participants.list(chatId);
    const mentions: MentionRef[] = [];
    for (const approver of approvers) {
      try {
        mentions.push(...resolveMentions([approver], participants, agent.id));
      } catch {
        app.log.warn(`approver "${approver}" is not in chat ${chatId}; not mentioned in permission request ${request.request_id}`);
      }
    }
    if (mentions.length === 0) {
      app.log.warn(`permission request ${request.request_id} not posted on Band: no approver is in chat ${chatId}; answer it in the terminal`);
      return;
    }
    asked.add(request.request_id);
    // The tool's input goes to a chat other people read: a configured secret in it (a key in a command) is masked.
    const content = app.redact(requestText(request, agent.handle));
    await postMessage(app.agent, chatId, content, mentions);
    app.log.info(`permission request ${request.request_id} (${request.tool_name}) posted in chat ${chatId}`);
  };

  // Loose on purpose: a malformed request must be logged and ignored, not fail inside the SDK unseen.
  server.server.setNotificationHandler(z.object({ method: z.literal(PERMISSION_REQUEST), params: z.unknown() }), (notification) => {
    const parsed = permissionRequest.safeParse(notification.params);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      app.log.warn(`ignored a malformed ${PERMISSION_REQUEST}`, { issue: issue ? `${issue.path.join(".") || "params"}: ${issue.message}` : "invalid" });
      return;
    }
    void ask(parsed.data).catch((error: unknown) => app.log.warn(`could not post permission request ${parsed.data.request_id} on Band; answer it in the terminal`, { error: String(error) }));
  });

  return {
    takeAnswer(message) {
      const verdict = parseVerdict(message.content);
      if (!verdict || !asked.has(verdict.requestId) || !isApprover(approvers, message.sender)) return false;
      // First answer wins: a later one (a second approver) is settled too, but tells Claude Code nothing new.
      if (answered.add(verdict.requestId)) {
        app.log.info(`permission ${verdict.requestId}: ${verdict.behavior} from ${message.sender.handle ?? message.sender.id}`);
        server.server
          .notification({ method: PERMISSION_VERDICT, params: { request_id: verdict.requestId, behavior: verdict.behavior } })
          .catch((error: unknown) => app.log.warn(`could not send ${PERMISSION_VERDICT}`, { error: String(error) }));
      }
      return true;
    },
  };
}

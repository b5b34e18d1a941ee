import { z } from "zod";
import { bandObject, pageInput } from "../common.js";
import { defineTool } from "../define.js";
import { sentStatusFilter } from "./shared.js";
import type { BandData } from "../../band/http.js";

export default defineTool({
  name: "band_list_contact_requests",
  toolset: "contacts",
  title: "List contact requests",
  description:
    "Lists contact requests in both directions: received (always the pending ones, waiting for your answer; from_handle says who asked) and " +
    "sent (pending by default; sent_status picks another status or all; to_handle says whom you asked). Each has an id and an optional message. " +
    "Pages count per direction; has_more is true while either direction has more pages. Answer or withdraw one with band_respond_contact_request.",
  input: {
    ...pageInput,
    sent_status: sentStatusFilter.optional().describe("Which sent requests to list (default pending). Received requests are always the pending ones."),
  },
  output: {
    received: z.array(bandObject).describe("Requests others sent you, waiting for approve or reject."),
    sent: z.array(bandObject).describe("Requests you sent."),
    has_more: z.boolean().describe("True when either direction has more pages: call again with the next page."),
    page: z.number().int().optional(),
    received_total: z.number().int().optional(),
    sent_total: z.number().int().optional(),
  },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  operations: ["listAgentContactRequests"],
  async handler(params, ctx) {
    const { data, metadata } = await ctx.band.call("listAgentContactRequests", { query: params, signal: ctx.signal });
    const lists = data as BandData<"listAgentContactRequests"> | null;
    // This endpoint's metadata counts each direction separately, so the generic toList does not fit it.
    const meta = metadata as { page?: number; received?: { total?: number; total_pages?: number }; sent?: { total?: number; total_pages?: number } } | undefined;
    const page = meta?.page;
    const lastPage = Math.max(meta?.received?.total_pages ?? 0, meta?.sent?.total_pages ?? 0);
    return {
      received: lists?.received ?? [],
      sent: lists?.sent ?? [],
      has_more: page !== undefined && page < lastPage,
      ...(page !== undefined ? { page } : {}),
      ...(meta?.received?.total !== undefined ? { received_total: meta.received.total } : {}),
      ...(meta?.sent?.total !== undefined ? { sent_total: meta.sent.total } : {}),
    };
  },
});

import { z } from "zod";
import { MAX_CONTENT_CHARS, MAX_MENTION_CHARS, MAX_MENTIONS } from "../../agent/send.js";

/** The inputs band_send_message and band_send_and_wait share; the sending itself is agent/'s. */

export const contentInput = z.string().trim().min(1).max(MAX_CONTENT_CHARS).describe("The text; Band prepends mentioned participants it does not name.");

export const mentionsInput = z.array(z.string().trim().min(1).max(MAX_MENTION_CHARS)).min(1).max(MAX_MENTIONS);

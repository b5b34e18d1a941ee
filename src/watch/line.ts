import type { WatchFrame } from "./endpoint.js";

type MessageFrame = Extract<WatchFrame, { type: "message" }>;

const CONTENT_CHARS = 200;
const TITLE_CHARS = 100;
const SENDER_CHARS = 80;
/** Control characters (line breaks included), line/paragraph separators and bidi overrides: chat text is
 *  untrusted, and one line must stay one line that reads as what it is. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;

/** One line of text from untrusted input: unsafe characters become spaces, runs of spaces one, cut to `max`. */
export function flatten(text: string, max: number): string {
  const flat = text.replace(UNSAFE, " ").replace(/\s+/g, " ").trim();
  const chars = Array.from(flat);
  return chars.length > max ? `${chars.slice(0, max).join("").trimEnd()}…` : flat;
}

/** `@sender in "room": first 200 characters — call band_wait_for_message` (the plugin monitor's line). */
export function monitorLine(frame: MessageFrame): string {
  const { sender } = frame;
  const who = sender.handle ? `@${flatten(sender.handle, SENDER_CHARS)}` : flatten(sender.name ?? sender.id, SENDER_CHARS);
  const room = flatten(frame.chat_title ?? frame.chat_id, TITLE_CHARS).replace(/"/g, "'");
  return `${who} in "${room}": ${flatten(frame.content, CONTENT_CHARS)} — call band_wait_for_message`;
}

import { redactJson, type Redact } from "./redact.js";

/**
 * Bounds on what comes from Band before it reaches the model (docs/delivery.md guarantee 9). A participant can send
 * megabytes of text; the SDK's stdio client drops a JSON-RPC line over 10 MB, and a tool result carries its
 * data twice (as text and as structuredContent), so both copies together must stay well below that.
 */

/** A message's content in inbox results (waits, band_get_inbox, band_send_and_wait, channel pushes). */
export const INBOX_CONTENT_CHARS = 20_000;
/** A message's content in the chat-reading tools, where the marker of an inbox message points. */
export const READ_CONTENT_CHARS = 200_000;
/** One JSON-RPC line: a result's two copies and its envelope, with room left under the client's 10 MB. */
export const MAX_LINE_BYTES = 8 * 1024 * 1024;

/**
 * `text` cut to at most `max` characters, and how many were left out (0: whole). Never splits a surrogate pair,
 * so the cut text is still valid Unicode. A fact: the layer that shows the text says what is missing and where.
 */
export function cutAt(text: string, max: number): { text: string; cut: number } {
  if (text.length <= max) return { text, cut: 0 };
  const end = isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max;
  return { text: text.slice(0, end), cut: text.length - end };
}

/** The marker that ends a cut text: how much is missing, and `whereToRead` the rest. */
const cutMarker = (cut: number, whereToRead: string) => `\n[… cut by band-mcp-server: ${cut} more characters. ${whereToRead}]`;

/**
 * A message whose text a lower layer cut (recording `cut_chars`) as a front end shows it: the fact dropped, the
 * text ending with the marker, `whereToRead` in the front end's own words.
 */
export function showCut<T extends { content: string; cut_chars?: number }>(message: T, whereToRead: string): Omit<T, "cut_chars"> {
  if (message.cut_chars === undefined) return message;
  const { cut_chars, ...shown } = message;
  return { ...shown, content: message.content + cutMarker(cut_chars, whereToRead) };
}

/** `text` cut to `max` characters, with a marker saying how much is missing and where to read it. */
export function cutText(text: string, max: number, whereToRead: string): string {
  const { text: kept, cut } = cutAt(text, max);
  return cut ? kept + cutMarker(cut, whereToRead) : text;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/**
 * A tool result (or resource) that fits in one JSON-RPC line: its JSON text and that text as a JSON string
 * (what the line carries). When too large, the longest strings are cut, halving their bound until it fits, so
 * every item and id survives; undefined when even that cannot fit (very many small items).
 */
function fitJson<T>(value: T, text = JSON.stringify(value)): { value: T; text: string } | undefined {
  // Each UTF-16 unit of JSON text is at most 3 bytes in each copy: most results need no measuring at all.
  if (text.length * 6 <= MAX_LINE_BYTES || lineBytes(text) <= MAX_LINE_BYTES) return { value, text };
  for (let bound = longestString(value) >> 1; bound >= 64; bound >>= 1) {
    const cut = cutStrings(value, bound) as T;
    const smaller = JSON.stringify(cut);
    if (lineBytes(smaller) <= MAX_LINE_BYTES) return { value: cut, text: smaller };
  }
  return undefined;
}

const lineBytes = (text: string) => Buffer.byteLength(text) + Buffer.byteLength(JSON.stringify(text));

function longestString(value: unknown): number {
  if (typeof value === "string") return value.length;
  if (value === null || typeof value !== "object") return 0;
  let longest = 0;
  for (const item of Array.isArray(value) ? value : Object.values(value)) longest = Math.max(longest, longestString(item));
  return longest;
}

function cutStrings(value: unknown, bound: number): unknown {
  if (typeof value === "string") return cutText(value, bound, "The result was too large to send whole; ask for fewer items or one item at a time.");
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => cutStrings(item, bound));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, cutStrings(item, bound)]));
}

/** A value as it may leave the process: secrets masked, and small enough for one JSON-RPC line. */
export function outgoing<T>(value: T, redact: Redact): { value: T; text: string } | undefined {
  const clean = redactJson(value, redact);
  return fitJson(clean.value, clean.text);
}

/** Plain text for one JSON-RPC line, masked. */
export function outgoingText(text: string, redact: Redact): string {
  return redact(cutText(text, MAX_LINE_BYTES / 6, "The text was too large to send whole."));
}

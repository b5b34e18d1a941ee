import { describe, expect, it } from "vitest";
import { deliveriesOf, parseBandEvent } from "../../src/realtime/events.js";
import { parseTopic } from "../../src/realtime/topics.js";

/** Issue 9 item 6: names Band chooses (events, topics, agent ids) that happen to be JavaScript property names. */
describe("names from Band that are Object.prototype members", () => {
  it.each(["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"])("ignores an event called %s", (event) => {
    expect(parseBandEvent("room", "r1", event, { id: "x" })).toEqual({ ok: true, event: { type: "ignored" } });
  });

  it.each(["constructor:x", "__proto__:x", "toString:x"])("does not recognise the topic %s", (topic) => {
    expect(parseTopic(topic)).toBeUndefined();
  });

  it("keeps an agent id of __proto__ as a field, not a prototype", () => {
    const deliveries = deliveriesOf(JSON.parse('{"__proto__": {"status": "processing"}, "a1": {"status": "processed"}}'));
    expect(Object.keys(deliveries).sort()).toEqual(["__proto__", "a1"]);
    expect(Object.getPrototypeOf(deliveries)).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import type { FakeBand } from "../fake-band/index.js";
import { untilJoined, useFakeBand, waitFor } from "../helpers/harness.js";
import type { InboxMessage } from "../../src/inbox/live.js";

let fake: FakeBand;
const connect = useFakeBand((f) => (fake = f));
const never = new AbortController().signal;
const post = (text: string) => fake.postMessage(fake.room.id, { senderId: fake.user.id, content: text, mentions: [fake.agent.id] });
const taken = (message: InboxMessage) => message.content.includes("answer");

describe("a view of the inbox with hooks", () => {
  it("leaves what its interceptor takes out of a wait's answer, and marks it processed on Band", async () => {
    const { app } = await connect({ BAND_LIVE: "true" });
    await untilJoined(app);
    const live = app.live!;
    const view = live.view({ intercept: taken });
    const [question, answer] = [post("question"), post("answer yes")];
    await waitFor(() => live.inbox.peek().length === 2, "both queued");
    const got = await view.wait({ timeoutMs: 2_000, max: 10, signal: never });
    expect(got.messages.map((m) => m.id)).toEqual([question.id]);
    await waitFor(() => fake.delivery(answer.id, fake.agent.id).status === "processed", "the intercepted message processed");
    expect(fake.delivery(question.id, fake.agent.id).status).toBe("processing");
  });

  it("leaves what its interceptor takes out of its pushes", async () => {
    const { app } = await connect({ BAND_LIVE: "true" });
    await untilJoined(app);
    const view = app.live!.view({ intercept: taken });
    const pushed: string[] = [];
    view.push((message) => pushed.push(message.id));
    const [answer, question] = [post("answer no"), post("question")];
    await waitFor(() => pushed.length === 1, "one push");
    expect(pushed).toEqual([question.id]);
    await waitFor(() => fake.delivery(answer.id, fake.agent.id).status === "processed", "the intercepted message processed");
    await view.close();
    const later = post("after the push stopped");
    await waitFor(() => app.live!.inbox.peek().some((m) => m.id === later.id), "queued, not pushed");
    expect(pushed).toEqual([question.id]);
  });

  it("when owned, lists only its own hand-outs in flight", async () => {
    const { app } = await connect({ BAND_LIVE: "true" });
    await untilJoined(app);
    const [mine, theirs] = [app.live!.view({ owned: true }), app.live!.view({ owned: true })];
    const first = post("for the first view");
    expect((await mine.wait({ timeoutMs: 2_000, max: 1, signal: never })).messages.map((m) => m.id)).toEqual([first.id]);
    const second = post("for the second view");
    expect((await theirs.wait({ timeoutMs: 2_000, max: 1, signal: never })).messages.map((m) => m.id)).toEqual([second.id]);
    expect(mine.inFlight().map((m) => m.id)).toEqual([first.id]);
    expect(theirs.inFlight().map((m) => m.id)).toEqual([second.id]);
    expect(app.live!.inbox.inFlight().map((m) => m.id)).toEqual([first.id, second.id]);
  });
});

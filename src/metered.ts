import type { App } from "./app.js";
import type { InboxFacts, MeteredInbox } from "./telemetry/types.js";

/** An agent's inbox in numbers, from its status report: `GET /metrics` and the OTLP export read the same. */
export function inboxFacts(app: App): InboxFacts {
  const status = app.live?.status();
  if (!status) return { pending: 0, inFlight: 0, delivered: 0, dropped: 0, reconnects: 0, up: 0 };
  const { inbox } = status;
  return { pending: inbox.pending, inFlight: inbox.in_flight, delivered: inbox.delivered_total, dropped: inbox.dropped, reconnects: status.reconnects, up: status.connection === "connected" ? 1 : 0 };
}

/** Tells `listener` of every hand-out (a redelivery counts again): seconds since Band's `inserted_at`. */
export function onDelivery(app: App, listener: (seconds: number) => void): void {
  app.live?.onHandedOut((messages) => {
    const now = Date.now();
    for (const message of messages) {
      const inserted = Date.parse(message.created_at);
      if (Number.isFinite(inserted)) listener(Math.max(0, now - inserted) / 1000);
    }
  });
}

/** An app's inbox as the OTLP metrics read it, under the agent's label. */
export function meteredInbox(agent: string, app: App): MeteredInbox {
  return { agent, facts: () => inboxFacts(app), onDelivery: (listener) => onDelivery(app, listener) };
}

import type { FakeBand } from "../fake-band/index.js";
import type { Consumer } from "./consumer.js";

/** What one server process did, as far as the checks need it. */
export interface ProcessRecord {
  consumer: Consumer;
  /** The slice of the fake's request log made while this process lived. */
  requestsFrom: number;
  requestsTo?: number;
  /** Ids Band had as processed when this process was killed: no later process may deliver them. */
  processedAtKill?: Set<string>;
  /** Ids claimed (processing) but not processed when it was killed: a later process must deliver them. */
  claimedAtKill?: Set<string>;
}

const CLAIM = /^\/api\/v1\/agent\/chats\/[^/]+\/messages\/([^/]+)\/processing$/;

/**
 * The delivery guarantees, judged from the fake Band's own records (delivery status, the request log) and
 * what each process handed out. Returns every problem found; none means the run kept every promise.
 */
export function deliveryProblems(fake: FakeBand, posted: readonly string[], processes: readonly ProcessRecord[]): string[] {
  const problems: string[] = [];
  const agentId = fake.agent.id;
  for (const id of posted) {
    const status = fake.delivery(id, agentId).status;
    if (status !== "processed") problems.push(`${id}: ${status} on Band, not processed`);
    if (!processes.some((p) => p.consumer.received.has(id))) problems.push(`${id}: lost (no process delivered it)`);
  }
  processes.forEach((process, k) => {
    for (const [id, times] of process.consumer.received) if (times > 1) problems.push(`${id}: delivered ${times} times by process ${k + 1}`);
    // Band's side of the same promise: one claim per message per process, unless an ack had to be retried.
    const claims = new Map<string, number>();
    for (const request of fake.requests.slice(process.requestsFrom, process.requestsTo)) {
      const id = request.method === "POST" && request.status === 200 ? CLAIM.exec(request.path)?.[1] : undefined;
      if (id) claims.set(id, (claims.get(id) ?? 0) + 1);
    }
    for (const [id, count] of claims) if (count > 1 && !process.consumer.ackRetried.has(id)) problems.push(`${id}: claimed ${count} times on Band by process ${k + 1}`);
    const later = processes.slice(k + 1);
    for (const next of later) {
      for (const id of next.consumer.received.keys()) if (process.processedAtKill?.has(id)) problems.push(`${id}: processed before crash ${k + 1}, delivered again after it`);
    }
    for (const id of process.claimedAtKill ?? []) {
      if (!later.some((p) => p.consumer.received.has(id))) problems.push(`${id}: claimed when process ${k + 1} was killed, never delivered again`);
    }
  });
  return problems;
}

/** Message ids among `posted` whose delivery to the agent has this status on Band now. */
export function withStatus(fake: FakeBand, posted: readonly string[], status: "processing" | "processed"): Set<string> {
  return new Set(posted.filter((id) => fake.delivery(id, fake.agent.id).status === status));
}

export function unprocessedCount(fake: FakeBand, posted: readonly string[]): number {
  return posted.length - withStatus(fake, posted, "processed").size;
}

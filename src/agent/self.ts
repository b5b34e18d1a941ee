import type { BandClient } from "../band/http.js";

const agentIds = new WeakMap<BandClient, Promise<string>>();

/** This agent's own id, fetched once per client: every send needs it, and it never changes. */
export function selfId(band: BandClient, signal?: AbortSignal): Promise<string> {
  let id = agentIds.get(band);
  if (!id) {
    id = band.call("getAgentMe", signal ? { signal } : {}).then(({ data }) => data.id);
    const pending = id;
    agentIds.set(band, pending);
    // A failure (a bad key, a cancelled call) is not remembered: the next send asks again.
    pending.catch(() => agentIds.get(band) === pending && agentIds.delete(band));
  }
  return id;
}

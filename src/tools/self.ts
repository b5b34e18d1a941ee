import type { BandClient } from "../band/http.js";
import type { ToolContext } from "./define.js";

const agentIds = new WeakMap<BandClient, Promise<string>>();

/** This agent's own id, fetched once per client: every send needs it, and it never changes. */
export function selfId(ctx: Pick<ToolContext, "band"> & { signal?: AbortSignal }): Promise<string> {
  let id = agentIds.get(ctx.band);
  if (!id) {
    id = ctx.band.call("getAgentMe", ctx.signal ? { signal: ctx.signal } : {}).then(({ data }) => data.id);
    const pending = id;
    agentIds.set(ctx.band, pending);
    // A failure (a bad key, a cancelled call) is not remembered: the next send asks again.
    pending.catch(() => agentIds.get(ctx.band) === pending && agentIds.delete(ctx.band));
  }
  return id;
}

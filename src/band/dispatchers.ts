import type { Agent as AgentClass, EnvHttpProxyAgent as EnvHttpProxyAgentClass } from "undici";
// undici's index also loads fetch, WebSocket, its caches, EventSource and cookies: about two thirds of its code,
// which every start would read and compile for nothing (`npm run bench`, cold start). The REST edge needs only
// these two dispatchers, plus what the index adds to every dispatcher (request, connect, …: the proxy agent
// opens its tunnel with connect), attached here the same way.
import api from "undici/lib/api/index.js";
import AgentModule from "undici/lib/dispatcher/agent.js";
import Dispatcher from "undici/lib/dispatcher/dispatcher.js";
import EnvHttpProxyAgentModule from "undici/lib/dispatcher/env-http-proxy-agent.js";

Object.assign(Dispatcher.prototype, api);

export const Agent: typeof AgentClass = AgentModule;
export const EnvHttpProxyAgent: typeof EnvHttpProxyAgentClass = EnvHttpProxyAgentModule;

// Types for the undici modules dispatchers.ts imports one by one; undici types only its index.
declare module "undici/lib/api/index.js" {
  const api: Record<string, unknown>;
  export default api;
}
declare module "undici/lib/dispatcher/dispatcher.js" {
  const Dispatcher: { prototype: object };
  export default Dispatcher;
}
declare module "undici/lib/dispatcher/agent.js" {
  const Agent: typeof import("undici").Agent;
  export default Agent;
}
declare module "undici/lib/dispatcher/env-http-proxy-agent.js" {
  const EnvHttpProxyAgent: typeof import("undici").EnvHttpProxyAgent;
  export default EnvHttpProxyAgent;
}

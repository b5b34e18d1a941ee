import type { Actor, FakeBand } from "../fake-band/index.js";

/** The environment of a built server spawned against the fake Band: nothing inherited but PATH, warn-level logs. */
export function fakeBandEnv(fake: FakeBand, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? "", BAND_BASE_URL: fake.url, BAND_WS_URL: fake.wsUrl, BAND_LOG_LEVEL: "warn", ...extra };
}

/** Another agent of the fake Band's owner, in its room. */
export function addAgentInRoom(fake: FakeBand, name: string, handle: string): Actor {
  const agent = fake.addAgent({ name, handle });
  fake.addParticipant(fake.room.id, agent.id);
  return agent;
}

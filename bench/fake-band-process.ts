/**
 * The fake Band in its own process, so that its work (HTTP, socket frames, records) does not share an event
 * loop with the runner's MCP client: started by bench/fake-band.ts with `node --import tsx`, driven over IPC.
 */
import { startFakeBand } from "../test/fake-band/index.js";
import { answerNextMessage } from "../test/helpers/peer.js";
import { now, STAMP_PREFIX, type CommandName, type Commands, type HubAgent, type Reply, type Request } from "./protocol.js";

const fake = await startFakeBand();
const posted: string[] = [];
const hub: HubAgent[] = [];

const mention = (roomId: string, content: string) => {
  const message = fake.postMessage(roomId, { senderId: fake.user.id, content, mentions: [fake.agent.id] });
  posted.push(message.id);
  return message;
};

type Handlers = { [C in CommandName]: (args: Commands[C]["args"]) => Commands[C]["result"] };

const handlers: Handlers = {
  world: () => ({ url: fake.url, wsUrl: fake.wsUrl, agentKey: fake.agent.key, agentId: fake.agent.id, userId: fake.user.id, roomId: fake.room.id }),
  createRooms: ({ count }) => Array.from({ length: count }, () => fake.createRoom({ ownerId: fake.user.id, memberIds: [fake.agent.id] }).id),
  post: ({ roomIds, count }) => ({ ids: Array.from({ length: count }, (_, i) => mention(roomIds[i % roomIds.length]!, `bench message ${i}`).id) }),
  postStamped: ({ roomId }) => {
    // The message is pushed synchronously inside postMessage: the stamp is taken microseconds before the send.
    const sentAt = now();
    return { id: mention(roomId, `${STAMP_PREFIX}${sentAt}`).id, sentAt };
  },
  clock: () => now(),
  hubWorld: ({ agents, rooms }) => {
    for (let a = 0; a < agents; a++) {
      const agent = fake.addAgent({ name: `Hub agent ${a + 1}`, handle: `alice/hub-${a + 1}` });
      const roomIds = Array.from({ length: rooms }, (_, r) => fake.createRoom({ ownerId: fake.user.id, memberIds: r === 0 ? [agent.id, fake.peer.id] : [agent.id] }).id);
      hub.push({ id: agent.id, key: agent.key, roomIds });
    }
    return hub;
  },
  hubJoined: () => hub.filter((a) => a.roomIds.every((id) => fake.socket.isJoined(a.id, `chat_room:${id}`))).length,
  postStampedTo: ({ roomId, agentId }) => {
    const sentAt = now();
    return { id: fake.postMessage(roomId, { senderId: fake.user.id, content: `${STAMP_PREFIX}${sentAt}`, mentions: [agentId] }).id, sentAt };
  },
  answerNext: ({ roomId, askerId }) => {
    answerNextMessage(fake, { roomId, askerId, content: "bench answer" });
    return null;
  },
  deliveries: () => {
    let processed = 0;
    let neverClaimed = 0;
    let claimedTwice = 0;
    const sampleUnprocessed: string[] = [];
    for (const id of posted) {
      const { status, attempts } = fake.delivery(id, fake.agent.id);
      if (status === "processed") processed++;
      else if (sampleUnprocessed.length < 5) sampleUnprocessed.push(id);
      if (attempts.length === 0) neverClaimed++;
      if (attempts.length > 1) claimedTwice++;
    }
    return { posted: posted.length, processed, neverClaimed, claimedTwice, sampleUnprocessed };
  },
  requestCount: () => fake.requests.length,
  forget: () => {
    fake.requests.length = 0;
    fake.socket.frames.length = 0;
    posted.length = 0;
    return null;
  },
};

process.on("message", (request: Request) => {
  let reply: Reply;
  try {
    const handler = handlers[request.command] as (args: unknown) => unknown;
    reply = { id: request.id, ok: true, result: handler(request.args) };
  } catch (error) {
    reply = { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  process.send!(reply);
});
// The runner going away (even killed) closes the IPC channel: never outlive it.
process.on("disconnect", () => void fake.close().finally(() => process.exit(0)));
process.send!({ ready: true });

import type { ChatMessage, FakeBand } from "../fake-band/index.js";

export interface Peer {
  /** Resolves with the peer's answer once it has been posted. */
  answered: Promise<ChatMessage>;
  stop(): void;
}

/**
 * Another participant who answers our agent's next message in the room the moment the fake Band records it
 * (polled every millisecond): the fastest reply a real peer could give. `askerId` is the agent asking (the
 * seeded agent unless given).
 */
export function answerNextMessage(fake: FakeBand, options: { roomId?: string; senderId?: string; content?: string; askerId?: string } = {}): Peer {
  const roomId = options.roomId ?? fake.room.id;
  const asker = options.askerId ?? fake.agent.id;
  const seen = fake.messages(roomId).length;
  let timer: NodeJS.Timeout | undefined;
  const answered = new Promise<ChatMessage>((resolve) => {
    timer = setInterval(() => {
      const question = fake.messages(roomId).slice(seen).find((m) => m.sender_id === asker);
      if (!question) return;
      clearInterval(timer);
      resolve(fake.postMessage(roomId, { senderId: options.senderId ?? fake.peer.id, content: options.content ?? `re: ${question.content}`, mentions: [asker] }));
    }, 1);
  });
  return { answered, stop: () => clearInterval(timer) };
}

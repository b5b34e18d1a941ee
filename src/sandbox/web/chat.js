// The sandbox's web chat: plain DOM, the control API (/sandbox/api) for reads and writes, Server-Sent Events
// for live updates. Chat text is untrusted: names and handles are only ever set as textContent; a message's
// body is the HTML the sandbox rendered from its markdown with raw HTML off (markdown.ts), so nothing the
// sender typed becomes markup.
const API = "/sandbox/api";
const STATE_LABELS = { unprocessed: "unprocessed", processing: "processing", processed: "processed", failed: "failed" };

const el = (id) => document.getElementById(id);
const personSelect = el("person");
const roomSelect = el("room");
const list = el("messages");
const box = el("message");
const suggestions = el("mention-list");

const state = { world: undefined, agent: undefined, paused: { agent: false, rooms: [] }, online: new Set(), people: [], rooms: new Map(), me: undefined, roomId: undefined, working: new Map(), events: undefined };

async function api(path, options = {}) {
  let response;
  try {
    response = await fetch(`${API}${path}`, { ...options, headers: options.body ? { "content-type": "application/json" } : {} });
  } catch {
    // The sandbox stopped (its host closed it) or is restarting: say so, rather than the browser's "Failed to fetch".
    throw new Error(`The sandbox is not answering (stopped or restarting)${options.method === "POST" ? ": nothing was sent" : ""}. This page reconnects by itself when it is back.`);
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error?.message ?? `The sandbox answered ${response.status}.`);
  return body;
}

function node(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

// ---- pickers ------------------------------------------------------------------------------------------------

function currentRoom() {
  return state.rooms.get(state.roomId);
}

function roomsOf(personId) {
  return [...state.rooms.values()].filter((room) => room.participants.some((p) => p.id === personId));
}

function fillPeople() {
  personSelect.replaceChildren(...state.people.map((p) => new Option(`${p.name} (@${p.handle})`, p.id)));
  personSelect.value = state.me;
}

function fillRooms() {
  const rooms = roomsOf(state.me);
  roomSelect.replaceChildren(...rooms.map((r) => new Option(r.title, r.id)));
  if (!rooms.some((r) => r.id === state.roomId)) state.roomId = rooms[0]?.id;
  roomSelect.value = state.roomId ?? "";
}

function remember() {
  const params = new URLSearchParams({ as: handleOf(state.me) ?? "", room: state.roomId ?? "", world: state.world?.id ?? "" });
  history.replaceState(null, "", `?${params}`);
}

const handleOf = (id) => state.people.find((p) => p.id === id)?.handle;

// ---- messages -----------------------------------------------------------------------------------------------

/** The text with each `@handle` of a participant shown as a mention. */
function contentNodes(text, mentions) {
  const handles = new Set(mentions.map((m) => m.handle.toLowerCase()));
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(/(?<![A-Za-z0-9._-])@([A-Za-z0-9][A-Za-z0-9._/-]*)/g)) {
    const handle = match[1].replace(/[._/-]+$/, "");
    if (!handles.has(handle.toLowerCase())) continue;
    parts.push(document.createTextNode(text.slice(last, match.index)));
    parts.push(node("span", "mention", `@${handle}`));
    last = match.index + 1 + handle.length;
  }
  parts.push(document.createTextNode(text.slice(last)));
  return parts;
}

/** The message's rendered markdown, with each mention of a participant marked (outside code and links). */
function contentElement(message) {
  const content = node("div", "content");
  content.innerHTML = message.html;
  const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
  const texts = [];
  while (walker.nextNode()) if (!walker.currentNode.parentElement.closest("code, a")) texts.push(walker.currentNode);
  for (const text of texts) {
    const parts = contentNodes(text.data, message.mentions);
    if (parts.length > 1) text.replaceWith(...parts);
  }
  return content;
}

/** "processing" is only true while the agent is there to finish it. */
function stateLabel(s) {
  const offline = s.state === "processing" && !state.online.has(s.agent_id);
  return `@${s.handle}: ${STATE_LABELS[s.state] ?? s.state}${offline ? " (agent offline: it resumes when a server reconnects)" : ""}${s.error ? ` (${s.error})` : ""}`;
}

function messageItem(message) {
  const item = node("li", "message");
  item.dataset.id = message.id;
  item.dataset.version = String(message.version);
  if (message.sender.type === "Agent") item.classList.add("from-agent");
  if (message.message_type !== "text") item.classList.add("event");
  const meta = node("div", "meta");
  meta.append(node("span", "sender", message.sender.name));
  if (message.sender.handle) meta.append(node("span", "handle", `@${message.sender.handle}`));
  if (message.message_type !== "text") meta.append(node("span", "handle", message.message_type));
  const time = node("time", "", new Date(message.created_at).toLocaleTimeString());
  time.dateTime = message.created_at;
  meta.append(time);
  item.append(meta, contentElement(message));
  if (message.states.length > 0) {
    const states = node("ul", "states");
    states.setAttribute("aria-label", "Processing state");
    for (const s of message.states) {
      const badge = node("li", `state state-${s.state}`, stateLabel(s));
      badge.dataset.state = s.state;
      badge.dataset.agent = s.agent_id;
      badge.dataset.handle = s.handle;
      states.append(badge);
    }
    item.append(states);
  }
  return item;
}

function showMessage(message) {
  if (message.room_id !== state.roomId) return;
  list.querySelector(".empty")?.remove();
  const item = messageItem(message);
  const existing = list.querySelector(`[data-id="${CSS.escape(message.id)}"]`);
  // The send's own answer can arrive after the live update that the agent claimed it: keep the later view.
  if (existing && Number(existing.dataset.version) > message.version) return;
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  if (existing) existing.replaceWith(item);
  else list.append(item);
  if (atBottom || !existing) list.scrollTop = list.scrollHeight;
}

async function loadRoom() {
  const room = currentRoom();
  remember();
  el("room-title").textContent = room ? room.title : "No room";
  el("participants").textContent = room ? `In this room: ${room.participants.map((p) => `${p.name} (@${p.handle})`).join(", ")}` : "";
  if (list.dataset.room !== room?.id) list.replaceChildren();
  showWorking();
  showControls();
  if (!room) return;
  const { messages } = await api(`/rooms/${encodeURIComponent(room.id)}/messages`);
  if (room.id !== state.roomId) return;
  // Reloading the room shown (after a reconnect) keeps any view that live updates made newer meanwhile.
  const shown = list.dataset.room === room.id ? new Map([...list.querySelectorAll("[data-id]")].map((item) => [item.dataset.id, item])) : new Map();
  list.dataset.room = room.id;
  list.replaceChildren(
    ...messages.map((message) => {
      const kept = shown.get(message.id);
      return kept && Number(kept.dataset.version) > message.version ? kept : messageItem(message);
    }),
  );
  // …and the messages that arrived live after the history was read.
  const fetched = new Set(messages.map((m) => m.id));
  const last = messages.at(-1)?.created_at ?? "";
  for (const [id, item] of shown) if (!fetched.has(id) && item.querySelector("time").dateTime > last) list.append(item);
  if (list.children.length === 0) list.append(node("li", "empty", "No messages yet. Say hello, and @mention the agent."));
  list.scrollTop = list.scrollHeight;
}

function showWorking() {
  const agents = state.working.get(state.roomId) ?? [];
  el("working").textContent = agents.length === 0 ? "" : `${agents.map((a) => a.name).join(", ")} ${agents.length === 1 ? "is" : "are"} working…`;
  const offline = (currentRoom()?.participants ?? []).filter((p) => p.type === "Agent" && !state.online.has(p.id));
  el("presence").textContent = offline.map((a) => `${a.name} (@${a.handle}) is offline: no MCP server is connected as this agent, so mentions of it wait here until one is.`).join(" ");
}

// ---- Band's controls for the agent (agent.control over its socket) ---------------------------------------------

function showControls() {
  const room = currentRoom();
  const agent = state.agent;
  const inRoom = Boolean(room && agent && room.participants.some((p) => p.id === agent.id));
  el("controls").hidden = !inRoom;
  if (!inRoom) return;
  el("controls-agent").textContent = `${agent.name} (@${agent.handle})`;
  const { paused } = state;
  el("paused").textContent = paused.agent
    ? `${agent.name} is stopped in every room: nothing is handed to it until Play.`
    : paused.rooms.includes(room.id)
      ? `${agent.name} is stopped in this room: nothing from here is handed to it until Play.`
      : "";
}

async function sendControl(mode) {
  const scope = el("control-scope").value;
  el("compose-error").textContent = "";
  try {
    const body = { mode, ...(scope === "room" ? { room_id: state.roomId } : {}) };
    const sent = await api(`/agents/${encodeURIComponent(state.agent.id)}/control`, { method: "POST", body: JSON.stringify(body) });
    state.paused = sent.paused;
    showControls();
  } catch (error) {
    showError(error);
  }
}

for (const button of document.querySelectorAll("button.control")) button.addEventListener("click", () => void sendControl(button.dataset.mode));

function showPresence() {
  showWorking();
  for (const badge of list.querySelectorAll(".state[data-state=processing]")) {
    badge.textContent = stateLabel({ agent_id: badge.dataset.agent, handle: badge.dataset.handle, state: "processing" });
  }
}

// ---- live updates -------------------------------------------------------------------------------------------

function listen() {
  const events = new EventSource(`${API}/events`);
  state.events = events;
  const status = el("connection");
  let opened = false;
  events.addEventListener("open", () => {
    status.textContent = "Live";
    status.classList.add("live");
    // Back after the sandbox restarted (or on first open): everything may have moved on meanwhile.
    void (opened ? reloadWorld() : loadRoom()).catch(showError);
    opened = true;
  });
  events.addEventListener("error", () => {
    status.textContent = "Reconnecting… (the sandbox stopped or is restarting)";
    status.classList.remove("live");
    // A stream the browser gave up on (the address answered something else meanwhile) is opened anew.
    if (events.readyState === EventSource.CLOSED && state.events === events) setTimeout(listen, 2000);
  });
  events.addEventListener("control", (event) => {
    const { agent_id, paused } = JSON.parse(event.data);
    if (agent_id !== state.agent?.id) return;
    state.paused = paused;
    showControls();
  });
  events.addEventListener("presence", (event) => {
    const { agent_id, online } = JSON.parse(event.data);
    if (online) state.online.add(agent_id);
    else state.online.delete(agent_id);
    showPresence();
  });
  events.addEventListener("message", (event) => showMessage(JSON.parse(event.data)));
  events.addEventListener("working", (event) => {
    const { room_id, agents } = JSON.parse(event.data);
    state.working.set(room_id, agents);
    if (room_id === state.roomId) showWorking();
  });
  events.addEventListener("room", (event) => {
    const room = JSON.parse(event.data);
    if (room.deleted) state.rooms.delete(room.id);
    else state.rooms.set(room.id, room);
    const before = state.roomId;
    fillRooms();
    if (state.roomId !== before) void loadRoom().catch(showError);
  });
}

// ---- composing, with @mention suggestions ---------------------------------------------------------------------

const typing = { start: -1, options: [], active: -1 };

function closeSuggestions() {
  typing.start = -1;
  typing.options = [];
  typing.active = -1;
  suggestions.hidden = true;
  suggestions.replaceChildren();
  box.removeAttribute("aria-activedescendant");
}

function renderSuggestions() {
  suggestions.replaceChildren(
    ...typing.options.map((p, index) => {
      const option = node("li", "", `${p.name} @${p.handle}${p.type === "Agent" ? " (agent)" : ""}`);
      option.id = `mention-option-${index}`;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", String(index === typing.active));
      option.addEventListener("mousedown", (event) => {
        event.preventDefault();
        accept(index);
      });
      return option;
    }),
  );
  suggestions.hidden = typing.options.length === 0;
  if (typing.active >= 0) box.setAttribute("aria-activedescendant", `mention-option-${typing.active}`);
  else box.removeAttribute("aria-activedescendant");
  el("mention-status").textContent = typing.options.length ? `${typing.options.length} people match; arrow keys choose, Enter picks.` : "";
}

function suggest() {
  const caret = box.selectionStart;
  const match = /(^|\s)@([A-Za-z0-9._/-]*)$/.exec(box.value.slice(0, caret));
  const room = currentRoom();
  if (!match || !room) return closeSuggestions();
  const typed = match[2].toLowerCase();
  typing.start = caret - typed.length - 1;
  typing.options = room.participants
    .filter((p) => p.id !== state.me)
    .filter((p) => p.handle.toLowerCase().startsWith(typed) || p.name.toLowerCase().split(/\s+/).some((word) => word.startsWith(typed)))
    .slice(0, 8);
  typing.active = typing.options.length > 0 ? 0 : -1;
  renderSuggestions();
}

function accept(index) {
  const person = typing.options[index];
  if (!person) return;
  const caret = box.selectionStart;
  const inserted = `@${person.handle} `;
  box.value = box.value.slice(0, typing.start) + inserted + box.value.slice(caret);
  const at = typing.start + inserted.length;
  box.setSelectionRange(at, at);
  closeSuggestions();
  box.focus();
}

box.addEventListener("input", suggest);
box.addEventListener("blur", () => setTimeout(closeSuggestions, 0));
box.addEventListener("keydown", (event) => {
  if (!suggestions.hidden) {
    const count = typing.options.length;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      typing.active = (typing.active + (event.key === "ArrowDown" ? 1 : count - 1)) % count;
      return renderSuggestions();
    }
    if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      return accept(typing.active);
    }
    if (event.key === "Escape") {
      event.preventDefault();
      return closeSuggestions();
    }
  }
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    el("composer").requestSubmit();
  }
});

function showError(error) {
  el("compose-error").textContent = error instanceof Error ? error.message : String(error);
}

el("composer").addEventListener("submit", async (event) => {
  event.preventDefault();
  const content = box.value.trim();
  if (!content || !state.roomId) return;
  const send = el("send");
  send.disabled = true;
  el("compose-error").textContent = "";
  try {
    const message = await api(`/rooms/${encodeURIComponent(state.roomId)}/messages`, { method: "POST", body: JSON.stringify({ as: state.me, content }) });
    box.value = "";
    showMessage(message);
  } catch (error) {
    showError(error);
  } finally {
    send.disabled = false;
    box.focus();
  }
});

personSelect.addEventListener("change", () => {
  state.me = personSelect.value;
  fillRooms();
  void loadRoom().catch(showError);
});
roomSelect.addEventListener("change", () => {
  state.roomId = roomSelect.value;
  void loadRoom().catch(showError);
});

// ---- start --------------------------------------------------------------------------------------------------

function applyWorld(world) {
  state.agent = world.agent;
  state.paused = world.paused;
  state.people = world.people;
  state.online = new Set(world.online);
  state.rooms = new Map(world.rooms.map((room) => [room.id, room]));
  state.working = new Map(world.rooms.map((room) => [room.id, room.working]));
}

/** After a reconnect: people, rooms and presence as they are now; a different world is said so. */
async function reloadWorld() {
  const world = await api("/world");
  showWorld(world, state.world?.id);
  applyWorld(world);
  if (!state.people.some((p) => p.id === state.me)) state.me = state.people[0]?.id;
  fillPeople();
  fillRooms();
  await loadRoom();
}

/** Which sandbox this is; a link made for another one (another port, another data folder) is said so, not followed silently. */
function showWorld(world, asked) {
  state.world = world.world;
  const { id, kept_in, temporary, not_saved } = world.world;
  const where = kept_in ? `kept in ${kept_in}` : `temporary: ${temporary}`;
  el("world").textContent = `Sandbox on port ${location.port || "80"}, world ${id.slice(0, 8)} (${where})${not_saved ? `. Not saved: ${not_saved}` : ""}`;
  const notice = el("notice");
  notice.hidden = !asked || asked === world.world.id;
  notice.textContent = notice.hidden ? "" : `This link was made for another sandbox (world ${asked.slice(0, 8)}); the one at this address now is world ${world.world.id.slice(0, 8)}, with its own rooms and messages.`;
}

async function start() {
  const world = await api("/world");
  const params = new URLSearchParams(location.search);
  showWorld(world, params.get("world"));
  applyWorld(world);
  const asked = params.get("as");
  state.me = (state.people.find((p) => p.id === asked || p.handle === asked) ?? state.people[0]).id;
  state.roomId = params.get("room") ?? undefined;
  fillPeople();
  fillRooms();
  await loadRoom();
  listen();
}

function begin() {
  start().catch((error) => {
    el("connection").textContent = `${error.message} Trying again…`;
    setTimeout(begin, 2000);
  });
}
begin();

import { describe, expect, it } from "vitest";
import { contactsTools } from "../../src/tools/contacts/index.js";
import { humanTools } from "../../src/tools/human/index.js";
import { ALL_TOOLS } from "../../src/tools/index.js";
import { memoriesTools } from "../../src/tools/memories/index.js";
import { tasksTools } from "../../src/tools/tasks/index.js";

const MINE = [...contactsTools, ...memoriesTools, ...tasksTools, ...humanTools];

/** The core tool names fixed by the public contract, so references to tools written elsewhere are checked even before they exist. */
const CORE = [
  "band_wait_for_message", "band_get_inbox", "band_mark_processed", "band_mark_failed", "band_status",
  "band_get_me", "band_list_chats", "band_get_chat", "band_create_chat", "band_rename_chat", "band_get_context", "band_list_messages",
  "band_send_message", "band_send_and_wait", "band_send_event", "band_report_activity",
  "band_list_participants", "band_add_participant", "band_remove_participant", "band_list_peers",
  "band_get_next_message", "band_mark_processing",
];
/** Ids Band never answers 404 for: a foreign tracker's id, a memory's subject, a new room's task link. */
const NOT_LOOKED_UP = ["linked_native_id", "subject_id", "task_id"];
const KNOWN = new Set([...ALL_TOOLS.map((t) => t.name), ...CORE]);

describe("contacts, memories, tasks and human tools", () => {
  it("cover the 17 agent and 29 human operations they own", () => {
    expect(contactsTools.flatMap((t) => t.operations)).toHaveLength(5);
    expect(memoriesTools.flatMap((t) => t.operations)).toHaveLength(5);
    expect(tasksTools.flatMap((t) => t.operations)).toHaveLength(7);
    const human = humanTools.flatMap((t) => t.operations);
    expect(human).toHaveLength(29);
    expect(new Set(human).size).toBe(29);
    for (const tool of humanTools) expect(tool.name, tool.name).toMatch(/^band_me_/);
  });

  it("name only tools that exist, in descriptions and idSources", () => {
    for (const tool of MINE) {
      const mentioned = tool.description.match(/band_[a-z_]*[a-z](?![a-z_*])/g) ?? [];
      for (const name of mentioned) expect(KNOWN.has(name), `${tool.name} mentions ${name}`).toBe(true);
      for (const [param, source] of Object.entries(tool.idSources ?? {})) {
        expect(Object.keys(tool.input), `${tool.name}.idSources`).toContain(param);
        expect(KNOWN.has(source!), `${tool.name}.idSources.${param}`).toBe(true);
      }
    }
  });

  it("say where every id argument comes from", () => {
    for (const tool of MINE) {
      const idParams = Object.keys(tool.input).filter((p) => p.endsWith("_id") && !NOT_LOOKED_UP.includes(p));
      for (const param of idParams) expect(Object.keys(tool.idSources ?? {}), `${tool.name}.${param}`).toContain(param);
    }
  });

  it("mark removals, deletions and archiving destructive, and lookups read-only", () => {
    for (const tool of MINE) {
      const destructiveVerb = /_(remove|delete|archive|supersede|reject|cancel)_/.test(`${tool.name}_`);
      if (destructiveVerb) expect(tool.annotations.destructiveHint, tool.name).toBe(true);
      if (/_(list|get)_/.test(`${tool.name}_`)) expect(tool.annotations.readOnlyHint, tool.name).toBe(true);
      expect(tool.annotations.openWorldHint, tool.name).toBe(true);
    }
  });
});

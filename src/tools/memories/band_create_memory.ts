import { z } from "zod";
import { compact } from "../common.js";
import { defineTool, ToolError } from "../define.js";
import { idArg, type RequestBody } from "../common.js";
import type { BandData } from "../../band/http.js";
import { memoryOutput, memorySegment, memorySystem, memoryType } from "./shared.js";

const tag = z.string().trim().min(1).max(100);

export default defineTool({
  name: "band_create_memory",
  toolset: "memories",
  title: "Store a memory",
  description:
    "Stores a memory on Band that this and other agents can recall later with band_list_memories. " +
    "scope subject (the default) files it about one user or agent: pass their id as subject_id (a sender id from band_get_inbox, or an id from " +
    "band_list_participants or band_list_peers). scope organization shares it with every agent in the organisation, without subject_id. " +
    "system and type classify it and must fit together: sensory with iconic, echoic or haptic; long_term with episodic (events), semantic (facts) " +
    "or procedural (how-tos); working for short-lived task context. segment says whose knowledge it is (user, agent, tool, guideline); " +
    "thought records why it is worth keeping. When it replaces an older memory, list that id in references and retire the old one with band_supersede_memory.",
  input: {
    content: z.string().trim().min(1).max(10_000).describe("The fact, event or procedure to remember."),
    system: memorySystem.describe("Memory system tier."),
    type: memoryType.describe("Memory type; must fit the system."),
    segment: memorySegment.describe("Whose knowledge this is."),
    thought: z.string().trim().min(1).max(2_000).describe("Why this is worth remembering."),
    scope: z.enum(["subject", "organization"]).optional().describe("subject (default): about subject_id; organization: shared org-wide."),
    subject_id: idArg("Id of the user or agent this memory is about; required for scope subject.").optional(),
    tags: z.array(tag).max(20).optional().describe("Tags for finding it again."),
    references: z.array(tag).max(20).optional().describe("Ids of related memories (from band_list_memories)."),
  },
  output: memoryOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  operations: ["createAgentMemory"],
  async handler(params, ctx) {
    const { content, system, type, segment, thought, scope = "subject", subject_id, tags, references } = params;
    if (scope === "subject" && subject_id === undefined) {
      throw new ToolError(
        'band_create_memory needs subject_id for scope "subject" (the default): pass the id of the user or agent the memory is about ' +
          '(from band_get_inbox, band_list_participants or band_list_peers), or set scope to "organization" to share it org-wide.',
      );
    }
    const metadata = tags || references ? compact({ tags, references }) : undefined;
    const body = {
      memory: { content, system, type, segment, thought, scope, ...compact({ subject_id, metadata }) },
    } satisfies RequestBody<"createAgentMemory">;
    const { data } = await ctx.band.call("createAgentMemory", { body, signal: ctx.signal });
    return { memory: data as BandData<"createAgentMemory"> };
  },
});

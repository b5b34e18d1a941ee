import { z } from "zod";
import { idArg } from "../common.js";

export const memorySystem = z.enum(["sensory", "working", "long_term"]);
export const memoryType = z.enum(["iconic", "echoic", "haptic", "episodic", "semantic", "procedural"]);
export const memorySegment = z.enum(["user", "agent", "tool", "guideline"]);

/** The search filters both memory listings share (agent and human). */
export const memoryFilters = {
  content_query: z.string().trim().min(1).max(500).optional().describe("Full-text search over memory content."),
  system: memorySystem.optional().describe("Only memories of this system."),
  type: memoryType.optional().describe("Only memories of this type."),
  segment: memorySegment.optional().describe("Only memories of this segment."),
  status: z.enum(["active", "superseded", "archived", "all"]).optional().describe("Lifecycle filter; Band lists active memories unless told otherwise."),
};

export const memoryId = (listTool: string) => idArg(`Memory id (from ${listTool}).`);

/** A memory as Band returns it; Band's further fields pass through. */
export const memoryOutput = {
  memory: z.looseObject({
    id: z.string(),
    content: z.string(),
    system: z.string(),
    type: z.string(),
    segment: z.string(),
    scope: z.string(),
    status: z.string().optional(),
    subject_id: z.string().nullable().optional(),
    thought: z.string().nullable().optional(),
  }),
};

import { DEFAULT_TOOLSETS, TOOLSETS } from "../../src/config.js";
import { TOOL_BUDGET_PER_TOOL, toolListCost } from "../../scripts/tool-budget.js";
import type { Figure } from "../report.js";

/** What the model reads before doing anything: the tool list, per tool on average, default toolsets and `all`. */
export async function toolList(): Promise<Figure[]> {
  const defaults = await toolListCost(DEFAULT_TOOLSETS);
  const all = await toolListCost(TOOLSETS);
  const note = (cost: typeof defaults) => `${cost.tools} tools, ${cost.chars} chars; JSON.stringify({name, description, inputSchema}) per tool, as tools/list sends it; largest ${cost.byTool[0]?.name} (${cost.byTool[0]?.chars})`;
  return [
    { key: "tool_list_default_chars_per_tool", label: "tool list per tool (default)", value: defaults.perTool, unit: "chars", target: { op: "<=", value: TOOL_BUDGET_PER_TOOL }, note: note(defaults) },
    { key: "tool_list_all_chars_per_tool", label: "tool list per tool (all)", value: all.perTool, unit: "chars", note: note(all) },
  ];
}

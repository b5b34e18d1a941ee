import type { ToolDefinition } from "../define.js";
import band_create_task from "./band_create_task.js";
import band_get_board from "./band_get_board.js";
import band_get_task from "./band_get_task.js";
import band_get_task_history from "./band_get_task_history.js";
import band_list_tasks from "./band_list_tasks.js";
import band_set_board from "./band_set_board.js";
import band_update_task from "./band_update_task.js";

export const tasksTools: ToolDefinition[] = [
  band_list_tasks,
  band_get_task,
  band_create_task,
  band_update_task,
  band_get_task_history,
  band_get_board,
  band_set_board,
];

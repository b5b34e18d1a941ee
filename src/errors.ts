/** A failure a handler detected itself (an unknown handle, a bad combination of arguments): shown to the model as is. */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ToolError";
  }
}

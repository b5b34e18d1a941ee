import { describe, expect, it } from "vitest";
import { RecentIds } from "../../src/recent-ids.js";

describe("RecentIds", () => {
  it("says whether an id is new, and remembers it", () => {
    const ids = new RecentIds(3);
    expect(ids.add("a")).toBe(true);
    expect(ids.add("a")).toBe(false);
    expect(ids.has("a")).toBe(true);
    expect(ids.has("b")).toBe(false);
  });

  it("forgets the oldest first past its limit; a repeat does not make an id younger", () => {
    const ids = new RecentIds(3);
    for (const id of ["a", "b", "c"]) ids.add(id);
    ids.add("a");
    ids.add("d");
    expect(["a", "b", "c", "d"].filter((id) => ids.has(id))).toEqual(["b", "c", "d"]);
  });
});

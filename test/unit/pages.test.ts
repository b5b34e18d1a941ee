import { describe, expect, it } from "vitest";
import { backoff } from "../../src/backoff.js";
import type { BandClient } from "../../src/band/http.js";
import { MAX_PAGES, PageWalkError, cursorPages } from "../../src/band/pages.js";

/** A Band whose listing answers `page(n)` for the n-th request (from 1), counting requests. */
function bandAnswering(page: (n: number) => { data: unknown[]; next?: string }): BandClient & { requests: number } {
  const band = {
    requests: 0,
    call: async () => {
      const { data, next } = page(++band.requests);
      return { status: 200, data, metadata: next === undefined ? { has_more: false } : { has_more: true, next_cursor: next } };
    },
  };
  return band as unknown as BandClient & { requests: number };
}

async function walk(band: BandClient): Promise<number> {
  let items = 0;
  for await (const page of cursorPages(band, "listAgentMessages", "chat")) items += (page.items as unknown[]).length;
  return items;
}

describe("cursor page walks end", () => {
  it("a cursor Band already gave stops the walk at once", async () => {
    const band = bandAnswering((n) => ({ data: [{ id: `m${n}` }], next: "same" }));
    await expect(walk(band)).rejects.toThrow(PageWalkError);
    expect(band.requests).toBe(2);
  });

  it("empty pages that keep saying there are more stop after ten", async () => {
    const band = bandAnswering((n) => ({ data: [], next: `c${n}` }));
    await expect(walk(band)).rejects.toThrow(/empty pages in a row/);
    expect(band.requests).toBe(10);
  });

  it("a walk that never ends stops at the page cap; a normal one reads every page", async () => {
    const endless = bandAnswering((n) => ({ data: [{ id: `m${n}` }], next: `c${n}` }));
    await expect(walk(endless)).rejects.toThrow(`more than ${MAX_PAGES} pages`);
    expect(endless.requests).toBe(MAX_PAGES);
    const finite = bandAnswering((n) => (n < 3 ? { data: [{ id: "a" }, { id: "b" }], next: `c${n}` } : { data: [{ id: "c" }] }));
    expect(await walk(finite)).toBe(5);
  });
});

describe("backoff", () => {
  it("doubles from base to the cap, with jitter in the upper half", () => {
    for (let attempt = 1; attempt <= 8; attempt++) {
      const ceiling = Math.min(1_000, 100 * 2 ** (attempt - 1));
      for (let i = 0; i < 50; i++) {
        const wait = backoff(attempt, 100, 1_000);
        expect(wait).toBeGreaterThanOrEqual(ceiling / 2);
        expect(wait).toBeLessThanOrEqual(ceiling);
      }
    }
  });
});

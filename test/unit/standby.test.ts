import { describe, expect, it } from "vitest";
import { Standby, type StandbyState } from "../../src/inbox/standby.js";

describe("Standby", () => {
  it("still says it stands by while an attempt is under way, until the next schedule or the reset", async () => {
    let during: StandbyState | undefined;
    let attempted!: () => void;
    const attempt = new Promise<void>((resolve) => (attempted = resolve));
    const standby = new Standby({ baseMs: 1, maxMs: 5 }, () => {
      during = standby.state;
      attempted();
    });
    standby.schedule();
    await attempt;
    expect(during).toMatchObject({ attempts: 1, next_attempt_at: expect.any(String) });
    expect(standby.state).toMatchObject({ attempts: 1 });
    standby.schedule();
    expect(standby.state).toMatchObject({ attempts: 2 });
    standby.reset();
    expect(standby.state).toBeUndefined();
  });
});

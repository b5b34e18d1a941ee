import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error plain .mjs script without types
import { generateOpenApiTypes, generateOperationTable } from "../../scripts/openapi-types.mjs";

const root = join(import.meta.dirname, "../..");

describe("generated files", () => {
  it("OpenAPI types match the committed spec", async () => {
    expect(readFileSync(join(root, "src/band/generated/openapi.ts"), "utf8")).toBe(await generateOpenApiTypes());
  });

  it("the operation table matches the committed spec", () => {
    expect(readFileSync(join(root, "src/band/generated/operations.ts"), "utf8")).toBe(generateOperationTable());
  });

  const shared = join(root, "../shared/band");
  it.skipIf(!existsSync(shared))("the committed spec is the one in shared/, when shared/ is beside the repository", () => {
    for (const file of ["openapi.json", "openapi.normalized.json"]) {
      expect(readFileSync(join(root, "spec", file), "utf8"), file).toBe(readFileSync(join(shared, file), "utf8"));
    }
  });
});

// Regenerates src/band/generated/* from spec/openapi.normalized.json. The tests check for drift.
import { writeFileSync } from "node:fs";
import { generateOpenApiTypes, generateOperationTable } from "./openapi-types.mjs";

writeFileSync(new URL("../src/band/generated/openapi.ts", import.meta.url), await generateOpenApiTypes());
writeFileSync(new URL("../src/band/generated/operations.ts", import.meta.url), generateOperationTable());

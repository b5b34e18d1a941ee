import type { z } from "zod";
import { SETTINGS, type Setting, type SettingName } from "./table.js";

export type Env = Record<string, string | undefined>;

/** A variable's value, trimmed; undefined when unset or blank. */
export function nonEmpty(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

/** The first of a setting's names (the variable, then its aliases) that is set, and its value. */
export function firstSet(env: Env, names: readonly string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = nonEmpty(env, name);
    if (value !== undefined) return { name, value };
  }
  return undefined;
}

type Table = typeof SETTINGS;
/** The settings the table checks and loads by itself: a variable and a schema. */
export type Loaded = { [K in SettingName as Table[K] extends { env: string; schema: z.ZodType } ? K : never]: Table[K] extends { schema: infer S extends z.ZodType }
  ? Table[K] extends { default: unknown }
    ? z.output<S>
    : z.output<S> | undefined
  : never };

/** Settings that flags can set too (flags win over the environment); `--sandbox` adds its chat's address. */
export type ConfigFlags = { [K in SettingName as Table[K] extends { env: string; flag: string } ? K : never]?: Table[K] extends { value: string } ? string : boolean } & {
  sandboxChatUrl?: string;
};

/** One problem with a value: `NAME="value" must be …`, or without the value when the setting says so. */
export function problemWith(name: string, setting: Setting, raw: string, error: z.ZodError): string {
  const message = error.issues[0]?.message ?? "is invalid";
  return setting.quiet ? `${name} ${message}` : `${name}=${JSON.stringify(raw)} ${message}.`;
}

/** Every setting with a variable and a schema: the flag's value, else the variable's, checked; the default when neither. */
export function loadSettings(env: Env, flags: ConfigFlags, problems: string[]): Loaded {
  const values: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(SETTINGS) as [SettingName, Setting][]) {
    if (setting.env === undefined || setting.schema === undefined) continue;
    const flag = (flags as Record<string, string | boolean | undefined>)[key];
    if (typeof flag === "boolean") {
      values[key] = flag;
      continue;
    }
    const found = flag !== undefined ? { name: setting.env, value: flag } : firstSet(env, [setting.env, ...(setting.aliases ?? [])]);
    values[key] = setting.default;
    if (found === undefined) continue;
    const result = setting.schema.safeParse(found.value);
    if (result.success) values[key] = result.data;
    else problems.push(problemWith(found.name, setting, found.value, result.error));
  }
  return values as Loaded;
}

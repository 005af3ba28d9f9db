import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { ENVIRONMENT_VARIABLES, SERVER_ONLY_VARIABLES, parseEnv } from "./index";

const SECRET = "x".repeat(48);
const documented = [...ENVIRONMENT_VARIABLES, ...SERVER_ONLY_VARIABLES].sort();

/** The configuration table of docs/configuration.md: each row's variable names and, when it is one backticked value, its default. */
function readmeRows(): { names: string[]; defaultValue?: string }[] {
  const readme = readFileSync("docs/configuration.md", "utf8");
  const table = readme.slice(readme.indexOf("| variable | default | meaning |")).split("\n\n")[0];
  return table
    .split("\n")
    .slice(2)
    .map((row) => {
      const [names, defaults] = row.split(" | ").map((cell) => cell.replace(/^\| /, ""));
      const single = /^`([^`]+)`$/.exec(defaults.trim());
      return { names: [...names.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((match) => match[1]), defaultValue: single?.[1] };
    });
}

/** `.env.example`'s `NAME=value` lines, commented out or not. */
function exampleEntries(): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of readFileSync(".env.example", "utf8").split("\n")) {
    const match = /^#? ?([A-Z][A-Z0-9_]+)=(.*)$/.exec(line);
    if (match) entries.set(match[1], match[2]);
  }
  return entries;
}

/** Whether giving `value` for `name` configures the same as leaving it unset; undefined when it has no default. */
function isDefault(name: string, value: string): boolean | undefined {
  if (!(ENVIRONMENT_VARIABLES as string[]).includes(name)) return undefined;
  const unset = parseEnv({ AUTH_SECRET: SECRET })[name as keyof ReturnType<typeof parseEnv>];
  if (unset === undefined || (Array.isArray(unset) && unset.length === 0)) return undefined;
  return isDeepStrictEqual(parseEnv({ AUTH_SECRET: SECRET, [name]: value })[name as keyof ReturnType<typeof parseEnv>], unset);
}

describe("the documented configuration", () => {
  it("names every variable lib/env reads in docs/configuration.md, and nothing else", () => {
    expect(readmeRows().flatMap((row) => row.names).sort()).toEqual(documented);
  });

  it("lists every variable in .env.example, and nothing else", () => {
    expect([...exampleEntries().keys()].sort()).toEqual(documented);
  });

  it("gives the defaults lib/env really uses, in docs/configuration.md and in .env.example", () => {
    const wrong: string[] = [];
    for (const { names, defaultValue } of readmeRows()) {
      if (names.length === 1 && defaultValue && isDefault(names[0], defaultValue) === false) wrong.push(`docs/configuration.md ${names[0]}=${defaultValue}`);
    }
    for (const [name, value] of exampleEntries()) {
      if (value && isDefault(name, value) === false && name !== "AUTH_TRUST_PROXY") wrong.push(`.env.example ${name}=${value}`);
    }
    expect(wrong).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { CATALOGUES, DEFAULT_LOCALE, LOCALES, negotiateLocale, resolveLocale } from "./locales";

type Tree = { [key: string]: string | Tree };

/** Every leaf of a catalogue as `namespace.key` → text. */
function leaves(tree: Tree, prefix = ""): Map<string, unknown> {
  const found = new Map<string, unknown>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === "object") for (const [leaf, text] of leaves(value, path)) found.set(leaf, text);
    else found.set(path, value);
  }
  return found;
}

const source = leaves(CATALOGUES[DEFAULT_LOCALE] as Tree);

describe("the message catalogues", () => {
  it.each(LOCALES)("%s has exactly the keys of the English catalogue, none of them empty", (locale) => {
    const catalogue = leaves(CATALOGUES[locale] as Tree);
    expect([...catalogue.keys()].filter((key) => !source.has(key))).toEqual([]);
    expect([...source.keys()].filter((key) => !catalogue.has(key))).toEqual([]);
    expect([...catalogue].filter(([, text]) => typeof text !== "string" || !text.trim()).map(([key]) => key)).toEqual([]);
  });
});

describe("choosing the reader's language", () => {
  it("follows Accept-Language by weight and primary subtag, English when nothing matches", () => {
    expect(negotiateLocale("de-DE,de;q=0.9,en;q=0.8")).toBe("de");
    expect(negotiateLocale("fr-FR, de-AT;q=0.7, en;q=0.5")).toBe("de");
    expect(negotiateLocale("en;q=0.4, de;q=0.8")).toBe("de");
    expect(negotiateLocale("fr, es")).toBe("en");
    expect(negotiateLocale("de;q=0")).toBe("en");
    expect(negotiateLocale(undefined)).toBe("en");
  });

  it("lets the switch's cookie win over the browser, and ignores a cookie naming no language of ours", () => {
    expect(resolveLocale("en", "de-DE")).toBe("en");
    expect(resolveLocale("de", "en-US")).toBe("de");
    expect(resolveLocale("xx", "de-DE")).toBe("de");
    expect(resolveLocale("toString", undefined)).toBe("en");
  });
});

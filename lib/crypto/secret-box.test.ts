import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseEnv, resetEnvCache } from "@/lib/env";
import { SecretBoxError, isSealed, keyFromAuthSecret, keyRing, keyRingFrom, openSecret, sealSecret, sealedKeyId } from "./secret-box";

const AUTH_SECRET = "a-test-auth-secret-of-at-least-32-bytes";
const PURPOSE = "totp-secret";
const PLAINTEXT = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

const newKey = () => randomBytes(32).toString("base64");
const ringOf = (...keys: string[]) => keyRingFrom(parseEnv({ AUTH_SECRET, AUTH_ENCRYPTION_KEY: keys.join(",") }));

/** Replaces one base64url character of part `index` so that the decoded bytes really change. */
function tamper(sealed: string, index: number): string {
  const parts = sealed.split(".");
  const part = parts[index];
  const position = Math.floor(part.length / 2);
  parts[index] = `${part.slice(0, position)}${part[position] === "A" ? "B" : "A"}${part.slice(position + 1)}`;
  return parts.join(".");
}

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

describe("sealed secrets", () => {
  it("round-trip, in a versioned format that names the key, with a fresh IV every time", () => {
    const ring = ringOf(newKey());
    const sealed = sealSecret(PLAINTEXT, PURPOSE, ring);
    expect(sealed).toMatch(/^v1\.[\w-]{8}\.[\w-]{16}\.[\w-]+$/);
    expect(sealed).not.toContain(PLAINTEXT);
    expect(isSealed(sealed)).toBe(true);
    expect(isSealed(PLAINTEXT)).toBe(false);
    expect(sealedKeyId(sealed)).toBe(ring.sealing.id);
    expect(openSecret(sealed, PURPOSE, ring)).toBe(PLAINTEXT);
    const again = sealSecret(PLAINTEXT, PURPOSE, ring);
    expect(again.split(".")[2]).not.toBe(sealed.split(".")[2]);
    expect(openSecret(again, PURPOSE, ring)).toBe(PLAINTEXT);
  });

  it("refuse an altered ciphertext, tag, IV, key id, version or purpose", () => {
    const ring = ringOf(newKey(), newKey());
    const sealed = sealSecret(PLAINTEXT, PURPOSE, ring);
    const [version, keyId, iv, body] = sealed.split(".");
    const bodyBytes = Buffer.from(body, "base64url");
    const flipByte = (bytes: Buffer, index: number) => {
      const copy = Buffer.from(bytes);
      copy[index] ^= 1;
      return copy.toString("base64url");
    };
    const otherKeyId = [...ring.opening.keys()].find((id) => id !== keyId)!;
    const altered = [
      `${version}.${keyId}.${iv}.${flipByte(bodyBytes, 0)}`, // ciphertext
      `${version}.${keyId}.${iv}.${flipByte(bodyBytes, bodyBytes.length - 1)}`, // tag
      `${version}.${keyId}.${iv}.${body.slice(0, -4)}`, // truncated
      tamper(sealed, 2), // IV
      `${version}.${otherKeyId}.${iv}.${body}`, // another key of the ring
      `${version}.AAAAAAAA.${iv}.${body}`, // a key nobody has
      `v2.${keyId}.${iv}.${body}`,
      `${sealed}.extra`,
      `${version}.${keyId}.${iv}.${body}=`, // a second spelling of the same bytes
    ];
    for (const value of altered) expect(() => openSecret(value, PURPOSE, ring), value).toThrow(SecretBoxError);
    expect(() => openSecret(sealed, "api-signing-key", ring)).toThrow(SecretBoxError);
    expect(() => openSecret(sealed, "", ring)).toThrow(SecretBoxError);
    expect(openSecret(sealed, PURPOSE, ring)).toBe(PLAINTEXT);
  });

  it("the first key seals; after a rotation the older keys still open", () => {
    const [oldKey, newerKey] = [newKey(), newKey()];
    const before = ringOf(oldKey);
    const sealedBefore = sealSecret(PLAINTEXT, PURPOSE, before);

    const rotated = ringOf(newerKey, oldKey);
    expect(rotated.sealing.id).not.toBe(before.sealing.id);
    expect(openSecret(sealedBefore, PURPOSE, rotated)).toBe(PLAINTEXT);
    const sealedAfter = sealSecret(PLAINTEXT, PURPOSE, rotated);
    expect(sealedKeyId(sealedAfter)).toBe(rotated.sealing.id);
    expect(() => openSecret(sealedAfter, PURPOSE, before)).toThrow(SecretBoxError);

    const oldDropped = ringOf(newerKey);
    expect(openSecret(sealedAfter, PURPOSE, oldDropped)).toBe(PLAINTEXT);
    expect(() => openSecret(sealedBefore, PURPOSE, oldDropped)).toThrow(/No configured key/);
  });

  it("without AUTH_ENCRYPTION_KEY use a stable key derived from AUTH_SECRET, never its bytes, which still opens once keys are set", () => {
    const derived = keyFromAuthSecret(AUTH_SECRET);
    expect(derived.key).toHaveLength(32);
    expect(derived.key.equals(Buffer.from(AUTH_SECRET).subarray(0, 32))).toBe(false);
    expect(derived.key.toString("latin1")).not.toContain(AUTH_SECRET.slice(0, 8));
    expect(keyFromAuthSecret(AUTH_SECRET).key.equals(derived.key)).toBe(true);
    expect(keyFromAuthSecret(`${AUTH_SECRET}-rotated`).key.equals(derived.key)).toBe(false);

    const unset = keyRingFrom(parseEnv({ AUTH_SECRET }));
    expect(unset.sealing.id).toBe(derived.id);
    const sealed = sealSecret(PLAINTEXT, PURPOSE, unset);
    const configured = ringOf(newKey());
    expect(configured.sealing.id).not.toBe(derived.id);
    expect(openSecret(sealed, PURPOSE, configured)).toBe(PLAINTEXT);
  });

  it("use the environment's ring by default", () => {
    const key = newKey();
    vi.stubEnv("AUTH_ENCRYPTION_KEY", key);
    resetEnvCache();
    const sealed = sealSecret(PLAINTEXT, PURPOSE);
    expect(sealedKeyId(sealed)).toBe(ringOf(key).sealing.id);
    expect(keyRing()).toBe(keyRing());
    expect(openSecret(sealed, PURPOSE, ringOf(key))).toBe(PLAINTEXT);
  });
});

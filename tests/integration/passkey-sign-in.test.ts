import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { passkeyAuthenticationOptions, verifyPasskeyLogin } from "@/lib/services/passkeys";
import { freshDatabase, type TestDatabase } from "../support/database";
import { TEST_CONTEXT, createUserWithToken } from "../support/http";
import { SoftAuthenticator } from "../support/soft-authenticator";

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => {
  await database.dispose();
});

/** A fresh challenge, signed by the key: the assertion a browser would post. */
async function signedAssertion(key: SoftAuthenticator, options?: Parameters<SoftAuthenticator["assert"]>[1]) {
  const { challenge } = await passkeyAuthenticationOptions();
  return key.assert(challenge, options);
}

// Every assertion here is really signed by a registered key, so each refusal comes from the rule it names.
describe("passkey sign-in with a really signed assertion", () => {
  it("signs in, and keeps the signature counter", async () => {
    const { user } = await createUserWithToken("softkey");
    const key = new SoftAuthenticator();
    await key.registerFor(user.id);
    expect(await verifyPasskeyLogin(await signedAssertion(key), TEST_CONTEXT)).toMatchObject({ id: user.id });
    expect(await verifyPasskeyLogin(await signedAssertion(key), TEST_CONTEXT)).toMatchObject({ id: user.id });
    const stored = await database.prisma.authenticator.findUniqueOrThrow({ where: { credentialID: key.credentialID } });
    expect(stored.counter).toBe(2);
    expect(stored.lastUsedAt).not.toBeNull();
  });

  // The DER encoding drops an integer's leading zero bytes; a verifier that doesn't pad r and s back to 32 bytes
  // refuses about 1 in 128 genuine sign-ins (@simplewebauthn/server before 10.0.1 did).
  it.each(["r", "s"] as const)("accepts a signature whose %s is below 2^248 (shorter than 32 bytes)", async (integer) => {
    const shape = `short ${integer}` as const;
    const { user } = await createUserWithToken(`short${integer}`);
    const key = new SoftAuthenticator();
    await key.registerFor(user.id);
    expect(await verifyPasskeyLogin(await signedAssertion(key, { shape }), TEST_CONTEXT)).toMatchObject({ id: user.id });
  });

  it("refuses a challenge used once already, and one never issued", async () => {
    const { user } = await createUserWithToken("replay");
    const key = new SoftAuthenticator();
    await key.registerFor(user.id);
    const assertion = await signedAssertion(key);
    expect(await verifyPasskeyLogin(assertion, TEST_CONTEXT)).not.toBeNull();
    expect(await verifyPasskeyLogin(assertion, TEST_CONTEXT)).toBeNull();
    expect(await verifyPasskeyLogin(key.assert("bmV2ZXItaXNzdWVk"), TEST_CONTEXT)).toBeNull();
  });

  it("refuses a signature counter that goes backwards (a cloned authenticator)", async () => {
    const { user } = await createUserWithToken("clone");
    const key = new SoftAuthenticator();
    await key.registerFor(user.id);
    expect(await verifyPasskeyLogin(await signedAssertion(key, { counter: 5 }), TEST_CONTEXT)).not.toBeNull();
    expect(await verifyPasskeyLogin(await signedAssertion(key, { counter: 3 }), TEST_CONTEXT)).toBeNull();
    expect(await verifyPasskeyLogin(await signedAssertion(key, { counter: 6 }), TEST_CONTEXT)).not.toBeNull();
  });

  it("refuses another origin's assertion, and a locked account's passkey", async () => {
    const { user } = await createUserWithToken("lockedkey");
    const key = new SoftAuthenticator();
    await key.registerFor(user.id);
    expect(await verifyPasskeyLogin(await signedAssertion(key, { origin: "https://evil.example" }), TEST_CONTEXT)).toBeNull();
    await database.prisma.user.update({ where: { id: user.id }, data: { lockedAt: new Date() } });
    expect(await verifyPasskeyLogin(await signedAssertion(key), TEST_CONTEXT)).toBeNull();
    await database.prisma.user.update({ where: { id: user.id }, data: { lockedAt: null } });
    expect(await verifyPasskeyLogin(await signedAssertion(key), TEST_CONTEXT)).not.toBeNull();
  });
});

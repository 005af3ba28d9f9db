import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  listPasskeys,
  passkeyAuthenticationOptions,
  passkeyRegistrationOptions,
  registerPasskey,
  removePasskey,
  renamePasskey,
  verifyPasskeyLogin,
} from "@/lib/services/passkeys";
import { freshDatabase, type TestDatabase } from "../support/database";
import { PASSWORD, TEST_CONTEXT, createUserWithToken } from "../support/http";
import { SoftAuthenticator } from "../support/soft-authenticator";

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => {
  await database.dispose();
});

describe("passkeys", () => {
  it("registration options need the password again, exclude the user's passkeys and ask for a discoverable credential", async () => {
    const { user } = await createUserWithToken("pkopts");
    await expect(passkeyRegistrationOptions(user.id, "definitely not the password", TEST_CONTEXT)).rejects.toMatchObject({ status: 401, code: "invalid_credentials", fields: { password: expect.any(Array) } });
    await database.prisma.authenticator.create({
      data: { credentialID: "Y3JlZC0x", userId: user.id, providerAccountId: user.id, credentialPublicKey: "AA", counter: 0, credentialDeviceType: "singleDevice", credentialBackedUp: false, name: "Old key" },
    });
    const options = await passkeyRegistrationOptions(user.id, PASSWORD, TEST_CONTEXT);
    expect(options.rp).toEqual({ name: "Latchkey", id: "localhost" });
    expect(options.user.name).toBe(user.username);
    expect(options.authenticatorSelection).toMatchObject({ residentKey: "required" });
    expect(options.excludeCredentials?.map((credential) => credential.id)).toEqual(["Y3JlZC0x"]);
    expect(await database.prisma.webAuthnChallenge.count({ where: { challenge: options.challenge, userId: user.id, purpose: "register" } })).toBe(1);
  });

  it("a registration answering a challenge that was never issued, or issued to someone else, is refused", async () => {
    const { user } = await createUserWithToken("pkreg");
    const { user: other } = await createUserWithToken("pkother");
    const options = await passkeyRegistrationOptions(other.id, PASSWORD, TEST_CONTEXT);
    const response = {
      id: "abc",
      rawId: "abc",
      type: "public-key" as const,
      clientExtensionResults: {},
      response: {
        clientDataJSON: Buffer.from(JSON.stringify({ type: "webauthn.create", challenge: options.challenge, origin: "http://localhost:3000" })).toString("base64url"),
        attestationObject: "AAAA",
      },
    };
    await expect(registerPasskey(user.id, response, "Stolen", TEST_CONTEXT)).rejects.toMatchObject({ status: 400, code: "invalid_challenge" });
    // The other user's challenge is still there for them, and a forged attestation fails verification.
    await expect(registerPasskey(other.id, response, "Forged", TEST_CONTEXT)).rejects.toMatchObject({ status: 400, code: "invalid_passkey" });
    expect(await listPasskeys(other.id)).toEqual([]);
  });

  it("sign-in refuses unknown credentials and bad signatures, and a failed attempt spends its challenge", async () => {
    const { user } = await createUserWithToken("pklogin");
    const key = new SoftAuthenticator();
    await key.registerFor(user.id);
    // A key nobody registered, signing a real challenge correctly.
    const stranger = new SoftAuthenticator();
    expect(await verifyPasskeyLogin(stranger.assert((await passkeyAuthenticationOptions()).challenge), TEST_CONTEXT)).toBeNull();
    // The registered key's id, signed by another key.
    const { challenge } = await passkeyAuthenticationOptions();
    const impostor = { ...stranger.assert(challenge), id: key.credentialID, rawId: key.credentialID };
    expect(await verifyPasskeyLogin(impostor, TEST_CONTEXT)).toBeNull();
    // Used up by that attempt, even though it failed: the genuine key can't answer it now.
    expect(await database.prisma.webAuthnChallenge.count({ where: { challenge } })).toBe(0);
    expect(await verifyPasskeyLogin(key.assert(challenge), TEST_CONTEXT)).toBeNull();
    expect(await verifyPasskeyLogin({} as never, TEST_CONTEXT)).toBeNull();
    // The same key on a fresh challenge: the refusals above were the rules', not the key's.
    expect(await verifyPasskeyLogin(key.assert((await passkeyAuthenticationOptions()).challenge), TEST_CONTEXT)).toMatchObject({ id: user.id });
  });

  it("only the owner can rename or remove a passkey", async () => {
    const { user } = await createUserWithToken("pkowner");
    const { user: other } = await createUserWithToken("pkthief");
    await database.prisma.authenticator.create({
      data: { credentialID: "b3duZWQ", userId: user.id, providerAccountId: user.id, credentialPublicKey: "AA", counter: 0, credentialDeviceType: "singleDevice", credentialBackedUp: false, name: "Phone" },
    });
    await expect(renamePasskey(other.id, "b3duZWQ", "Mine now")).rejects.toMatchObject({ status: 404 });
    await expect(removePasskey(other.id, "b3duZWQ", TEST_CONTEXT)).rejects.toMatchObject({ status: 404 });
    await renamePasskey(user.id, "b3duZWQ", "Work phone");
    expect((await listPasskeys(user.id)).map((passkey) => passkey.name)).toEqual(["Work phone"]);
    await removePasskey(user.id, "b3duZWQ", TEST_CONTEXT);
    expect(await listPasskeys(user.id)).toEqual([]);
  });
});

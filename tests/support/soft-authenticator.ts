import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { db } from "@/lib/db/client";
import { publicOrigin } from "@/lib/env";

/** What a browser posts after `navigator.credentials.get()`, in the JSON shape @simplewebauthn/browser sends. */
export type AssertionJson = {
  id: string;
  rawId: string;
  type: "public-key";
  response: { authenticatorData: string; clientDataJSON: string; signature: string; userHandle?: string };
  clientExtensionResults: Record<string, never>;
};

const b64url = (bytes: Buffer | Uint8Array) => Buffer.from(bytes).toString("base64url");
const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest();

/** A CBOR-encoded COSE_Key for an ES256 (P-256) public key: {1: 2, 3: -7, -1: 1, -2: x, -3: y}. */
function coseKey(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: "jwk" });
  const x = Buffer.from(jwk.x!, "base64url");
  const y = Buffer.from(jwk.y!, "base64url");
  return Buffer.concat([Buffer.from([0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20]), x, Buffer.from([0x22, 0x58, 0x20]), y]);
}

/** The integers r and s of a DER-encoded ECDSA signature (SEQUENCE { INTEGER r, INTEGER s }), leading zeros dropped. */
function signatureIntegers(der: Buffer): { r: Buffer; s: Buffer } {
  const integerAt = (offset: number) => {
    const length = der[offset + 1];
    const value = der.subarray(offset + 2, offset + 2 + length);
    let start = 0;
    while (start < value.length - 1 && value[start] === 0) start++;
    return { value: value.subarray(start), next: offset + 2 + length };
  };
  const r = integerAt(2);
  return { r: r.value, s: integerAt(r.next).value };
}

function hasShape(signature: Buffer, shape: SignatureShape): boolean {
  if (shape === "any") return true;
  const { r, s } = signatureIntegers(signature);
  return (shape === "short r" ? r : s).length < 32;
}

/** Which signatures to produce: any, or only ones whose r or s is below 2^248 (1 in 256 each for P-256). */
export type SignatureShape = "any" | "short r" | "short s";

/**
 * A software passkey: a real P-256 key whose public half is stored like a registered passkey, and which signs
 * real WebAuthn assertions. Only the rule under test can refuse what it signs, unlike a forged blob that fails
 * signature verification whatever the rule does.
 */
export class SoftAuthenticator {
  readonly credentialID = b64url(randomBytes(16));
  private readonly keys = generateKeyPairSync("ec", { namedCurve: "P-256" });
  counter = 0;

  /** Stores the credential as `registerPasskey` would have, for this user. */
  async registerFor(userId: string, name = "Soft key"): Promise<void> {
    await db().authenticator.create({
      data: {
        credentialID: this.credentialID,
        userId,
        providerAccountId: userId,
        credentialPublicKey: b64url(coseKey(this.keys.publicKey)),
        counter: this.counter,
        credentialDeviceType: "singleDevice",
        credentialBackedUp: false,
        name,
      },
    });
  }

  /** Signs a challenge from `passkeyAuthenticationOptions()`, bumping the signature counter as a real key does. */
  assert(challenge: string, { origin = publicOrigin(), counter = ++this.counter, shape = "any" as SignatureShape } = {}): AssertionJson {
    const rpIdHash = sha256(new URL(origin).hostname);
    const flags = Buffer.from([0x05]); // user present, user verified
    const signCount = Buffer.alloc(4);
    signCount.writeUInt32BE(counter);
    const authenticatorData = Buffer.concat([rpIdHash, flags, signCount]);
    const clientDataJSON = Buffer.from(JSON.stringify({ type: "webauthn.get", challenge, origin, crossOrigin: false }));
    const signed = Buffer.concat([authenticatorData, sha256(clientDataJSON)]);
    // ECDSA signs with a random nonce: signing again until the shape comes up takes about 256 tries.
    let signature = sign("sha256", signed, this.keys.privateKey);
    for (let tries = 1; !hasShape(signature, shape); tries++) {
      if (tries > 20_000) throw new Error(`no signature of shape "${shape}" in ${tries} tries`);
      signature = sign("sha256", signed, this.keys.privateKey);
    }
    return {
      id: this.credentialID,
      rawId: this.credentialID,
      type: "public-key",
      response: { authenticatorData: b64url(authenticatorData), clientDataJSON: b64url(clientDataJSON), signature: b64url(signature) },
      clientExtensionResults: {},
    };
  }
}

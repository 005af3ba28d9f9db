import { openSigningKey, sealSigningKey } from "@/lib/crypto/signing-keys";
import { openTotpSecret, sealTotpSecret } from "@/lib/crypto/totp-secret";
import { SecretBoxError, keyRing, sealedKeyId } from "@/lib/crypto/secret-box";
import { db } from "@/lib/db/client";

const BATCH_SIZE = 500;

type StoredValue = { id: string; value: string };

/** A column that holds sealed secrets: how to page through it, and how to swap one value without losing a race. */
type SealedColumn = {
  name: string;
  open(stored: string): string;
  seal(plaintext: string): string;
  /** Values after `afterId` in id order; with `plaintextOnly`, only those stored before sealing existed. */
  page(afterId: string | undefined, plaintextOnly: boolean): Promise<StoredValue[]>;
  /** Writes `to` only if the row still holds `from`, so a value the app changed meanwhile is left alone. */
  replace(id: string, from: string, to: string): Promise<boolean>;
};

const totpSecrets: SealedColumn = {
  name: "TOTP secrets",
  open: openTotpSecret,
  seal: sealTotpSecret,
  async page(afterId, plaintextOnly) {
    const rows = await db().user.findMany({
      where: {
        totpSecret: { not: null },
        // Sealed values always contain a dot; base32 never does.
        ...(plaintextOnly ? { NOT: { totpSecret: { contains: "." } } } : {}),
        ...(afterId ? { id: { gt: afterId } } : {}),
      },
      select: { id: true, totpSecret: true },
      orderBy: { id: "asc" },
      take: BATCH_SIZE,
    });
    return rows.map((row) => ({ id: row.id, value: row.totpSecret! }));
  },
  async replace(id, from, to) {
    const { count } = await db().user.updateMany({ where: { id, totpSecret: from }, data: { totpSecret: to } });
    return count === 1;
  },
};

const signingKeys: SealedColumn = {
  name: "Access token signing keys",
  open: openSigningKey,
  seal: sealSigningKey,
  async page(afterId, plaintextOnly) {
    // Signing keys were sealed from the first one on: none is ever stored as plain text.
    if (plaintextOnly) return [];
    const rows = await db().signingKey.findMany({
      where: afterId ? { kid: { gt: afterId } } : {},
      select: { kid: true, privateKey: true },
      orderBy: { kid: "asc" },
      take: BATCH_SIZE,
    });
    return rows.map((row) => ({ id: row.kid, value: row.privateKey }));
  },
  async replace(id, from, to) {
    const { count } = await db().signingKey.updateMany({ where: { kid: id, privateKey: from }, data: { privateKey: to } });
    return count === 1;
  },
};

const SEALED_COLUMNS: SealedColumn[] = [totpSecrets, signingKeys];

export type ReencryptionReport = {
  column: string;
  /** Values that were sealed with an older key and now are with the first one. */
  resealed: number;
  /** Values stored as plain text (from before sealing) that are now sealed. */
  sealedFromPlaintext: number;
  /** Already sealed with the first key, or rewritten by the app (which seals with it) while this ran. */
  current: number;
  /** Values no key in the ring opens: left as they are. */
  unreadable: number;
};

async function reencryptColumn(column: SealedColumn, plaintextOnly: boolean): Promise<ReencryptionReport> {
  const sealingKeyId = keyRing().sealing.id;
  const report: ReencryptionReport = { column: column.name, resealed: 0, sealedFromPlaintext: 0, current: 0, unreadable: 0 };
  let afterId: string | undefined;
  for (;;) {
    const rows = await column.page(afterId, plaintextOnly);
    if (!rows.length) return report;
    afterId = rows[rows.length - 1].id;
    for (const { id, value } of rows) {
      const keyId = sealedKeyId(value);
      if (keyId === sealingKeyId) {
        report.current += 1;
        continue;
      }
      let plaintext: string;
      try {
        plaintext = column.open(value);
      } catch (error) {
        if (!(error instanceof SecretBoxError)) throw error;
        report.unreadable += 1;
        continue;
      }
      if (!(await column.replace(id, value, column.seal(plaintext)))) report.current += 1;
      else if (keyId) report.resealed += 1;
      else report.sealedFromPlaintext += 1;
    }
  }
}

/**
 * `npm run keys:reencrypt`: every stored secret sealed again with the first key of AUTH_ENCRYPTION_KEY, plain-text
 * ones from before sealing included, so the older keys can then be dropped. Safe to run again, and while serving.
 */
export async function reencryptSecrets(): Promise<ReencryptionReport[]> {
  const reports: ReencryptionReport[] = [];
  for (const column of SEALED_COLUMNS) reports.push(await reencryptColumn(column, false));
  return reports;
}

/**
 * At server start: seals whatever is still stored as plain text from before sealing existed. After the first run
 * it finds nothing, and costs one query per column.
 */
export async function sealPlaintextSecrets(): Promise<number> {
  let sealed = 0;
  for (const column of SEALED_COLUMNS) sealed += (await reencryptColumn(column, true)).sealedFromPlaintext;
  return sealed;
}

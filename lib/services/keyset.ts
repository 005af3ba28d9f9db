/** Where a keyset page ends: its last row's creation time and id (the tie-break within one millisecond). */
export type KeysetPosition = { createdAt: Date; id: string };

/**
 * The rows after `position` newest first, as AND clauses. The `lte` alone is what an index on createdAt can seek to;
 * without it PostgreSQL reads every newer row before the position's (measured on the audit feed: 230 ms instead of
 * 1 ms for a page 170,000 events deep). The OR then breaks ties within a millisecond.
 */
export function olderThan({ createdAt, id }: KeysetPosition) {
  return [{ createdAt: { lte: createdAt } }, { OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }] }];
}

/** The rows after `position` oldest first, as AND clauses; the mirror of olderThan. */
export function newerThan({ createdAt, id }: KeysetPosition) {
  return [{ createdAt: { gte: createdAt } }, { OR: [{ createdAt: { gt: createdAt } }, { createdAt, id: { gt: id } }] }];
}

/**
 * Reads a whole result a batch at a time: `read` gets the last row of the previous batch (nothing for the first) and
 * returns up to `batchSize` rows after it. The next batch is read only when the consumer asks for it.
 */
export async function* keysetBatches<Row extends KeysetPosition>(
  read: (last: KeysetPosition | undefined) => Promise<Row[]>,
  batchSize: number,
): AsyncGenerator<Row[]> {
  let last: KeysetPosition | undefined;
  for (;;) {
    const rows = await read(last);
    if (rows.length) yield rows;
    if (rows.length < batchSize) return;
    last = rows[rows.length - 1];
  }
}

/** The database could not be reached (refused, reset, timed out, shutting down): an outage, not a bug. */
export function isDatabaseUnreachable(error: unknown): boolean {
  const text = `${(error as { code?: unknown })?.code ?? ""} ${(error as Error)?.message ?? ""}`;
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|57P01|57P03|P1001|P1017|Connection terminated|connect timeout|DatabaseNotReachable|Can't reach database|Server has closed the connection/i.test(
    text,
  );
}

/**
 * A file download streamed from an async generator of text: the next chunk is read only when the client has taken
 * the last one, so a slow reader holds one chunk in memory, not the file. A client that goes away stops the reading.
 */
export function streamedDownload(chunks: AsyncGenerator<string>, { filename, contentType }: { filename: string; contentType: string }): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await chunks.next();
      if (done) controller.close();
      else controller.enqueue(encoder.encode(value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": contentType,
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/** A download refused for its parameters, in words a person who typed the URL by hand can read. */
export const refusedDownload = (message: string) =>
  new Response(`${message}\n`, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });

/** `users-2026-12-03.csv`: what the file is and when it was taken. */
export const exportFilename = (what: string, extension: string) => `${what}-${new Date().toISOString().slice(0, 10)}.${extension}`;

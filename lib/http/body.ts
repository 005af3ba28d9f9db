import type { z } from "zod";
import { ApiError, zodFieldErrors } from "@/lib/errors";

export const MAX_BODY_BYTES = 16 * 1024;

export type BodyKind = "json" | "form";

function mediaType(request: Request): string {
  return (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
}

export function bodyKind(request: Request, accepted: BodyKind[] = ["json"]): BodyKind {
  const type = mediaType(request);
  if (type === "application/json" && accepted.includes("json")) return "json";
  if (type === "application/x-www-form-urlencoded" && accepted.includes("form")) return "form";
  const expected = accepted.map((kind) => (kind === "json" ? "application/json" : "application/x-www-form-urlencoded"));
  throw ApiError.of("unsupported_media_type", { message: `Content-Type must be ${expected.join(" or ")}` });
}

/** Rejects a request that carries a body of a type we don't read (a body-less POST is fine). */
export function assertNoForeignBody(request: Request): void {
  const type = mediaType(request);
  if (type && type !== "application/json") {
    throw ApiError.of("unsupported_media_type");
  }
}

/** Reads at most MAX_BODY_BYTES, whatever Content-Length claims. */
export async function readBodyText(request: Request): Promise<string> {
  const tooLarge = () => ApiError.of("payload_too_large", { message: `Request body must be at most ${MAX_BODY_BYTES} bytes` });
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return new TextDecoder("utf-8", { fatal: false }).decode(Buffer.concat(chunks));
}

function parseWith<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw ApiError.validation(zodFieldErrors(result.error));
  return result.data;
}

export async function readJson<T extends z.ZodType>(request: Request, schema: T): Promise<z.output<T>> {
  bodyKind(request, ["json"]);
  return parseWith(schema, parseJsonText(await readBodyText(request)));
}

export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw ApiError.of("invalid_json");
  }
}

/** Form fields, refusing repeated keys (which would otherwise silently pick one value). */
export function parseFormText(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    if (Object.hasOwn(fields, key)) throw ApiError.validation({ [key]: ["Field given more than once"] });
    fields[key] = value;
  }
  return fields;
}

export { parseWith };

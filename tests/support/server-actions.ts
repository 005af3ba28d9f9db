/**
 * Server actions called as a form post calls them, outside Next: `redirect()` and `forbidden()` throw what a test can
 * inspect. Use with `vi.mock("next/navigation", async () => (await import("../support/server-actions")).navigationMock)`.
 */
export class Redirected extends Error {
  constructor(readonly location: string) {
    super(`redirect to ${location}`);
  }
}

export const navigationMock = {
  redirect: (location: string) => {
    throw new Redirected(location);
  },
  forbidden: () => {
    throw new Error("forbidden");
  },
};

/** A form post's fields. */
export function form(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) data.set(key, value);
  return data;
}

/** Where a server action sent the browser (it must have redirected). */
export async function redirectOf(action: Promise<unknown>): Promise<string> {
  const error = await action.then(
    () => new Error("expected a redirect"),
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof Redirected)) throw error;
  return error.location;
}

import Link from "next/link";
import { logoutAction } from "@/app/(auth)/actions";
import { currentUser } from "@/lib/dal/session";
import { DatabaseUnavailableError } from "@/lib/services/errors";

const linkClass = "rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 hover:text-slate-900";

/** The header stays up during a database outage; the page below it says what is wrong. */
async function headerUser() {
  try {
    return await currentUser();
  } catch (error) {
    if (error instanceof DatabaseUnavailableError) return null;
    throw error;
  }
}

export async function SiteHeader() {
  const user = await headerUser();
  return (
    <header className="border-b border-slate-200 bg-white">
      <nav aria-label="Main" className="mx-auto flex max-w-5xl items-center justify-between px-4 py-3">
        <Link href="/" className="flex items-center gap-2 text-base font-bold tracking-tight text-slate-900">
          <span aria-hidden="true" className="grid size-7 place-items-center rounded-md bg-indigo-600 text-white">
            ⌂
          </span>
          Latchkey
        </Link>
        <div className="flex items-center gap-1">
          {user ? (
            <>
              <Link href="/dashboard" className={linkClass}>
                Dashboard
              </Link>
              <Link href="/account" className={linkClass}>
                Account
              </Link>
              {user.role === "ADMIN" ? (
                <Link href="/admin" className={linkClass}>
                  Admin
                </Link>
              ) : null}
              <form action={logoutAction}>
                <button type="submit" className={linkClass}>
                  Log out
                </button>
              </form>
            </>
          ) : (
            <>
              <Link href="/login" className={linkClass}>
                Log in
              </Link>
              <Link href="/signup" className={linkClass}>
                Sign up
              </Link>
            </>
          )}
        </div>
      </nav>
    </header>
  );
}

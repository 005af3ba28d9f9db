"use client";

import "./globals.css";

export default function GlobalError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen">
        <main role="alert" className="mx-auto max-w-md py-16 text-center">
          <h1 className="text-2xl font-bold text-slate-900">Temporarily unavailable</h1>
          <p className="mt-3 text-slate-600">Latchkey could not complete this request. Please try again in a moment.</p>
          <button
            type="button"
            onClick={reset}
            className="mt-6 rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-500"
          >
            Try again
          </button>
        </main>
      </body>
    </html>
  );
}

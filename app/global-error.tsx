"use client";

import { UnavailableNotice } from "@/components/unavailable-notice";
import "./globals.css";

/** Errors in the root layout itself land here, outside the usual page frame. */
export default function GlobalError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen">
        <main>
          <UnavailableNotice onRetry={reset} />
        </main>
      </body>
    </html>
  );
}

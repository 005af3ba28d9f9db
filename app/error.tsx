"use client";

import { UnavailableNotice } from "@/components/unavailable-notice";

export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <UnavailableNotice onRetry={reset} />;
}

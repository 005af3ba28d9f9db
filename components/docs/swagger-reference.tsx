"use client";

import { useEffect, useRef, useState } from "react";
import "swagger-ui-dist/swagger-ui.css";

/** swagger-ui from npm, bundled with the app (nothing from a CDN) and loaded only on this page, after hydration. */
export function SwaggerReference({ url }: { url: string }) {
  const container = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let cancelled = false;
    import("swagger-ui-dist/swagger-ui-bundle.js")
      .then(({ default: SwaggerUIBundle }) => {
        if (!cancelled && container.current) SwaggerUIBundle({ url, domNode: container.current, deepLinking: true });
      })
      .catch(() => setFailed(true));
    return () => {
      cancelled = true;
    };
  }, [url]);
  return (
    <div>
      {failed ? <p className="p-4 text-sm text-red-700">The interactive reference could not be loaded.</p> : null}
      <div ref={container} />
    </div>
  );
}

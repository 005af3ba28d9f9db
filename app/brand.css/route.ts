import { brand } from "@/lib/env/branding";

export const dynamic = "force-dynamic";

/**
 * APP_ACCENT_COLOR in place of the default indigo: Tailwind's colours are CSS variables, so overriding the three
 * shades the pages use recolours every button and link. Unlayered, these rules win over Tailwind's theme layer.
 */
export function GET() {
  const { accentColor } = brand();
  const css = accentColor
    ? `:root {\n  --color-indigo-500: color-mix(in oklab, ${accentColor} 85%, white);\n  --color-indigo-600: ${accentColor};\n  --color-indigo-700: color-mix(in oklab, ${accentColor} 85%, black);\n}\n`
    : "";
  return new Response(css, { headers: { "content-type": "text/css; charset=utf-8", "cache-control": "public, max-age=300" } });
}

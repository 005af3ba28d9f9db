import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

const UI = ["./app", "./components"];
const ABOVE_SERVICES = [...UI, "./auth.ts", "./lib/http", "./lib/forms", "./lib/dal", "./lib/auth"];
const ABOVE_PRIMITIVES = [...ABOVE_SERVICES, "./lib/services", "./lib/server-start.ts", "./lib/openapi"];

function layerZones() {
  const upward = (message) => `Upward import: ${message} (layers point one way: docs/code-map.md).`;
  return [
    { target: "./lib/env", from: "./lib", except: ["./env"], message: upward("lib/env imports nothing else from lib") },
    { target: "./i18n", from: ["./lib", ...UI], message: upward("i18n (languages and catalogues) sits below everything") },
    { target: "./lib/errors", from: "./lib", except: ["./errors", "./env"], message: upward("lib/errors sits on lib/env only") },
    ...["db", "crypto", "log", "mail", "security", "validations"].map((folder) => ({
      target: `./lib/${folder}`,
      from: ABOVE_PRIMITIVES,
      message: upward(`lib/${folder} is a primitive below the services`),
    })),
    { target: "./lib/services", from: ABOVE_SERVICES, message: upward("services sit below guards, forms, lib/http and the Auth.js wiring") },
    { target: "./lib/auth", from: [...UI, "./lib/http", "./lib/forms"], message: upward("lib/auth is the Auth.js wiring") },
    { target: "./lib", from: UI, message: upward("lib never imports pages or components") },
  ];
}

const config = [
  ...nextVitals,
  ...nextTypescript,
  {
    ignores: [".next/**", "node_modules/**", "lib/generated/**", "next-env.d.ts", "test-results/**", "playwright-report/**", ".data/**", "reports/**"],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration through lib/env only." },
      ],
    },
  },
  {
    // Folder rules catch an upward import even when no file-level cycle exists yet (lib/services once imported
    // lib/dal for DTOs while lib/dal imported the services); no-cycle catches loops inside one layer.
    files: ["**/*.{ts,tsx,mts,mjs}"],
    settings: { "import/ignore": ["node_modules", "lib/generated"] },
    rules: {
      "import/no-cycle": ["error", { ignoreExternal: true }],
      "import/no-restricted-paths": ["error", { zones: layerZones() }],
    },
  },
  {
    // Pages and components whose words live in the catalogues (docs/i18n.md): text written straight into their JSX
    // fails the lint. Add a file here once its words have moved.
    files: [
      "app/layout.tsx",
      "app/page.tsx",
      "app/not-found.tsx",
      "app/forbidden.tsx",
      "app/(auth)/**/*.tsx",
      "app/dashboard/**/*.tsx",
      "app/account/**/*.tsx",
      "app/admin/**/*.tsx",
      "components/site-header.tsx",
      "components/language-switch.tsx",
      "components/ui/notice-alert.tsx",
      "components/ui/pagination.tsx",
      "components/ui/data-table.tsx",
      "components/auth/login-form.tsx",
      "components/auth/signup-form.tsx",
      "components/auth/password-input.tsx",
      "components/auth/federated-buttons.tsx",
      "components/auth/account-intl-provider.tsx",
      "components/auth/change-password-form.tsx",
      "components/auth/email-forms.tsx",
      "components/auth/resend-my-verification.tsx",
      "components/auth/two-factor-forms.tsx",
      "components/auth/passkey-forms.tsx",
      "components/auth/api-key-form.tsx",
      "components/auth/delete-account-form.tsx",
      "components/auth/confirm-access-form.tsx",
      "components/auth/session-list.tsx",
      "components/auth/activity-list.tsx",
      "components/admin/*.tsx",
    ],
    rules: { "react/jsx-no-literals": ["error", { allowedStrings: ["⌂", "Latchkey", " · ", "403", "404"] }] },
  },
  {
    files: ["lib/env/**", "server.mjs", "scripts/**", "e2e/**", "tests/**", "playwright.config.ts", "vitest.config.ts", "**/*.test.ts"],
    rules: { "no-restricted-properties": "off" },
  },
];

export default config;

import { formatUtcMinute } from "@/i18n/format";
import { absoluteLogoUrl, brand } from "@/lib/env/branding";

/**
 * Every message Latchkey sends: one plain-text and one HTML part, rendered from the same few lines. `kind` names it
 * (the template's name in snake case, e.g. `reset_password`) where its body, links and tokens included, must not go.
 */
export type MailMessage = { kind: MailKind; to: string; subject: string; text: string; html: string };

type Rendered = Omit<MailMessage, "kind">;

type Content = { subject: string; lines: string[]; action?: { label: string; url: string }; footer?: string };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const DEFAULT_ACCENT = "#4338ca";

/** The product's name in a mail's words (APP_NAME). */
const product = () => brand().name;

function render(to: string, { subject, lines, action, footer }: Content): Rendered {
  const { name, accentColor = DEFAULT_ACCENT } = brand();
  const logoUrl = absoluteLogoUrl();
  const text = [
    ...lines,
    ...(action ? ["", `${action.label}: ${action.url}`] : []),
    ...(footer ? ["", footer] : []),
    "",
    `— ${name}`,
  ].join("\n");
  const paragraphs = lines.map((line) => `<p style="margin:0 0 16px">${escapeHtml(line)}</p>`).join("");
  const button = action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(action.url)}" style="background:${accentColor};color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none">${escapeHtml(action.label)}</a></p>` +
      `<p style="margin:0 0 16px;font-size:13px;color:#475569">Or open this link: ${escapeHtml(action.url)}</p>`
    : "";
  const small = footer ? `<p style="margin:24px 0 0;font-size:13px;color:#64748b">${escapeHtml(footer)}</p>` : "";
  const html =
    `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#0f172a;max-width:560px;margin:0 auto;padding:24px">` +
    (logoUrl ? `<p style="margin:0 0 16px"><img src="${escapeHtml(logoUrl)}" alt="${escapeHtml(name)}" height="32"></p>` : "") +
    `<h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(subject)}</h1>${paragraphs}${button}${small}</body></html>`;
  return { to, subject, text, html };
}

const IGNORE = "If you didn't ask for this, you can ignore this message.";

/** Counts of what went when an address was first proven (see lib/services/address-proof.ts). */
export type RemovedCredentials = {
  sessions: number;
  apiKeys: number;
  passkeys: number;
  linkedProviders: number;
  twoFactor: number;
  recoveryCodes: number;
  mfaChallenges: number;
  emailLinks: number;
};

const REMOVED_NAMES: Record<keyof RemovedCredentials, [string, string]> = {
  sessions: ["signed-in session or access token", "signed-in sessions and access tokens"],
  apiKeys: ["API key", "API keys"],
  passkeys: ["passkey", "passkeys"],
  linkedProviders: ["linked sign-in provider", "linked sign-in providers"],
  twoFactor: ["two-factor authentication setup", "two-factor authentication setups"],
  recoveryCodes: ["recovery code", "recovery codes"],
  mfaChallenges: ["unfinished two-factor sign-in", "unfinished two-factor sign-ins"],
  emailLinks: ["unused emailed link", "unused emailed links"],
};

function removedList(removed: RemovedCredentials): string[] {
  return (Object.keys(REMOVED_NAMES) as (keyof RemovedCredentials)[])
    .filter((key) => removed[key] > 0)
    .map((key) => `- ${removed[key]} ${REMOVED_NAMES[key][removed[key] === 1 ? 0 : 1]}`);
}

const templates = {
  credentialsRemoved: (to: string, removed: RemovedCredentials, accountUrl: string) =>
    render(to, {
      subject: "Your email address is confirmed: older sign-in methods were removed",
      lines: [
        `This address was just proven for your ${product()} account. Anyone could have created the account or added ways into it before the address's owner did, so everything set up before was removed:`,
        ...removedList(removed),
        "If any of it was yours, set it up again from your account page.",
      ],
      action: { label: "Review your account", url: accountUrl },
    }),
  twoFactorChanged: (to: string, change: "enabled" | "disabled" | "reset", accountUrl: string) =>
    render(to, {
      subject: change === "enabled" ? "Two-factor authentication is on" : "Two-factor authentication was turned off",
      lines: [
        change === "enabled"
          ? `Two-factor authentication was turned on for your ${product()} account: signing in now also asks for a code from your authenticator app.`
          : change === "reset"
            ? `An administrator turned off two-factor authentication for your ${product()} account, so you can set it up again.`
            : `Two-factor authentication was turned off for your ${product()} account.`,
      ],
      action: { label: "Review your account", url: accountUrl },
      footer: "If this wasn't you, change your password and contact your administrator.",
    }),
  verifyEmail: (to: string, url: string) =>
    render(to, {
      subject: "Confirm your email address",
      lines: [`Please confirm that this is your email address for ${product()}. The link works for 24 hours.`],
      action: { label: "Confirm email address", url },
      footer: IGNORE,
    }),
  resetPassword: (to: string, url: string) =>
    render(to, {
      subject: "Reset your password",
      lines: [`Someone (hopefully you) asked to reset the password of your ${product()} account.`, "The link works once, for 1 hour."],
      action: { label: "Choose a new password", url },
      footer: `${IGNORE} Your password stays as it is.`,
    }),
  passwordChanged: (to: string, resetUrl: string) =>
    render(to, {
      subject: "Your password was changed",
      lines: [`The password of your ${product()} account was just changed, and your other sessions were signed out.`],
      action: { label: "Not you? Reset your password", url: resetUrl },
    }),
  signupAttempt: (to: string, loginUrl: string, resetUrl: string) =>
    render(to, {
      subject: "Someone tried to sign up with your email",
      lines: [
        `Someone tried to create a ${product()} account with this email address, which already has one. No new account was created.`,
        `If it was you, log in at ${loginUrl}.`,
      ],
      action: { label: "Forgot your password? Reset it", url: resetUrl },
      footer: IGNORE,
    }),
  changeEmail: (to: string, url: string) =>
    render(to, {
      subject: "Confirm your new email address",
      lines: [`Please confirm this address to make it the new email of your ${product()} account. The link works for 24 hours.`],
      action: { label: "Confirm new email address", url },
      footer: `${IGNORE} Nothing changes until the link is opened.`,
    }),
  emailChangeAttempt: (to: string, loginUrl: string, resetUrl: string) =>
    render(to, {
      subject: "Someone tried to use your email for another account",
      lines: [
        `Someone signed in to another ${product()} account tried to make this email address theirs. Nothing changed: it still belongs to your account.`,
        `If you meant to move your address, log in to your own account at ${loginUrl}.`,
      ],
      action: { label: "Worried? Reset your password", url: resetUrl },
      footer: IGNORE,
    }),
  emailChanged: (to: string, newEmail: string, resetUrl: string) =>
    render(to, {
      subject: "Your email address was changed",
      lines: [`The email address of your ${product()} account was changed to ${newEmail}. Mail will go there from now on.`],
      action: { label: "Not you? Reset your password", url: resetUrl },
    }),
  accountSuspended: (to: string, until: Date, reason: string | null) =>
    render(to, {
      subject: "Your account is suspended",
      lines: [
        `An administrator suspended your ${product()} account until ${formatUtcMinute(until)} UTC. You were signed out everywhere, and signing in, access tokens and API keys are refused until then.`,
        ...(reason ? [`The reason given: ${reason}`] : []),
        "The suspension lifts itself at that time.",
      ],
    }),
  suspensionLifted: (to: string, loginUrl: string) =>
    render(to, {
      subject: "Your account is no longer suspended",
      lines: [`An administrator lifted the suspension of your ${product()} account: you can sign in again.`],
      action: { label: "Log in", url: loginUrl },
    }),
  newSignIn: (to: string, device: string, ip: string | null, at: Date, sessionsUrl: string) =>
    render(to, {
      subject: "New sign-in to your account",
      lines: [
        `Your ${product()} account was signed in to from a browser it had not been used from before.`,
        `Device: ${device}`,
        `Address: ${ip ?? "unknown"}`,
        `Time: ${formatUtcMinute(at)} UTC`,
        "If this was you, there is nothing to do. If not, sign that session out and change your password.",
      ],
      action: { label: "See where you're signed in", url: sessionsUrl },
    }),
  accountDeleted: (to: string) =>
    render(to, {
      subject: "Your account was deleted",
      lines: [`Your ${product()} account and everything that belonged to it were deleted, as you asked.`],
    }),
};

type Templates = typeof templates;
type SnakeCase<Name extends string> = Name extends `${infer First}${infer Rest}`
  ? `${First extends Lowercase<First> ? First : `_${Lowercase<First>}`}${SnakeCase<Rest>}`
  : Name;
export type MailKind = SnakeCase<keyof Templates>;

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** The templates, each message labelled with its kind. */
export const mailTemplates = Object.fromEntries(
  Object.entries(templates).map(([name, template]) => [
    name,
    (...args: never[]) => ({ kind: snakeCase(name), ...(template as (...args: never[]) => Rendered)(...args) }),
  ]),
) as { [Name in keyof Templates]: (...args: Parameters<Templates[Name]>) => MailMessage };

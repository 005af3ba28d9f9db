import { formatUtcMinute } from "@/i18n/format";
import { supportedLocale } from "@/i18n/locales";
import { translator, type Translator } from "@/i18n/translate";
import { absoluteLogoUrl, brand } from "@/lib/env/branding";

/**
 * Every message Latchkey sends: one plain-text and one HTML part, rendered from the same few lines, in the recipient's
 * language (their account's, else the source language; the words are in the catalogues under `mail`). `kind` names it
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

/** Who a mail goes to: an address, and the language of the account it belongs to when there is one. */
export type Recipient = string | { email: string; locale?: string | null };

function render(to: string, t: Translator, { subject, lines, action, footer }: Content): Rendered {
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
      `<p style="margin:0 0 16px;font-size:13px;color:#475569">${escapeHtml(t("mail.orOpenLink", { url: action.url }))}</p>`
    : "";
  const small = footer ? `<p style="margin:24px 0 0;font-size:13px;color:#64748b">${escapeHtml(footer)}</p>` : "";
  const html =
    `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#0f172a;max-width:560px;margin:0 auto;padding:24px">` +
    (logoUrl ? `<p style="margin:0 0 16px"><img src="${escapeHtml(logoUrl)}" alt="${escapeHtml(name)}" height="32"></p>` : "") +
    `<h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(subject)}</h1>${paragraphs}${button}${small}</body></html>`;
  return { to, subject, text, html };
}

/** A message for `to` in their language: `build` gets the translator and the product's name. */
function compose(to: Recipient, build: (t: Translator, app: string) => Content): Rendered {
  const email = typeof to === "string" ? to : to.email;
  const t = translator(supportedLocale(typeof to === "string" ? undefined : to.locale));
  return render(email, t, build(t, product()));
}

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

function removedList(t: Translator, removed: RemovedCredentials): string[] {
  return (Object.keys(removed) as (keyof RemovedCredentials)[])
    .filter((key) => removed[key] > 0)
    .map((key) => `- ${t(`mail.removed.${key}`, { count: removed[key] })}`);
}

const templates = {
  credentialsRemoved: (to: Recipient, removed: RemovedCredentials, accountUrl: string) =>
    compose(to, (t, app) => ({
      subject: t("mail.credentialsRemoved.subject"),
      lines: [t("mail.credentialsRemoved.intro", { app }), ...removedList(t, removed), t("mail.credentialsRemoved.outro")],
      action: { label: t("mail.reviewAccount"), url: accountUrl },
    })),
  twoFactorChanged: (to: Recipient, change: "enabled" | "disabled" | "reset", accountUrl: string) =>
    compose(to, (t, app) => ({
      subject: change === "enabled" ? t("mail.twoFactorChanged.subjectOn") : t("mail.twoFactorChanged.subjectOff"),
      lines: [t(`mail.twoFactorChanged.${change}`, { app })],
      action: { label: t("mail.reviewAccount"), url: accountUrl },
      footer: t("mail.twoFactorChanged.footer"),
    })),
  verifyEmail: (to: Recipient, url: string) =>
    compose(to, (t, app) => ({
      subject: t("mail.verifyEmail.subject"),
      lines: [t("mail.verifyEmail.body", { app })],
      action: { label: t("mail.verifyEmail.action"), url },
      footer: t("mail.ignore"),
    })),
  resetPassword: (to: Recipient, url: string) =>
    compose(to, (t, app) => ({
      subject: t("mail.resetPassword.subject"),
      lines: [t("mail.resetPassword.body", { app }), t("mail.resetPassword.once")],
      action: { label: t("mail.resetPassword.action"), url },
      footer: t("mail.resetPassword.footer"),
    })),
  passwordChanged: (to: Recipient, resetUrl: string) =>
    compose(to, (t, app) => ({
      subject: t("mail.passwordChanged.subject"),
      lines: [t("mail.passwordChanged.body", { app })],
      action: { label: t("mail.notYouReset"), url: resetUrl },
    })),
  signupAttempt: (to: Recipient, loginUrl: string, resetUrl: string) =>
    compose(to, (t, app) => ({
      subject: t("mail.signupAttempt.subject"),
      lines: [t("mail.signupAttempt.body", { app }), t("mail.signupAttempt.ifYou", { url: loginUrl })],
      action: { label: t("mail.signupAttempt.action"), url: resetUrl },
      footer: t("mail.ignore"),
    })),
  changeEmail: (to: Recipient, url: string) =>
    compose(to, (t, app) => ({
      subject: t("mail.changeEmail.subject"),
      lines: [t("mail.changeEmail.body", { app })],
      action: { label: t("mail.changeEmail.action"), url },
      footer: t("mail.changeEmail.footer"),
    })),
  emailChangeAttempt: (to: Recipient, loginUrl: string, resetUrl: string) =>
    compose(to, (t, app) => ({
      subject: t("mail.emailChangeAttempt.subject"),
      lines: [t("mail.emailChangeAttempt.body", { app }), t("mail.emailChangeAttempt.ifYou", { url: loginUrl })],
      action: { label: t("mail.emailChangeAttempt.action"), url: resetUrl },
      footer: t("mail.ignore"),
    })),
  emailChanged: (to: Recipient, newEmail: string, resetUrl: string) =>
    compose(to, (t, app) => ({
      subject: t("mail.emailChanged.subject"),
      lines: [t("mail.emailChanged.body", { app, email: newEmail })],
      action: { label: t("mail.notYouReset"), url: resetUrl },
    })),
  accountSuspended: (to: Recipient, until: Date, reason: string | null) =>
    compose(to, (t, app) => ({
      subject: t("mail.accountSuspended.subject"),
      lines: [
        t("mail.accountSuspended.body", { app, until: formatUtcMinute(until) }),
        ...(reason ? [t("mail.accountSuspended.reason", { reason })] : []),
        t("mail.accountSuspended.lifts"),
      ],
    })),
  suspensionLifted: (to: Recipient, loginUrl: string) =>
    compose(to, (t, app) => ({
      subject: t("mail.suspensionLifted.subject"),
      lines: [t("mail.suspensionLifted.body", { app })],
      action: { label: t("mail.suspensionLifted.action"), url: loginUrl },
    })),
  newSignIn: (to: Recipient, device: string, ip: string | null, at: Date, sessionsUrl: string) =>
    compose(to, (t, app) => ({
      subject: t("mail.newSignIn.subject"),
      lines: [
        t("mail.newSignIn.body", { app }),
        t("mail.newSignIn.device", { device }),
        t("mail.newSignIn.address", { address: ip ?? t("mail.newSignIn.unknownAddress") }),
        t("mail.newSignIn.time", { time: formatUtcMinute(at) }),
        t("mail.newSignIn.advice"),
      ],
      action: { label: t("mail.newSignIn.action"), url: sessionsUrl },
    })),
  accountDeleted: (to: Recipient) =>
    compose(to, (t, app) => ({ subject: t("mail.accountDeleted.subject"), lines: [t("mail.accountDeleted.body", { app })] })),
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

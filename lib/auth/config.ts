import type { NextAuthConfig } from "next-auth";
import { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import type { Role } from "@/lib/generated/prisma/enums";
import { env } from "@/lib/env";
import { requestContext } from "@/lib/security/request-context";
import { safeRedirectPath } from "@/lib/security/redirect-target";
import { attemptLogin } from "@/lib/services/login";
import { createSession, endSession } from "@/lib/services/sessions";
import { verifyPasskeyLogin } from "@/lib/services/passkeys";
import { completeMfaChallenge, createMfaChallenge } from "@/lib/services/two-factor";
import { redeemSessionGrant, stopImpersonation } from "@/lib/services/impersonation";
import { loginSchema, verifyCodeSchema } from "@/lib/validations/auth";
import { SESSION_MAX_AGE_SECONDS, SESSION_UPDATE_AGE_SECONDS } from "@/lib/services/session-config";
import { federatedSessionClaims, refreshSessionClaims } from "./session-token";
import { latchkeyAdapter } from "./adapter";
import { recordAudit } from "@/lib/services/audit";
import { federatedAuthProviders } from "./federation";
import { noteBrowserSignIn } from "./device-cookie";
import { linkGrantFor } from "./federated-callback";
import { federatedSignInAllowed, proveAddressByProvider } from "@/lib/services/federation";
import type { NextRequest } from "next/server";
import { describeError, logger } from "@/lib/log";

declare module "next-auth" {
  interface User {
    username?: string;
    role?: Role;
    sessionId?: string;
    /** The session is an administrator viewing as this user. */
    impersonation?: boolean;
  }
  interface Session {
    user: { id: string; username: string; email: string; role: Role; unverified: boolean };
    sessionId: string;
    /** An administrator is viewing as this user: read-only (set from the session row on every check). */
    impersonation: boolean;
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    username?: string;
    role?: Role;
    sid?: string;
    unverified?: boolean;
    impersonation?: boolean;
  }
}

/** Thrown from `authorize` when the account or the client address is being throttled. */
export class RateLimitedSignin extends CredentialsSignin {
  code = "rate_limited";
  constructor(readonly retryAfterSeconds: number) {
    super();
  }
}

/** Thrown from `authorize` after a right password when the account has 2FA: no session yet, a challenge instead. */
export class SecondFactorRequiredSignin extends CredentialsSignin {
  code = "mfa_required";
  constructor(readonly challengeToken: string) {
    super();
  }
}

/** The 5-minute step between password and code ran out, or was already used: start from the password again. */
export class ChallengeExpiredSignin extends CredentialsSignin {
  code = "challenge_expired";
}

/** Thrown from `authorize` for a correct password of a suspended account: the person is told until when. */
export class AccountSuspendedSignin extends CredentialsSignin {
  code = "account_suspended";
  constructor(readonly until: Date) {
    super();
  }
}

/** Thrown from `authorize` for a correct password whose email address isn't confirmed yet (when that is required). */
export class EmailNotVerifiedSignin extends CredentialsSignin {
  code = "email_not_verified";
}

/** Built per request, so that secrets and connections are read when a request arrives, not at build time. */
export function authConfig(request?: NextRequest): NextAuthConfig {
  // Present on Auth.js's own routes (the identity providers' callbacks among them), for sessions and the audit log.
  const routeContext = request ? requestContext(request.headers) : undefined;
  // Set only on an identity provider's callback that came with a valid linking intent from /account.
  const linkGrant = linkGrantFor(request);
  /** The linking intent applies to this callback: the same provider (the route screened user and session). */
  const linking = (provider: string) => (linkGrant?.provider === provider ? linkGrant : undefined);
  return {
    adapter: latchkeyAdapter(linkGrant),
    secret: env().AUTH_SECRET,
    trustHost: true,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS, updateAge: SESSION_UPDATE_AGE_SECONDS },
    pages: { signIn: "/login", error: "/login" },
    logger: {
      // A refused login is an expected outcome, answered generically; it is not worth a stack trace in the log.
      error(error) {
        if (error.name === "CredentialsSignin" || error instanceof CredentialsSignin) return;
        // Auth.js wraps what went wrong (an adapter's database error, say) in its own error type: log both.
        const cause = (error.cause as { err?: unknown } | undefined)?.err ?? error.cause;
        logger().error({ error: describeError(error), ...(cause !== undefined && { cause: describeError(cause) }) }, "Auth.js error");
      },
    },
    providers: [
      Credentials({
        credentials: {
          identifier: { label: "Email or username" },
          password: { label: "Password", type: "password" },
          challenge: {},
          code: { label: "Authentication code" },
        },
        async authorize(credentials, request) {
          const context = requestContext(request.headers);
          let user;
          if (typeof credentials.challenge === "string" && credentials.challenge) {
            const code = verifyCodeSchema.safeParse({ code: credentials.code });
            if (!code.success) return null;
            const outcome = await completeMfaChallenge(credentials.challenge, code.data.code, context);
            if (!outcome.ok) {
              if (outcome.error === "rate_limited") throw new RateLimitedSignin(outcome.retryAfterSeconds);
              if (outcome.error === "challenge_expired") throw new ChallengeExpiredSignin();
              return null;
            }
            user = outcome.user;
          } else {
            const parsed = loginSchema.safeParse({ identifier: credentials.identifier, password: credentials.password });
            if (!parsed.success) return null;
            const outcome = await attemptLogin(parsed.data.identifier, parsed.data.password, context, "form");
            if (!outcome.ok) {
              if (outcome.error === "rate_limited") throw new RateLimitedSignin(outcome.retryAfterSeconds);
              if (outcome.error === "email_not_verified") throw new EmailNotVerifiedSignin();
              if (outcome.error === "account_suspended") throw new AccountSuspendedSignin(outcome.until);
              return null;
            }
            if (outcome.secondFactor) throw new SecondFactorRequiredSignin(await createMfaChallenge(outcome.user.id));
            user = outcome.user;
          }
          // Every sign-in gets a new session row, and so a new cookie: nothing from before it survives.
          const sessionId = await createSession(user.id, "BROWSER", context);
          return { ...user, name: user.username, sessionId };
        },
      }),
      Credentials({
        id: "passkey",
        name: "Passkey",
        credentials: { response: {} },
        async authorize(credentials, request) {
          const context = requestContext(request.headers);
          let response;
          try {
            response = JSON.parse(String(credentials.response));
          } catch {
            return null;
          }
          const user = await verifyPasskeyLogin(response, context);
          if (!user) return null;
          const sessionId = await createSession(user.id, "BROWSER", context);
          return { ...user, name: user.username, sessionId };
        },
      }),
      // Hands an existing session to this browser: starting and stopping "View as this user". Only a one-time grant
      // that a server action of ours just created opens it; it checks no password of its own.
      Credentials({
        id: "impersonation",
        name: "Impersonation",
        credentials: { grant: {} },
        async authorize(credentials) {
          const redeemed = await redeemSessionGrant(credentials.grant);
          if (!redeemed) return null;
          return { ...redeemed.user, name: redeemed.user.username, sessionId: redeemed.sessionId, impersonation: redeemed.impersonation };
        },
      }),
      ...federatedAuthProviders(),
    ],
    events: {
      async createUser({ user }) {
        if (user.id) await recordAudit({ type: "signup", actorId: user.id, targetId: user.id, context: routeContext });
      },
      async linkAccount({ user, account }) {
        if (user.id) await recordAudit({ type: "account.link", actorId: user.id, targetId: user.id, context: routeContext, detail: { provider: account.provider } });
      },
      async signOut(message) {
        const token = "token" in message ? message.token : undefined;
        if (!token?.sid) return;
        // Signing out while viewing as someone (Auth.js's own sign-out, "Sign in again") is a stop, audited as the
        // administrator; the administrator's own session goes too, since this browser held both.
        if (token.impersonation) await stopImpersonation(token.sid, routeContext, "end");
        else await endSession(token.sid);
      },
    },
    callbacks: {
      /** Auth.js's own callbackUrl (its cookie, an identity provider's return) passes the same judgement as ours. */
      redirect({ url, baseUrl }) {
        let candidate: string | undefined = url;
        if (!url.startsWith("/")) {
          try {
            const absolute = new URL(url);
            candidate = absolute.origin === baseUrl ? `${absolute.pathname}${absolute.search}${absolute.hash}` : undefined;
          } catch {
            candidate = undefined;
          }
        }
        return `${baseUrl}${safeRedirectPath(candidate)}`;
      },
      /** A locked account can't come in through an identity provider either, whether signing in or linking. */
      async signIn({ user, account, profile }) {
        if (!account || account.type === "credentials") return true;
        // Every account here has an email address; a provider that shares none can't create or find one.
        if (!user.email) return false;
        return federatedSignInAllowed({
          provider: account.provider,
          providerAccountId: account.providerAccountId,
          providerVerifiedEmail: profile?.email_verified === true,
          linkingUserId: linking(account.provider)?.userId,
        });
      },
      async jwt({ token, user, account, profile }) {
        if (user?.id && user.sessionId) {
          // An administrator arriving in someone's account (or back in their own) is no sign-in of a new device.
          if (account?.provider !== "impersonation") await noteBrowserSignIn(user.id);
          return { sub: user.id, sid: user.sessionId, username: user.username, email: user.email, role: user.role, impersonation: user.impersonation === true };
        }
        if (user?.id && account && account.type !== "credentials") {
          const grant = linking(account.provider);
          const verifiedEmail = profile?.email_verified === true && typeof profile.email === "string" ? profile.email : undefined;
          if (verifiedEmail) await proveAddressByProvider(user.id, verifiedEmail, account.provider, grant?.sessionId, routeContext);
          // Linking from /account keeps the browser's session; anything else is a sign-in with a new one.
          if (grant && grant.userId === user.id) return refreshSessionClaims({ sub: grant.userId, sid: grant.sessionId });
          const claims = await federatedSessionClaims(user.id, account.provider, routeContext);
          if (claims) await noteBrowserSignIn(user.id);
          return claims;
        }
        return refreshSessionClaims(token);
      },
      session({ session, token }) {
        return {
          ...session,
          sessionId: token.sid as string,
          impersonation: token.impersonation === true,
          user: {
            ...session.user,
            id: token.sub as string,
            username: token.username as string,
            email: token.email as string,
            role: token.role as Role,
            unverified: token.unverified === true,
          },
        };
      },
    },
  };
}

import { PrismaAdapter } from "@auth/prisma-adapter";
import NextAuth from "next-auth";
import type { Adapter } from "next-auth/adapters";
import Credentials from "next-auth/providers/credentials";
import { SESSION_MAX_AGE_SECONDS, SESSION_UPDATE_AGE_SECONDS } from "@/lib/auth/session-config";
import { refreshSessionClaims } from "@/lib/auth/session-token";
import { db } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { env } from "@/lib/env";
import { authenticate } from "@/lib/services/accounts";
import { loginSchema } from "@/lib/validations/auth";

declare module "next-auth" {
  interface User {
    username?: string;
    role?: Role;
    sessionVersion?: number;
  }
  interface Session {
    user: { id: string; username: string; email: string; role: Role; unverified: boolean };
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    username?: string;
    role?: Role;
    sv?: number;
    unverified?: boolean;
  }
}

function prismaAdapter(): Adapter {
  // @auth/prisma-adapter is typed against `@prisma/client`'s PrismaClient, while Prisma 7's `prisma-client`
  // generator emits its own class with the same delegates; this is the one cast between the two.
  return PrismaAdapter(db() as unknown as Parameters<typeof PrismaAdapter>[0]);
}

// A function config, so that secrets and connections are read when a request arrives, not at build time.
export const { auth, handlers, signIn, signOut } = NextAuth(() => ({
  adapter: prismaAdapter(),
  secret: env().AUTH_SECRET,
  trustHost: true,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS, updateAge: SESSION_UPDATE_AGE_SECONDS },
  pages: { signIn: "/login", error: "/login" },
  logger: {
    // A wrong password is an expected outcome, answered generically; it is not worth a stack trace in the log.
    error(error) {
      if (error.name === "CredentialsSignin") return;
      console.error(`[auth] ${error.name}: ${error.message}`);
    },
  },
  providers: [
    Credentials({
      credentials: { identifier: { label: "Email or username" }, password: { label: "Password", type: "password" } },
      async authorize(credentials) {
        const parsed = loginSchema.safeParse({ identifier: credentials.identifier, password: credentials.password });
        if (!parsed.success) return null;
        const user = await authenticate(parsed.data.identifier, parsed.data.password);
        if (!user) return null;
        return { ...user, name: user.username };
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user?.id) {
        return { sub: user.id, username: user.username, email: user.email, role: user.role, sv: user.sessionVersion };
      }
      return refreshSessionClaims(token);
    },
    session({ session, token }) {
      return {
        ...session,
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
}));

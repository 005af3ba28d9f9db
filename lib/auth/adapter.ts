import { randomBytes } from "node:crypto";
import { PrismaAdapter } from "@auth/prisma-adapter";
import type { Adapter, AdapterAccount, AdapterUser } from "next-auth/adapters";
import { db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/services/errors";
import { normalizeIdentifier } from "@/lib/services/login";
import type { LinkGrant } from "@/lib/services/link-intents";
import { PROVIDER_VERIFIED_EMAIL } from "./federation";

/** What Auth.js gets of a user: never the password hash. */
const adapterUserSelect = { id: true, email: true, emailVerified: true, name: true, image: true, username: true, role: true } as const;

const USERNAME_MAX = 32;
const USERNAME_MIN = 3;

/** "Ada Lovelace" / "ada.lovelace@example.com" → "ada_lovelace": a username in our alphabet (a-z 0-9 _ -). */
export function usernameBase(user: Pick<AdapterUser, "name" | "email">): string {
  const source = user.email?.split("@")[0] || user.name || "user";
  const base = source
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "_")
    .replace(/^[_-]+|[_-]+$/g, "")
    .slice(0, USERNAME_MAX - 5);
  return base.length >= USERNAME_MIN ? base : `user_${base}`.replace(/_$/, "");
}

/** Thrown by `linkAccount` when nothing allowed this request to link: Auth.js answers with an error page. */
export class LinkingNotAllowedError extends Error {
  constructor() {
    super("Linking a provider needs a linking intent from /account");
    this.name = "LinkingNotAllowedError";
  }
}

/**
 * @auth/prisma-adapter, adjusted to this schema: federated users get a unique username, emails are matched
 * normalised (so an existing account is found, and never silently joined: Auth.js then refuses), and the identity
 * provider's tokens are not stored (nothing here uses them). Built per request: a provider account is linked only
 * to a user this same request created, or as the linking intent consumed for this request says.
 */
export function latchkeyAdapter(linkGrant?: LinkGrant): Adapter {
  const createdHere = new Set<string>();
  // @auth/prisma-adapter is typed against `@prisma/client`'s PrismaClient, while Prisma 7's `prisma-client`
  // generator emits its own class with the same delegates; this is the one cast between the two.
  const base = PrismaAdapter(db() as unknown as Parameters<typeof PrismaAdapter>[0]);
  const asAdapterUser = (user: unknown) => user as AdapterUser | null;
  return {
    ...base,
    getUser: async (id) => asAdapterUser(await db().user.findUnique({ where: { id }, select: adapterUserSelect })),
    getUserByEmail: async (email) =>
      asAdapterUser(await db().user.findUnique({ where: { email: normalizeIdentifier(email) }, select: adapterUserSelect })),
    async getUserByAccount(key) {
      const account = await db().account.findUnique({ where: { provider_providerAccountId: key }, select: { user: { select: adapterUserSelect } } });
      return asAdapterUser(account?.user ?? null);
    },
    async createUser(user) {
      const base = usernameBase(user);
      for (let attempt = 0; ; attempt += 1) {
        const username = attempt === 0 ? base : `${base}_${randomBytes(2).toString("hex")}`;
        try {
          const created = await db().user.create({
            data: {
              username,
              email: normalizeIdentifier(user.email),
              name: user.name ?? null,
              image: user.image ?? null,
              // Auth.js passes null for every new federated user; the provider's own word is kept instead.
              emailVerified: (user as AdapterUser & Record<string, unknown>)[PROVIDER_VERIFIED_EMAIL] === true ? new Date() : null,
            },
            select: adapterUserSelect,
          });
          createdHere.add(created.id);
          return created as AdapterUser;
        } catch (error) {
          if (!isUniqueViolation(error) || attempt >= 5) throw error;
        }
      }
    },
    async linkAccount({ userId, type, provider, providerAccountId }: AdapterAccount) {
      const granted = linkGrant?.userId === userId && linkGrant.provider === provider;
      if (!createdHere.has(userId) && !granted) throw new LinkingNotAllowedError();
      await db().account.create({ data: { userId, type, provider, providerAccountId } });
    },
  };
}

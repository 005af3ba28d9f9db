import { getTranslations } from "next-intl/server";
import { federatedSignInAction } from "@/app/(auth)/federated-actions";
import { Button } from "@/components/ui/button";
import type { FederatedProvider } from "@/lib/services/federated-providers";

type FederatedButtonsProps = {
  providers: FederatedProvider[];
  callbackUrl: string;
  /** Replaces "Continue with <name>": /account's "Link <name>", in the reader's language. */
  label?: (provider: string) => string;
  /** Signing in by default; /account passes its linking action. */
  action?: (formData: FormData) => Promise<void>;
};

/** One plain form per provider: works without JavaScript. */
export async function FederatedButtons({ providers, callbackUrl, label, action = federatedSignInAction }: FederatedButtonsProps) {
  if (!providers.length) return null;
  const t = await getTranslations("forms");
  return (
    <div className="space-y-2">
      {providers.map((provider) => (
        <form key={provider.id} action={action}>
          <input type="hidden" name="provider" value={provider.id} />
          <input type="hidden" name="callbackUrl" value={callbackUrl} />
          <Button type="submit" variant="secondary" className="w-full">
            {label ? label(provider.name) : t("continueWith", { provider: provider.name })}
          </Button>
        </form>
      ))}
    </div>
  );
}

import { federatedSignInAction } from "@/app/(auth)/federated-actions";
import { Button } from "@/components/ui/button";
import type { FederatedProvider } from "@/lib/services/federated-providers";

type FederatedButtonsProps = {
  providers: FederatedProvider[];
  callbackUrl: string;
  verb?: string;
  /** Signing in by default; /account passes its linking action. */
  action?: (formData: FormData) => Promise<void>;
};

/** One plain form per provider: works without JavaScript. */
export function FederatedButtons({ providers, callbackUrl, verb = "Continue with", action = federatedSignInAction }: FederatedButtonsProps) {
  if (!providers.length) return null;
  return (
    <div className="space-y-2">
      {providers.map((provider) => (
        <form key={provider.id} action={action}>
          <input type="hidden" name="provider" value={provider.id} />
          <input type="hidden" name="callbackUrl" value={callbackUrl} />
          <Button type="submit" variant="secondary" className="w-full">
            {verb} {provider.name}
          </Button>
        </form>
      ))}
    </div>
  );
}

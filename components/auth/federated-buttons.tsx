import { federatedSignInAction } from "@/app/(auth)/federated-actions";
import { Button } from "@/components/ui/button";
import type { FederatedProvider } from "@/lib/auth/federation";

/** One plain form per provider: works without JavaScript. */
export function FederatedButtons({ providers, callbackUrl, verb = "Continue with" }: { providers: FederatedProvider[]; callbackUrl: string; verb?: string }) {
  if (!providers.length) return null;
  return (
    <div className="space-y-2">
      {providers.map((provider) => (
        <form key={provider.id} action={federatedSignInAction}>
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

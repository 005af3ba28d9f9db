import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";

/** One button acting on one record (a row's Sign out, Revoke…): a plain form posting its id, so no JavaScript is needed. */
export function RecordAction({
  action,
  id,
  children,
  variant = "secondary",
  label,
}: {
  action: (formData: FormData) => Promise<void>;
  id: string;
  children: ReactNode;
  variant?: "secondary" | "danger";
  label?: string;
}) {
  return (
    <form action={action}>
      <input type="hidden" name="id" value={id} />
      <Button type="submit" variant={variant} aria-label={label}>
        {children}
      </Button>
    </form>
  );
}

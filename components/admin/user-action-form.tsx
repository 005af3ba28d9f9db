import type { ReactNode } from "react";

/**
 * One admin action on one user: a plain form (works without JavaScript) that posts the user's id, the page to come
 * back to and any extra fields the action takes. The children are the visible controls and the submit button.
 */
export function UserActionForm({
  action,
  userId,
  returnTo,
  fields = {},
  className,
  children,
}: {
  action: (formData: FormData) => Promise<void>;
  userId: string;
  returnTo: string;
  fields?: Record<string, string>;
  className?: string;
  children: ReactNode;
}) {
  return (
    <form action={action} className={className}>
      <input type="hidden" name="userId" value={userId} />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <input type="hidden" name="returnTo" value={returnTo} />
      {children}
    </form>
  );
}

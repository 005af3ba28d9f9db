import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";

export const metadata: Metadata = { title: "Password reset" };

export default function PasswordResetDonePage() {
  return (
    <Card title="Your password has been reset" description="Every earlier session has been signed out.">
      <Link href="/login" className="font-semibold text-indigo-600 hover:text-indigo-500">
        Log in with your new password
      </Link>
    </Card>
  );
}

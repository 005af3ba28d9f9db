import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SignupForm } from "@/components/auth/signup-form";
import { Card } from "@/components/ui/card";
import { currentUser } from "@/lib/dal/session";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Sign up" };

export default async function SignupPage() {
  if (await currentUser()) redirect("/dashboard");
  return (
    <div className="space-y-4">
      <Card title="Create your account" description="It takes a few seconds.">
        <SignupForm minPasswordLength={env().PASSWORD_MIN_LENGTH} />
      </Card>
      <p className="text-center text-sm text-slate-600">
        Already have an account?{" "}
        <Link href="/login" className="font-semibold text-indigo-600 hover:text-indigo-500">
          Log in
        </Link>
      </p>
    </div>
  );
}

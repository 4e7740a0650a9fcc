import type { Metadata } from "next";
import { AuthForm } from "@/features/auth/components/AuthForm.tsx";

export const metadata: Metadata = { title: "Create account" };

export default function SignUpPage() {
  return <AuthForm mode="sign-up" />;
}

"use client";
import { createContext, useContext } from "react";

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
}

export const UserContext = createContext<SignedInUser | null>(null);

/** The signed-in user; only used below AppShell, which renders nothing until there is one. */
export function useUser(): SignedInUser {
  const user = useContext(UserContext);
  if (!user) throw new Error("useUser() must be used inside <AppShell>");
  return user;
}

"use client";
import { createAuthClient } from "better-auth/react";

// Same origin: the browser calls /api/auth/* on the frontend, which proxies to the backend. No URL of
// the backend ever reaches the browser.
export const authClient = createAuthClient();

export const { useSession, signIn, signUp, signOut } = authClient;

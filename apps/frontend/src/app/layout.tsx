import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import "./globals.css";

// Rendered per request: each page carries the nonce of its own Content-Security-Policy (src/proxy.ts).
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Todo Assistant", template: "%s · Todo Assistant" },
  description: "Manage your tasks by chatting with an assistant, or edit the list directly.",
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: "#4f46e5",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}

import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import "./globals.css";

// Every page depends on the session and the database: render per request, never at build time.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Tandem", template: "%s · Tandem" },
  description: "The team inbox for WhatsApp Business app numbers.",
  icons: { icon: { url: "/icon.svg", type: "image/svg+xml" } },
  // A private inbox: keep it out of search results even where robots.txt is not read.
  robots: { index: false, follow: false },
};

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#ffffff" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}

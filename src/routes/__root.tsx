/// <reference types="vite/client" />
import { createRootRoute, HeadContent, Outlet, ScriptOnce, Scripts } from "@tanstack/react-router";
import { type ReactNode, useEffect } from "react";
import { useTheme } from "../client/hooks/useTheme";
import { registerServiceWorker } from "../client/sw-register";
import { THEME_BOOT_SCRIPT } from "../client/theme";
import { guardTwoFactor } from "../client/two-factor-guard";
import { NotFoundPage } from "../components/NotFoundPage";
import appCss from "../styles.css?url";

export const Route = createRootRoute({
  head: () => ({
    meta: [
      { charSet: "utf-8" },
      { name: "viewport", content: "width=device-width, initial-scale=1" },
      { title: "Parley" },
      // Installed app (issue 13): the colour of its window bar.
      { name: "theme-color", content: "#4f46e5" },
    ],
    links: [
      { rel: "stylesheet", href: appCss },
      { rel: "manifest", href: "/manifest.webmanifest" },
      { rel: "apple-touch-icon", href: "/icons/icon-192.png" },
      {
        rel: "icon",
        href: "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'><circle cx='8' cy='8' r='7' fill='%234f46e5'/></svg>",
      },
    ],
  }),
  // Issue 14: a server that requires two-factor sends users without it to set it up.
  beforeLoad: ({ location }) => guardTwoFactor(location.pathname),
  component: () => <Outlet />,
  // An unknown path: the styled page with a way back, not a bare "Not Found".
  notFoundComponent: () => <NotFoundPage />,
  shellComponent: RootDocument,
});

function RootDocument({ children }: { children: ReactNode }) {
  // Keeps <html> in step with the system and other tabs on every page.
  useTheme();
  // The installable app's worker (offline shell, Web Push), after load.
  useEffect(registerServiceWorker, []);
  return (
    // The boot script sets data-theme and the dark class before hydration.
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* First in <head>: the theme is set before anything paints (no flash). */}
        <ScriptOnce>{THEME_BOOT_SCRIPT}</ScriptOnce>
        <HeadContent />
      </head>
      <body className="bg-slate-50 text-slate-900 antialiased">
        {children}
        <Scripts />
      </body>
    </html>
  );
}

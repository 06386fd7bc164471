import { useEffect } from "react";
import { attentionCount, faviconHref, titleWithCount } from "../doc-title";
import { useChatSelector } from "./chat-context";

/**
 * Keeps "(N) " in front of the document title and the favicon's dot in
 * step with the live rooms (client/doc-title.ts). The router sets the
 * title (and may render the icon link again) on every navigation: a
 * MutationObserver on <head> puts the count and the dot back.
 */
export function useDocTitle(): void {
  const count = useChatSelector((client) => attentionCount(client.rooms()), 0);
  useEffect(() => {
    const href = faviconHref(count > 0);
    // Idempotent: our own writes set off the observer once more and change nothing.
    const apply = () => {
      const next = titleWithCount(document.title, count);
      if (next !== document.title) document.title = next;
      const icon = document.querySelector<HTMLLinkElement>("link[rel='icon']");
      if (icon && icon.getAttribute("href") !== href) icon.setAttribute("href", href);
    };
    apply();
    const observer = new MutationObserver(apply);
    observer.observe(document.head, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, [count]);
}

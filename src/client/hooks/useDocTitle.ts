import { useEffect } from "react";
import { attentionCount, faviconHref, titleWithCount } from "../doc-title";
import { useChatSelector } from "./chat-context";

/**
 * Keeps "(N) " in front of the document title and the favicon's dot in
 * step with the live rooms (client/doc-title.ts). The router sets the
 * title on every navigation: a MutationObserver on <title> puts the count
 * back in front of the new one.
 */
export function useDocTitle(): void {
  const count = useChatSelector((client) => attentionCount(client.rooms()), 0);
  useEffect(() => {
    const apply = () => {
      const next = titleWithCount(document.title, count);
      if (next !== document.title) document.title = next;
    };
    apply();
    const icon = document.querySelector<HTMLLinkElement>("link[rel='icon']");
    const href = faviconHref(count > 0);
    if (icon && icon.getAttribute("href") !== href) icon.setAttribute("href", href);
    const observer = new MutationObserver(apply);
    observer.observe(document.head, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, [count]);
}

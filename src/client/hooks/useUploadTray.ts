import { useEffect, useState, useSyncExternalStore } from "react";
import { type StartUpload, UploadTray } from "../upload-tray";

/** One UploadTray for a composer's life, re-rendering on each change; uploads stop on unmount. */
export function useUploadTray(start?: StartUpload) {
  const [tray] = useState(() => new UploadTray(start));
  const items = useSyncExternalStore(
    tray.subscribe,
    () => tray.items,
    () => tray.items,
  );
  const notice = useSyncExternalStore(
    tray.subscribe,
    () => tray.notice,
    () => tray.notice,
  );
  useEffect(() => () => tray.dispose(), [tray]);
  return { tray, items, notice };
}

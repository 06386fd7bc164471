import type { PickerEmoji } from "../protocol/reaction-emoji";

let loading: Promise<PickerEmoji[]> | null = null;

/** Loads the picker's emoji once (a chunk of its own); a failed load is retried on the next call. */
export function loadEmojiCatalog(): Promise<PickerEmoji[]> {
  loading ??= import("./emoji-catalog").then(
    (module) => module.catalog,
    (error: unknown) => {
      loading = null;
      throw error;
    },
  );
  return loading;
}

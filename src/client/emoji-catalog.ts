import data from "emojibase-data/en/compact.json";
import { type CompactEmoji, type PickerEmoji, pickerEmojiFrom } from "../protocol/reaction-emoji";

// Only reached through loadEmojiCatalog's dynamic import: the dataset (about
// 0.5 MB of JSON) is its own chunk, fetched when a picker first opens.

/** Every emoji the picker offers, in emojibase's order (smileys first). */
export const catalog: PickerEmoji[] = pickerEmojiFrom(data as readonly CompactEmoji[]);

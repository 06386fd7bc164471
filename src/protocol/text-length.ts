/**
 * How long text is as people see it. Lives in protocol/ because the wire
 * limits (message text) are stated in it, and core/ counts names the same
 * way: imports point protocol <- core, never back.
 */
const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** How many characters a person sees in `text` (extended grapheme clusters). */
export function graphemeLength(text: string): number {
  let count = 0;
  for (const _ of segmenter.segment(text)) count++;
  return count;
}

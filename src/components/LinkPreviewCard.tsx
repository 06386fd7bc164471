import { type LinkPreview, thumbUrl } from "../protocol/frames";

/**
 * The link preview the server made for a message's first link: an article
 * named after the page's title, with the site's name, the title as a link,
 * the description and the image the server stored (decorative: alt "").
 * The message's author may remove it.
 */
export function LinkPreviewCard({
  preview,
  onRemove,
  disabled = false,
}: {
  preview: LinkPreview;
  /** Only for the author. */
  onRemove?: () => void;
  /** While disconnected (the removal would be dropped). */
  disabled?: boolean;
}) {
  return (
    <article
      aria-label={preview.title}
      className="mt-1 flex max-w-lg gap-3 rounded-lg border border-slate-200 border-l-4 border-l-indigo-400 bg-white px-3 py-2"
    >
      <div className="flex min-w-0 flex-1 flex-col gap-0.5">
        {preview.siteName && <p className="text-xs text-slate-600">{preview.siteName}</p>}
        <a
          href={preview.url}
          target="_blank"
          rel="noopener noreferrer nofollow"
          className="text-sm font-semibold text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-500"
        >
          {preview.title}
        </a>
        {preview.description && (
          <p className="line-clamp-3 text-sm text-slate-700">{preview.description}</p>
        )}
        {onRemove && (
          <button
            type="button"
            onClick={onRemove}
            disabled={disabled}
            className="mt-1 self-start rounded px-1 text-xs text-slate-600 underline hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500 disabled:no-underline"
          >
            Remove preview
          </button>
        )}
      </div>
      {preview.image && (
        <img
          src={thumbUrl(preview.image)}
          alt=""
          width={80}
          height={80}
          loading="lazy"
          className="h-20 w-20 shrink-0 rounded object-cover"
        />
      )}
    </article>
  );
}

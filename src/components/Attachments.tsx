import { useState } from "react";
import { fitWithin } from "../client/file-format";
import { thumbUrl, type WireFile } from "../protocol/frames";
import { FileCard } from "./FileCard";
import { ImageViewer } from "./ImageViewer";

/** Thumbnails are laid out within this box (the server makes them at most 400 px). */
const THUMB_BOX = { width: 320, height: 240 };

/**
 * A message's files: images as thumbnails (each a button opening the
 * "Image viewer"), the others as file cards, in the message's order.
 */
export function Attachments({ files }: { files: readonly WireFile[] }) {
  const [viewing, setViewing] = useState<WireFile | null>(null);
  if (files.length === 0) return null;
  return (
    <div className="mt-1 flex flex-wrap items-start gap-2">
      {files.map((file) =>
        file.image ? (
          <ImageThumb key={file.id} file={file} onOpen={() => setViewing(file)} />
        ) : (
          <FileCard key={file.id} file={file} />
        ),
      )}
      {viewing && <ImageViewer file={viewing} onClose={() => setViewing(null)} />}
    </div>
  );
}

function ImageThumb({ file, onOpen }: { file: WireFile; onOpen: () => void }) {
  // Width and height up front: the log does not jump when the thumbnail loads.
  const size = fitWithin(file.width, file.height, THUMB_BOX);
  return (
    <button
      type="button"
      onClick={onOpen}
      className="overflow-hidden rounded-lg border border-slate-200 bg-slate-100 hover:brightness-95 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500"
    >
      <img
        src={thumbUrl(file)}
        alt={file.name}
        width={size.width}
        height={size.height}
        loading="lazy"
        className="block h-auto max-w-full object-cover"
        style={{ aspectRatio: `${size.width} / ${size.height}` }}
      />
    </button>
  );
}

import { fileUrl, type WireFile } from "../protocol/frames";
import { Modal } from "./Modal";

/**
 * The dialog "Image viewer": the full image (fitted to the window) and a
 * "Download" link. A native modal: Escape closes it and focus goes back to
 * the thumbnail's button that opened it.
 */
export function ImageViewer({ file, onClose }: { file: WireFile; onClose: () => void }) {
  const url = fileUrl(file);
  return (
    <Modal title="Image viewer" onClose={onClose} wide>
      <figure className="flex flex-col items-center gap-2">
        <img
          src={url}
          alt={file.name}
          width={file.width}
          height={file.height}
          className="h-auto max-h-[72vh] w-auto max-w-full rounded object-contain"
        />
        <figcaption className="flex w-full items-center justify-between gap-3 text-sm">
          <span className="min-w-0 truncate text-slate-700">{file.name}</span>
          <a
            href={url}
            download={file.name}
            data-autofocus
            className="shrink-0 rounded-md bg-indigo-600 px-3 py-1.5 font-medium text-white hover:bg-indigo-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500"
          >
            Download
          </a>
        </figcaption>
      </figure>
    </Modal>
  );
}

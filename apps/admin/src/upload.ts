/** What `POST /api/imports` answers for a stored file. */
export interface UploadedFile {
  fileId: number;
  name: string;
  format: "csv" | "xlsx";
  size: number;
  columns: string[];
  sample: string[][];
}

/** An upload the server refused, with its status and message. */
export class UploadError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Sends a file to `POST /api/imports` with XMLHttpRequest, so the upload's own progress can be
 * shown (`fetch` reports none). Resolves with the stored file; rejects with an `UploadError`.
 *
 * @example const stored = await uploadFile(file, (sent, total) => setProgress({ sent, total }));
 */
export function uploadFile(
  file: File,
  onProgress: (sent: number, total: number) => void,
  path = "/api/imports",
): Promise<UploadedFile> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `${path}?name=${encodeURIComponent(file.name)}`);
    xhr.withCredentials = true;
    xhr.responseType = "text";
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onerror = () => reject(new UploadError(0, "The upload failed: check the connection and try again."));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status === 201 && body && typeof body === "object") resolve(body as UploadedFile);
      else {
        const message =
          body && typeof body === "object" && typeof (body as { error?: unknown }).error === "string"
            ? (body as { error: string }).error
            : `The server answered ${xhr.status}`;
        reject(new UploadError(xhr.status, message));
      }
    };
    xhr.send(file);
  });
}

/**
 * A byte count in words with the locale's number format.
 *
 * @example formatBytes(1_500_000, (n, o) => n.toFixed(1)) // "1.5 MB"
 */
export function formatBytes(
  bytes: number,
  formatNumber: (n: number, o?: Intl.NumberFormatOptions) => string,
) {
  if (bytes < 1024) return `${formatNumber(bytes)} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(bytes / 1024, { maximumFractionDigits: 1 })} KB`;
  return `${formatNumber(bytes / (1024 * 1024), { maximumFractionDigits: 1 })} MB`;
}

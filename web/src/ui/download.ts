// Saving what the API answered as a file, with the name the server gave it. The bytes are the
// server's own (fetched as text through the typed client), so a saved proof or signed note is
// exactly what the CLI would have printed.

/** The filename in a Content-Disposition header, or `fallback`. */
export function filenameOf(response: Response, fallback: string): string {
  const header = response.headers.get('content-disposition') ?? '';
  const match = /filename="([^"]+)"/.exec(header);
  return match?.[1] ?? fallback;
}

/** Hands `text` to the browser as a download named `filename`. */
export function saveFile(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // Give the browser a moment to start the download before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

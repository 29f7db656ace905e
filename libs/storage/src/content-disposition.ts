/**
 * `attachment` Content-Disposition for a download name (RFC 6266): a plain-ASCII `filename` for
 * old clients and the exact UTF-8 name in `filename*` (RFC 8187).
 */
export function contentDisposition(downloadName: string): string {
  const fallback = downloadName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(downloadName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * The words of a URL's path, for keyword matching: percent-encoded slugs
 * decoded (Arabic slugs arrive as %D8%AA...), and - _ / . + ~ read as spaces.
 * Host and query are left out: they rarely carry the page's keyword.
 */
export function urlWords(url: string): string {
  let path: string;
  try {
    path = new URL(url, 'http://relative.invalid').pathname;
  } catch {
    path = url;
  }
  return path
    .split('/')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        // A malformed escape leaves the segment as it is rather than losing it.
        return segment;
      }
    })
    .join(' ')
    .replace(/[-_.+~]/g, ' ')
    .trim();
}

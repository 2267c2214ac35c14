import { TextDecoder } from 'node:util';

/** A TextDecoder for a charset label, or undefined when the label is unknown. */
function decoderFor(label: string): TextDecoder | undefined {
  try {
    return new TextDecoder(label.trim().toLowerCase());
  } catch {
    return undefined;
  }
}

function charsetParam(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '');
  return match?.[1];
}

function bomCharset(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

/** <meta charset> or <meta http-equiv=Content-Type content="…; charset=…"> in the first 1024 bytes. */
function metaCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).toString('latin1');
  for (const tag of head.match(/<meta\b[^>]*>/gi) ?? []) {
    const direct = /\bcharset\s*=\s*["']?([^"'\s/>;]+)/i.exec(tag);
    if (direct?.[1]) return direct[1];
  }
  return undefined;
}

export interface Decoded {
  text: string;
  /** The WHATWG name of the encoding used, e.g. 'utf-8', 'windows-1256'. */
  charset: string;
}

/**
 * Decodes an HTML body the way a browser picks its encoding: a byte-order
 * mark wins (browsers let it override the header), then the Content-Type
 * charset, then a <meta> in the first 1024 bytes, then UTF-8. Unknown labels
 * fall through to the next source; bad bytes become U+FFFD, never an error.
 */
export function decodeHtml(bytes: Uint8Array, contentType: string | undefined): Decoded {
  const candidates = [bomCharset(bytes), charsetParam(contentType), metaCharset(bytes)];
  for (const [index, label] of candidates.entries()) {
    if (label === undefined) continue;
    const decoder = decoderFor(label);
    // UTF-16 named in a <meta> is a lie the page tells in ASCII; browsers read it as UTF-8.
    if (decoder && !(index === 2 && decoder.encoding.startsWith('utf-16'))) {
      return { text: decoder.decode(bytes), charset: decoder.encoding };
    }
  }
  return { text: new TextDecoder('utf-8').decode(bytes), charset: 'utf-8' };
}

/** Decodes a text body (robots.txt, sitemap) named by its header or BOM, else UTF-8. */
export function decodeText(bytes: Uint8Array, contentType: string | undefined): string {
  const label = bomCharset(bytes) ?? charsetParam(contentType);
  const decoder = (label && decoderFor(label)) || new TextDecoder('utf-8');
  return decoder.decode(bytes);
}

/** Binary bytes served as HTML: NUL bytes in the first 1024 bytes of a non-UTF-16 body. */
export function looksBinary(bytes: Uint8Array, charset: string): boolean {
  if (charset.startsWith('utf-16')) return false;
  const end = Math.min(bytes.length, 1024);
  for (let i = 0; i < end; i++) if (bytes[i] === 0) return true;
  return false;
}

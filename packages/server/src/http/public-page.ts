import type { FastifyReply } from 'fastify';

/** Pages people reach from a message or a website (preferences, unsubscribe, signup), not the dashboard. */

export const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** A small page that works without JavaScript, right to left in Arabic. */
export function page(locale: 'ar' | 'en', title: string, body: string): string {
  return `<!doctype html>
<html lang="${locale}" dir="${locale === 'ar' ? 'rtl' : 'ltr'}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,"Noto Sans Arabic","Noto Sans",sans-serif;background:#fafafa;color:#18181b;margin:0;padding:2rem 1rem}
main{max-width:32rem;margin:0 auto;background:#fff;border:1px solid #e4e4e7;border-radius:.75rem;padding:1.5rem}
h1{font-size:1.25rem;margin:0 0 1rem}fieldset{border:0;padding:0;margin:1rem 0}legend{font-weight:600;margin-bottom:.5rem}
label{display:flex;gap:.5rem;align-items:center;padding:.35rem 0}bdi{color:#52525b}
button{background:#0f766e;color:#fff;border:0;border-radius:.5rem;padding:.6rem 1rem;font:inherit;cursor:pointer}
.note{background:#ecfdf5;border:1px solid #a7f3d0;padding:.6rem .8rem;border-radius:.5rem}
</style></head>
<body><main>${body}</main></body></html>`;
}

/** An HTML answer that no cache keeps: it shows a person's own choices. */
export const html = (reply: FastifyReply, status: number, body: string) =>
  reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);

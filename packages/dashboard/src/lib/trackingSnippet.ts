/** Safe inside a double-quoted HTML attribute (origins and keys never need it; it costs nothing). */
const attribute = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * The tag a site pastes before `</head>` on every page. `origin` is where this Wasl answers
 * (the dashboard's own origin); the key is public, it only says which site a visit belongs to.
 */
export const trackingSnippet = (origin: string, siteKey: string) =>
  `<script defer src="${attribute(origin)}/t.js" data-site="${attribute(siteKey)}"></script>`;

/** Open Graph and Twitter card tags, which shape how a page looks when shared. */
import type { Finding } from '../../types.ts';
import { type Check, contentPages, finding, text } from '../site.ts';

const OPEN_GRAPH = ['og:title', 'og:description', 'og:image', 'og:url'];

export const socialTags: Check = (site) =>
  contentPages(site).flatMap(({ page, facts }) => {
    const out: Finding[] = [];
    const missing = OPEN_GRAPH.filter((p) => !facts.social[p]);
    if (missing.length > 0)
      out.push(
        finding(
          'social.og_missing',
          'notice',
          [page.url],
          text(
            `Open Graph tags are missing: ${missing.join(', ')}.`,
            `وسوم Open Graph التالية مفقودة: ${missing.join('، ')}.`,
          ),
          text(
            'Add them so WhatsApp, Facebook, LinkedIn and others show a proper title, description and image when the page is shared.',
            'أضفها لكي يعرض واتساب وفيسبوك ولينكدإن وغيرها عنوانًا ووصفًا وصورة مناسبة عند مشاركة الصفحة.',
          ),
          { missing },
        ),
      );
    if (!facts.social['twitter:card'])
      out.push(
        finding(
          'social.twitter_card_missing',
          'notice',
          [page.url],
          text('The twitter:card tag is missing.', 'وسم twitter:card مفقود.'),
          text(
            'Add <meta name="twitter:card" content="summary_large_image"> so links shared on X show a card with the image.',
            'أضف <meta name="twitter:card" content="summary_large_image"> لتظهر الروابط المشاركة على منصة X في بطاقة مع الصورة.',
          ),
        ),
      );
    return out;
  });

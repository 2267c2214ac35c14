/** The H1 and the order of heading levels. */
import { type Check, contentPages, finding, text } from '../site.ts';
import { arabicCount } from '../text.ts';

export const headings: Check = (site) =>
  contentPages(site).flatMap(({ page, facts }) => {
    const out = [];
    const h1s = facts.headings.filter((h) => h.level === 1);
    if (h1s.length === 0)
      out.push(
        finding(
          'h1.missing',
          'warning',
          [page.url],
          text('The page has no H1 heading.', 'لا تحتوي الصفحة على عنوان رئيسي H1.'),
          text(
            'Add one <h1> that states the page’s main topic, close to the title.',
            'أضف عنوانًا رئيسيًا واحدًا <h1> يعبّر عن موضوع الصفحة الأساسي ويقارب عنوانها.',
          ),
        ),
      );
    if (h1s.length > 1)
      out.push(
        finding(
          'h1.multiple',
          'notice',
          [page.url],
          text(
            `The page has ${h1s.length} H1 headings.`,
            `تحتوي الصفحة على ${arabicCount(h1s.length, { one: 'عنوان رئيسي واحد', two: 'عنوانين رئيسيين', few: 'عناوين رئيسية', many: 'عنوانًا رئيسيًا' })} من نوع H1.`,
          ),
          text(
            'Keep one H1 for the main topic and turn the others into H2 sub-headings.',
            'أبقِ عنوان H1 واحدًا للموضوع الرئيسي وحوّل البقية إلى عناوين فرعية H2.',
          ),
          { h1: h1s.map((h) => h.text) },
        ),
      );
    if (h1s.some((h) => h.text === ''))
      out.push(
        finding(
          'h1.empty',
          'warning',
          [page.url],
          text('An H1 heading on the page is empty.', 'يوجد عنوان رئيسي H1 فارغ في الصفحة.'),
          text('Put the page’s main topic in the H1 as text.', 'ضع موضوع الصفحة الرئيسي نصًا داخل عنوان H1.'),
        ),
      );
    const skips = [];
    for (let i = 1; i < facts.headings.length; i++) {
      const prev = facts.headings[i - 1];
      const cur = facts.headings[i];
      if (prev && cur && cur.level > prev.level + 1)
        skips.push({ from: `h${prev.level}`, to: `h${cur.level}`, text: cur.text });
    }
    if (skips.length > 0)
      out.push(
        finding(
          'heading.skipped_level',
          'notice',
          [page.url],
          text(
            `Heading levels are skipped (${skips.map((s) => `${s.from} → ${s.to}`).join(', ')}).`,
            `تتخطى العناوين بعض المستويات (${skips.map((s) => `${s.from} ← ${s.to}`).join('، ')}).`,
          ),
          text(
            'Nest headings in order (H1, then H2, then H3) so the outline makes sense to readers and search engines.',
            'رتّب العناوين بالتسلسل (H1 ثم H2 ثم H3) ليكون هيكل الصفحة واضحًا للقراء ومحركات البحث.',
          ),
          { skips },
        ),
      );
    return out;
  });

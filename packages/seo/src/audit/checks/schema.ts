/**
 * JSON-LD: syntax errors, and the properties Google's rich-result documentation
 * lists as required or recommended for the types it reads most from our users' sites.
 */
import type { Finding } from '../../types.ts';
import { type Check, contentPages, finding, text } from '../site.ts';

type Node = Record<string, unknown>;

interface Rule {
  /** Property paths that must be present; an array entry means "one of". */
  required: (string | string[])[];
  recommended: string[];
  /** Extra structural problems, as missing-property paths. */
  inner?: (node: Node) => string[];
}

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const present = (v: unknown): boolean =>
  v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);
const typesOf = (node: Node): string[] =>
  list(node['@type']).filter((t): t is string => typeof t === 'string');

const ARTICLE: Rule = {
  required: [],
  recommended: ['headline', 'image', 'datePublished', 'dateModified', 'author'],
};

const RULES: Record<string, Rule> = {
  // Google documents no required Organization properties; these are its recommended ones.
  Organization: { required: [], recommended: ['name', 'url', 'logo'] },
  Product: {
    required: ['name', ['offers', 'review', 'aggregateRating']],
    recommended: ['image', 'description', 'brand'],
  },
  Article: ARTICLE,
  NewsArticle: ARTICLE,
  BlogPosting: ARTICLE,
  BreadcrumbList: {
    required: ['itemListElement'],
    recommended: [],
    // Google: item may be left out of the last crumb only.
    inner: (node) => {
      const items = list(node.itemListElement);
      return items.flatMap((item, i) => {
        const crumb = isNode(item) ? item : {};
        const missing = ['position', 'name'].filter(
          (p) => !present(crumb[p] ?? (isNode(crumb.item) ? crumb.item[p] : undefined)),
        );
        if (i < items.length - 1 && !present(crumb.item)) missing.push('item');
        return missing.map((p) => `itemListElement[${i}].${p}`);
      });
    },
  },
  FAQPage: {
    required: ['mainEntity'],
    recommended: [],
    inner: (node) =>
      list(node.mainEntity).flatMap((q, i) => {
        const question = isNode(q) ? q : {};
        const missing: string[] = [];
        if (!present(question.name)) missing.push(`mainEntity[${i}].name`);
        const answer = list(question.acceptedAnswer)[0];
        if (!isNode(answer) || !present(answer.text)) missing.push(`mainEntity[${i}].acceptedAnswer.text`);
        return missing;
      }),
  },
  LocalBusiness: {
    required: ['name', 'address'],
    recommended: ['telephone', 'url', 'geo', 'openingHoursSpecification'],
  },
};

/** Every typed node in a JSON-LD value, including @graph members. */
function nodes(value: unknown): Node[] {
  return list(value).flatMap((v) => {
    if (!isNode(v)) return [];
    const graph = v['@graph'];
    return [...(typesOf(v).length > 0 ? [v] : []), ...(graph === undefined ? [] : nodes(graph))];
  });
}

export interface SchemaProblem {
  type: string;
  missing: string[];
}

export function validateNode(node: Node): { required: SchemaProblem[]; recommended: SchemaProblem[] } {
  const required: SchemaProblem[] = [];
  const recommended: SchemaProblem[] = [];
  for (const type of typesOf(node)) {
    const rule = RULES[type];
    if (!rule) continue;
    const missing = rule.required
      .filter((r) => (Array.isArray(r) ? !r.some((p) => present(node[p])) : !present(node[r])))
      .map((r) => (Array.isArray(r) ? r.join('|') : r));
    missing.push(...(rule.inner?.(node) ?? []));
    if (missing.length > 0) required.push({ type, missing });
    const optional = rule.recommended.filter((p) => !present(node[p]));
    if (optional.length > 0) recommended.push({ type, missing: optional });
  }
  return { required, recommended };
}

export const structuredData: Check = (site) =>
  contentPages(site).flatMap(({ page, facts }) => {
    const out: Finding[] = [];
    facts.jsonLd.forEach((block, index) => {
      if (!block.ok) {
        out.push(
          finding(
            'schema.json_invalid',
            'critical',
            [page.url],
            text(
              `JSON-LD block ${index + 1} is not valid JSON: ${block.error}`,
              `كتلة JSON-LD رقم ${index + 1} ليست بصيغة JSON صحيحة: ${block.error}`,
            ),
            text(
              'Fix the syntax (commas, quotes, brackets) and check it with Google’s Rich Results Test.',
              'صحّح الصياغة (الفواصل وعلامات الاقتباس والأقواس) وافحصها بأداة اختبار النتائج المنسقة من Google.',
            ),
            { block: index + 1, error: block.error },
          ),
        );
        return;
      }
      for (const node of nodes(block.value)) {
        const { required, recommended } = validateNode(node);
        for (const p of required)
          out.push(
            finding(
              'schema.required_missing',
              'critical',
              [page.url],
              text(
                `The ${p.type} structured data lacks required properties: ${p.missing.join(', ')}.`,
                `البيانات المنظمة من نوع ${p.type} تنقصها خصائص مطلوبة: ${p.missing.join('، ')}.`,
              ),
              text(
                'Add the missing properties; without them Google shows no rich result for this item.',
                'أضف الخصائص الناقصة، فبدونها لا يعرض Google نتيجة منسقة لهذا العنصر.',
              ),
              { block: index + 1, type: p.type, missing: p.missing },
            ),
          );
        for (const p of recommended)
          out.push(
            finding(
              'schema.recommended_missing',
              'notice',
              [page.url],
              text(
                `The ${p.type} structured data lacks recommended properties: ${p.missing.join(', ')}.`,
                `البيانات المنظمة من نوع ${p.type} تنقصها خصائص موصى بها: ${p.missing.join('، ')}.`,
              ),
              text(
                'Add them where the information exists; they make the search result richer.',
                'أضفها متى توفرت المعلومات، فهي تجعل نتيجة البحث أغنى وأكثر جذبًا.',
              ),
              { block: index + 1, type: p.type, missing: p.missing },
            ),
          );
      }
    });
    return out;
  });

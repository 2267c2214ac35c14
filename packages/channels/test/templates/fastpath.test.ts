import { Output } from 'liquidjs';
import { describe, expect, it } from 'vitest';
import { createEngine, tidy } from '../../src/templates/engine.ts';
import { accelerate } from '../../src/templates/fastpath.ts';

const template =
  '{{ c.name }}|{{ c.tags }}|{{ c.tags.size }}|{{ c.tags.first }}|{{ c.tags.last }}|{{ c.tags[1] }}|{{ c["name"] }}|' +
  '{{ c.n | plus: 1 }}|{{ c.flag }}|{{ c.missing.deep }}|{{ c.name | upcase | append: "!" }}|{{ c.name.size }}|' +
  '{{ c.missing | default: "none" }}|{{ c.zero | default: 5 }}|{{ c.n | plural: one: "# item", other: "# items" }}|' +
  '{% for t in c.tags %}[{{ t | upcase }}:{{ forloop.index }}]{% endfor %}|{% if c.flag %}{{ c.name }}{% else %}{{ c.n }}{% endif %}|' +
  '{{ c.tags | join: c.sep }}|{{ c.name | raw }}|{{ (1..3) | join: "," }}';

const contexts: Record<string, unknown>[] = [
  { c: { name: 'Sara <b>', tags: ['a', 'b', 'c'], n: 1, flag: true, zero: 0, sep: '-' } },
  { c: { name: '', tags: [], n: '2', flag: false, sep: '+' } },
  { c: { tags: 'not-a-list', n: null } },
  {},
  { c: { name: 'نورة', tags: [1, 2], n: 3.5, flag: 'yes', missing: { deep: 'found' } } },
];

describe('fast output path', () => {
  it('takes over simple outputs only', () => {
    const engine = createEngine({ locale: 'en', timeZone: 'UTC' }, 'html');
    const templates = accelerate(engine.parse(template));
    const fast = (list: unknown[]) =>
      list.filter((t): t is Output => t instanceof Output).map((o) => Object.hasOwn(o, 'render'));
    // The join with a variable argument and the range literal keep liquidjs' own render.
    expect(fast(templates)).toEqual([...Array(15).fill(true), false, true, false]);
    const loop = templates.find((t) => t.constructor.name === 'ForTag') as unknown as {
      templates: unknown[];
    };
    expect(fast(loop.templates)).toEqual([true, true]);
  });

  for (const mode of ['html', 'text'] as const) {
    it(`renders the same text as liquidjs in ${mode} mode`, () => {
      const engine = createEngine({ locale: 'ar', timeZone: 'UTC' }, mode);
      const slow = engine.parse(template);
      const fast = accelerate(engine.parse(template));
      for (const context of contexts) {
        expect(tidy(engine.renderSync(fast, context))).toBe(tidy(engine.renderSync(slow, context)));
      }
      expect(tidy(engine.renderSync(fast, contexts[0]))).toBe(
        mode === 'html'
          ? 'Sara &lt;b&gt;|abc|3|a|c|b|Sara &lt;b&gt;|2|true||SARA &lt;B&gt;!|8|none|0|1 item|[A:1][B:2][C:3]|Sara &lt;b&gt;|a-b-c|Sara <b>|1,2,3'
          : 'Sara <b>|abc|3|a|c|b|Sara <b>|2|true||SARA <B>!|8|none|0|1 item|[A:1][B:2][C:3]|Sara <b>|a-b-c|Sara <b>|1,2,3',
      );
    });
  }
});

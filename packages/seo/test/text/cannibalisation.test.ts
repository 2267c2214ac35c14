import { describe, expect, it } from 'vitest';
import { findCannibalisation } from '../../src/text/cannibalisation.ts';

const pages = [
  { url: 'https://example.sa/a', title: 'المكتبات الرقمية | وصل', h1: ['دليل المكتبات الرقمية'] },
  { url: 'https://example.sa/b', title: 'مكتبة رقمية - وصل', h1: ['ما هي المكتبة الرقمية؟'] },
  {
    url: 'https://example.sa/c',
    title: 'Digital marketing guide | Wasl',
    h1: ['Guide to digital marketing'],
  },
  { url: 'https://example.sa/d', title: 'Guide: digital marketing', h1: [] },
  { url: 'https://example.sa/e', title: 'وصل | أسعار الاشتراك', h1: ['الأسعار'] },
  { url: 'https://example.sa/f', title: 'وصل | المكتبات الرقمية', h1: [] },
  { url: 'https://example.sa/g', title: 'e-commerce tips', h1: ['E-Commerce Tips'] },
];

describe('findCannibalisation', () => {
  it('groups pages whose title or H1 primary keyword has the same stems', () => {
    expect(findCannibalisation(pages, ['وصل', 'Wasl'])).toEqual([
      {
        keyword: 'المكتبات الرقمية',
        stems: 'رقم مكتب',
        urls: ['https://example.sa/a', 'https://example.sa/b', 'https://example.sa/f'],
      },
      {
        keyword: 'Digital marketing guide',
        stems: 'digit guid market',
        urls: ['https://example.sa/c', 'https://example.sa/d'],
      },
    ]);
  });

  it('takes the brand for the keyword of brand-first titles unless told the brand', () => {
    expect(findCannibalisation(pages).map((g) => g.urls)).toEqual([
      ['https://example.sa/a', 'https://example.sa/b'],
      ['https://example.sa/c', 'https://example.sa/d'],
      ['https://example.sa/e', 'https://example.sa/f'],
    ]);
  });

  it('tells keywords apart by their numbers', () => {
    const phones = [
      { url: '/x', title: 'Best phones 2024', h1: [] },
      { url: '/y', title: 'Best phones 2025', h1: [] },
      { url: '/z', title: 'أفضل الهواتف ٢٠٢٥', h1: ['Best phones 2025'] },
    ];
    expect(findCannibalisation(phones)).toEqual([
      { keyword: 'Best phones 2025', stems: '2025 best phone', urls: ['/y', '/z'] },
    ]);
  });

  it('does not group a page with itself', () => {
    expect(findCannibalisation([pages[6]!, pages[0]!])).toEqual([]);
  });
});

/** The Arabic newsletter fixture's known fields and a recipient context, shared by the tests and the measurement. */
export const newsletterFields = [
  'contact.id',
  'contact.first_name',
  'contact.email',
  'contact.attributes.*',
  'campaign.id',
  'campaign.name',
  'campaign.sent_at',
  'offers.*',
  'unsubscribe_url',
];

export const newsletterContext = (i: number): Record<string, unknown> => ({
  contact: {
    id: `c${i}`,
    first_name: i % 10 === 0 ? '' : i % 3 === 0 ? 'Sarah' : 'نورة',
    email: `user${i}@example.sa`,
    attributes: {
      points: 1250 + i,
      orders: i % 12,
      plan: i % 2 === 0 ? 'gold' : 'basic',
      recent: [
        { name: 'تمر عجوة', price: 89 },
        { name: 'Khawlani coffee', price: 65.5 },
      ],
    },
  },
  campaign: { id: 'cmp-42', name: 'نشرة مارس', sent_at: '2026-03-20T09:00:00Z' },
  offers: {
    ajwa_price: 89,
    ajwa_discount: 0.15,
    coffee_price: 65.5,
    coffee_discount: 0.1,
    oud_price: 420,
    oud_discount: 0.2,
    ends_at: '2026-03-27T20:59:00Z',
  },
  unsubscribe_url: `https://wasl.example.sa/u/${i}?sig=abc`,
});

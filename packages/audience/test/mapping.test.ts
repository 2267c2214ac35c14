import { describe, expect, it } from 'vitest';
import { mappingSignature, suggestMapping } from '../src/index.ts';

describe('suggestMapping', () => {
  it('maps English headers people use', () => {
    expect(
      suggestMapping(
        ['E-mail', 'Mobile Number', 'First Name', 'Surname', 'Date of Birth', 'Country', 'Tags', 'Notes'],
        [],
      ),
    ).toEqual({
      'E-mail': 'email',
      'Mobile Number': 'phone',
      'First Name': 'first_name',
      Surname: 'last_name',
      'Date of Birth': 'birth_date',
      Country: 'country',
      Tags: 'interests',
      Notes: 'ignore',
    });
  });

  it('maps Arabic headers, with or without hamza and diacritics', () => {
    expect(
      suggestMapping(
        ['البريد الإلكتروني', 'جوال', 'الاسم الأول', 'اسم العائلة', 'المدينة', 'الدولة', 'الجنس', 'ملاحظات'],
        [],
      ),
    ).toEqual({
      'البريد الإلكتروني': 'email',
      جوال: 'phone',
      'الاسم الأول': 'first_name',
      'اسم العائلة': 'last_name',
      المدينة: 'city',
      الدولة: 'country',
      الجنس: 'gender',
      ملاحظات: 'ignore',
    });
    expect(suggestMapping(['البريد الالكتروني', 'الايميل', 'رقم الهاتف'], [])).toEqual({
      'البريد الالكتروني': 'email',
      الايميل: 'ignore',
      'رقم الهاتف': 'phone',
    });
    expect(suggestMapping(['الإيميل'], [])).toEqual({ الإيميل: 'email' });
  });

  it('maps custom attributes by key or label, and standard fields first', () => {
    const defs = [
      { key: 'budget', label: 'الميزانية', type: 'number' as const },
      { key: 'plan_tier', label: 'Plan', type: 'text' as const },
    ];
    expect(suggestMapping(['Email Address', 'الميزانية', 'plan tier', 'PLAN'], defs)).toEqual({
      'Email Address': 'email',
      الميزانية: 'attributes.budget',
      'plan tier': 'attributes.plan_tier',
      PLAN: 'ignore',
    });
  });
});

describe('mappingSignature', () => {
  it('is the same for the same headers in any order or case, and differs otherwise', () => {
    const a = mappingSignature(['Email', 'جوال', 'City']);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(mappingSignature(['city', 'جوال', 'EMAIL '])).toBe(a);
    expect(mappingSignature(['Email', 'جوال'])).not.toBe(a);
  });
});

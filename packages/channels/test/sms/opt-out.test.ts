import { describe, expect, it } from 'vitest';
import { normaliseReply, optOutIntent } from '../../src/sms/opt-out.ts';

describe('optOutIntent', () => {
  it.each([
    'STOP',
    'stop',
    'Stop',
    ' StOp! ',
    'STOP.',
    'stopall',
    'STOPALL',
    'Unsubscribe',
    'CANCEL',
    'end',
    'Quit',
    '"STOP"',
  ])('reads the English opt-out %j as stop', (reply) => {
    expect(optOutIntent(reply)).toBe('stop');
  });

  it.each([
    ['إلغاء', 'hamza below'],
    ['الغاء', 'bare alef'],
    ['ألغاء', 'hamza above, a common misspelling'],
    ['آلغاء', 'madda'],
    ['إلغــــاء', 'tatweel'],
    ['إِلْغَاء', 'diacritics'],
    ['\u200fإلغاء\u200f', 'right-to-left marks from the keyboard'],
    ['  إلغاء.  ', 'whitespace and a full stop'],
    ['«إلغاء»', 'guillemets'],
    ['إلغاء،', 'Arabic comma'],
    ['ايقاف', 'ايقاف'],
    ['إيقاف', 'إيقاف'],
    ['ایقاف', 'Persian yeh'],
    ['توقف', 'توقف'],
    ['تَوَقَّفْ', 'توقف with diacritics and shadda'],
    ['ا\u0655لغاء', 'decomposed hamza below'],
  ])('reads %j (%s) as stop', (reply) => {
    expect(optOutIntent(reply)).toBe('stop');
  });

  it.each(['START', 'start', 'Unstop', ' اشتراك ', 'إشتراك', 'اشـتـراك'])('reads %j as start', (reply) => {
    expect(optOutIntent(reply)).toBe('start');
  });

  it.each([
    'please stop sending me these',
    'STOP IT',
    'stopp',
    'لا تلغي',
    'إلغاء الاشتراك من فضلك',
    'شكرا',
    '',
    '!!!',
    'startup',
  ])('does not read %j as a keyword', (reply) => {
    expect(optOutIntent(reply)).toBeUndefined();
  });
});

describe('normaliseReply', () => {
  it('folds alef forms, drops tatweel and harakat, trims punctuation and lower-cases', () => {
    expect(normaliseReply(' «أَهْلاً وسَــهْلاً» ')).toBe('اهلا وسهلا');
    expect(normaliseReply('¡STOP!')).toBe('stop');
  });
});

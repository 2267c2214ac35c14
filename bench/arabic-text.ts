// Throughput of the SEO text pipeline on Arabic: normalise, and tokenise +
// normalise + stem, against a plain whitespace split of the same corpus (the
// physical limit). Run: npm run bench -- arabic-text [words]
// Prints one JSON line last, like the benchmarks in bench/.
import { normalise, stem, tokenise } from '../packages/seo/src/text/index.ts';
import { stemUncached } from '../packages/seo/src/text/stem.ts';

const WORDS = Number(process.argv[2] ?? 2_000_000);
const PARAGRAPH_WORDS = 120;

// A deterministic generator (mulberry32), so runs compare; its period is far longer than the corpus.
let seed = 42;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
};
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

// Real words, some with tashkeel, hamza forms, ة/ى and tatweel, as pages write them.
const STEMS = `مَكتبة كِتاب مَدرسة جامِعة طالِب مُعلِّم سيّارة شَركة مُنتَج خِدمة سِعر عَرض تَخفيض مَتجر
تسويق إعلان مُحتوى مَوقع صَفحة رابِط بَحث مُحرّك كَلِمة عُنوان وَصف صورة فيديو تَطبيق هاتِف حاسوب
إلكتروني رَقمي تِجارة عَميل زائِر مُستخدِم حِساب طَلب شِحن توصيل دَفع بِطاقة مَصرف تَقرير إحصاء نَتيجة
أداء سُرعة جَودة تَجرِبة تَصميم لَون حَجم نَوع فِئة قِسم مَقال دَليل نَصيحة سُؤال جَواب مُشكلة حَل
فِكرة خُطّة هَدف إستراتيجية مِيزانية تَكلفة رِبح مَبيعات سوق مُنافس عَلامة شِعار هَوية رِسالة بَريد
أُسبوع شَهر سَنة يَوم ساعة دَقيقة وَقت تاريخ مَدينة دَولة مِنطقة عاصِمة شارِع مَبنى مَكتب مَصنع مَطعم
فُندق رِحلة سَفر طائِرة قِطار طَريق مَسافة خَريطة أُسرة طِفل أُم أَب أَخ صَديق جار ضَيف إنسان مُجتمع
ثَقافة لُغة عَربية أَدب شِعر قِصة رِواية فَن موسيقى رِياضة كُرة مُباراة فَريق لاعِب مَلعب بُطولة فَوز
صِحة طَبيب مُستشفى دَواء عِلاج غِذاء ماء طَعام فاكِهة خُضار خُبز قَهوة شاي حَليب سُكّر مِلح زَيت
عِلم تِقنية بَرنامج شَبكة بَيانات ذَكاء آلة نِظام أَمن خُصوصية سَحابة خادِم مُتصفّح بَرمجة مُطوِّر
إدارة مُدير مُوظَّف عَمل وَظيفة راتِب عَقد مَشروع فَريق اجتماع قَرار مَسؤولية تَدريب مَهارة خِبرة
كَتَبَ قَرَأَ ذَهَبَ جاءَ أَخَذَ أَعطى اشترى باعَ دَفَعَ طَلَبَ وَجَدَ عَرَفَ فَهِمَ تَعلَّمَ عَلَّمَ
يَكتُب يَقرأ يَذهب يَعمل يَبحث يَشتري يَبيع يَستخدم يُقدِّم يَحصل يَزور يُحسِّن يَزيد يَنمو يَتغيَّر
كبير صغير جَديد قَديم جَميل سَريع بَطيء سَهل صَعب مُهمّ مُفيد أَفضل أَكبر أَسرع أَرخص مُمتاز مُناسِب
`
  .split(/\s+/)
  .filter(Boolean);
const PREFIXES = ['', '', '', 'ال', 'ال', 'وال', 'بال', 'لل', 'و', 'ف'];
const SUFFIXES = ['', '', '', 'ات', 'ها', 'هم', 'نا', 'ون', 'ين', 'ي'];
const FUNCTION_WORDS = `في مِن إلى إلی على عَن مع هذا هذه التي الذي الّذي أنّ إنّ لا لم لن قد كان كانت قال
هو هي هم نحن أو ثم بل لكن حتى منذ عند بين كل بعض غير`.split(/\s+/);
const PUNCTUATION = ['', '', '', '', '', '، ', '. ', '؛ ', '؟ '];

function word(): string {
  if (random() < 0.35) return pick(FUNCTION_WORDS);
  const base = pick(STEMS);
  const withTatweel = random() < 0.02 ? base.replace(/(.)/, '$1ـ') : base;
  return pick(PREFIXES) + withTatweel + pick(SUFFIXES);
}

console.error(`generating ${WORDS.toLocaleString('en')} words…`);
const paragraphs: string[] = [];
for (let made = 0; made < WORDS; made += PARAGRAPH_WORDS) {
  const parts: string[] = [];
  const n = Math.min(PARAGRAPH_WORDS, WORDS - made);
  for (let i = 0; i < n; i++) {
    const p = pick(PUNCTUATION);
    parts.push(i === n - 1 || p === '' ? `${word()} ` : `${word()}${p}`);
  }
  paragraphs.push(parts.join('').trimEnd());
}
const vocabulary = new Set(paragraphs.flatMap((p) => p.split(/[\s،.؛؟]+/).filter(Boolean))).size;
console.error(
  `${paragraphs.length.toLocaleString('en')} paragraphs, ${vocabulary.toLocaleString('en')} distinct spellings`,
);

const wordCounts = paragraphs.map((p) => p.split(' ').length);

/** Corpus words per second of `fn` over the paragraphs (a share of them), after a warm-up on the first few. */
function wordsPerSecond(label: string, fn: (paragraph: string) => unknown, share = 1): number {
  const count = Math.max(1, Math.floor(paragraphs.length * share));
  for (const p of paragraphs.slice(0, 200)) fn(p);
  let words = 0;
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    fn(paragraphs[i]!);
    words += wordCounts[i]!;
  }
  const perSecond = Math.round(words / ((performance.now() - start) / 1000));
  console.error(
    `${label}: ${perSecond.toLocaleString('en')} words/s over ${words.toLocaleString('en')} words`,
  );
  return perSecond;
}

// What a chain of regex replaces costs, for comparison with the single table pass.
const chainedRegex = (text: string) =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[أإآٱ]/g, 'ا')
    .replace(/ة/g, 'ه')
    .replace(/ى/g, 'ي')
    .replace(/[\u064b-\u0655\u0670\u0640\u200c-\u200f]/g, '')
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0));

let sink = 0;
const splitWordsPerSec = wordsPerSecond('whitespace split', (p) => {
  sink += p.split(/\s+/).length;
});
const normaliseWordsPerSec = wordsPerSecond('normalise (table)', (p) => {
  sink += normalise(p).length;
});
const regexNormaliseWordsPerSec = wordsPerSecond('normalise (chained regex)', (p) => {
  sink += chainedRegex(p).length;
});
const tokeniseWordsPerSec = wordsPerSecond('tokenise + normalise', (p) => {
  sink += tokenise(p).length;
});
const stemWordsPerSec = wordsPerSecond('tokenise + normalise + stem', (p) => {
  for (const t of tokenise(p)) sink += stem(t.norm, t.lang).length;
});
// Without the cache every word pays for Snowball (twice for Arabic); a tenth of the corpus is enough.
const stemUncachedWordsPerSec = wordsPerSecond(
  'tokenise + normalise + stem, no cache',
  (p) => {
    for (const t of tokenise(p)) sink += stemUncached(t.norm, t.lang).length;
  },
  0.1,
);
if (sink === 0) console.error('nothing was computed');

console.log(
  JSON.stringify({
    bench: 'arabic-text',
    words: WORDS,
    distinctSpellings: vocabulary,
    normaliseWordsPerSec,
    regexNormaliseWordsPerSec,
    tokeniseWordsPerSec,
    stemWordsPerSec,
    stemUncachedWordsPerSec,
    splitWordsPerSec,
    node: process.version,
  }),
);

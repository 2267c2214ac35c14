/**
 * Micro-measurement (not a test): renders/s of the Arabic newsletter fixture,
 * subject + HTML + text per recipient, on one core.
 * Run: npx tsx packages/channels/test/templates/measure-render.ts
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { compileTemplate, render } from '../../src/templates/index.ts';
import { newsletterContext, newsletterFields } from './newsletter.ts';

const mjml = readFileSync(new URL('./fixtures/newsletter.ar.mjml', import.meta.url), 'utf8');
const started = performance.now();
const compiled = await compileTemplate(
  {
    subject: '{{ campaign.name }}: أخبار {{ contact.first_name }}',
    mjml,
    dir: 'rtl',
    lang: 'ar-SA',
    timeZone: 'Asia/Riyadh',
  },
  { fields: newsletterFields },
);
if (!compiled.ok) throw new Error(compiled.error.message);
console.log(
  `compile: ${(performance.now() - started).toFixed(0)} ms, source ${Buffer.byteLength(mjml)} bytes`,
);

const recipients = Array.from({ length: 1000 }, (_, i) => newsletterContext(i));
let bytes = 0;
for (const context of recipients) render(compiled.value, context);
const rounds = Number(process.env.ROUNDS ?? 20);
const t0 = performance.now();
const cpu0 = process.cpuUsage();
for (let r = 0; r < rounds; r++) {
  for (const context of recipients) {
    const out = render(compiled.value, context);
    if (out.ok) bytes += out.value.html.length + out.value.text.length;
  }
}
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const count = rounds * recipients.length;
console.log(
  `render: ${count} messages, ${seconds.toFixed(2)} s wall = ${Math.round(count / seconds)} renders/s; ` +
    `${cpuSeconds.toFixed(2)} s CPU = ${Math.round(count / cpuSeconds)} renders per CPU-second ` +
    `(avg ${Math.round(bytes / count)} chars html+text)`,
);

import { Command, Option } from 'commander';
import type { Run } from '../main.ts';

const actions = () => import('./seo-actions.ts');

/** `wasl seo …`: audit a website's technical and content SEO from the command line. */
export function seoCommand(run: Run): Command {
  const seo = new Command('seo').description('technical and content SEO audits (Arabic-aware)');
  const lang = new Option('--lang <lang>', 'language of the printed findings')
    .choices(['en', 'ar'])
    .default('en');

  seo
    .command('crawl')
    .description('crawl a site, audit it and print the score and the main findings')
    .argument('<url>', 'where the crawl starts, e.g. https://example.sa/')
    .option('--max-pages <n>', 'pages to crawl at most (default 500)')
    .option('--max-depth <n>', 'links to follow from the start page at most')
    .option('--concurrency <n>', 'requests at once (default 8)')
    .option('--delay-ms <n>', 'milliseconds between two requests to one host (default 200)')
    .option('--user-agent <ua>', 'the User-Agent to crawl as')
    .option(
      '--allow-private',
      'let the crawl reach private and loopback addresses (an intranet or local site)',
    )
    .option('--workspace <id>', 'the workspace to store the audit in (default: the only one)')
    .option('--json', 'print the audit and its findings as JSON')
    .addOption(lang)
    .action(run(async (url: string, o: CrawlFlags) => (await actions()).crawlAction(url, o)));

  seo
    .command('report')
    .description("print a stored audit's score and findings, or write them all as CSV")
    .argument('<auditId>', 'the id `wasl seo crawl` printed')
    .option('--csv <file>', 'write every finding, in English and Arabic, to this CSV file')
    .addOption(
      new Option('--lang <lang>', 'language of the printed findings').choices(['en', 'ar']).default('en'),
    )
    .action(run(async (id: string, o: ReportFlags) => (await actions()).reportAction(id, o)));
  return seo;
}

export interface CrawlFlags {
  maxPages?: string;
  maxDepth?: string;
  concurrency?: string;
  delayMs?: string;
  userAgent?: string;
  render?: string;
  allowPrivate?: boolean;
  workspace?: string;
  json?: boolean;
  lang: 'en' | 'ar';
}

export interface ReportFlags {
  csv?: string;
  lang: 'en' | 'ar';
}

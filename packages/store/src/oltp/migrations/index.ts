import type { Migration } from '../migrate.ts';
import { foundation } from './0001_foundation.ts';
import { sites } from './0002_sites.ts';
import { visitorSalts } from './0003_visitor_salts.ts';
import { analyticsSettings } from './0004_analytics_settings.ts';
import { audience } from './0005_audience.ts';
import { seo } from './0006_seo.ts';
import { leadScoring } from './0007_lead_scoring.ts';
import { messaging } from './0008_messaging.ts';
import { messageContent } from './0009_message_content.ts';
import { webhookEndpoints } from './0010_webhook_endpoints.ts';
import { whatsappWindows } from './0011_whatsapp_windows.ts';
import { webPush } from './0012_web_push.ts';
import { journeys } from './0013_journeys.ts';

/** Every OLTP migration, in order. Append; never edit one that has shipped. */
export const OLTP_MIGRATIONS: readonly Migration[] = [
  foundation,
  sites,
  visitorSalts,
  analyticsSettings,
  audience,
  seo,
  leadScoring,
  messaging,
  messageContent,
  webhookEndpoints,
  whatsappWindows,
  webPush,
  journeys,
];

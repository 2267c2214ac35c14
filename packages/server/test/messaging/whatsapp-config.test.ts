/** The WhatsApp Cloud API settings (WASL_WHATSAPP_*): defaults, validation that names the key, secrecy. */
import { CONFIG_KEYS, describeConfig, parseConfig } from '@wasl/core';
import { describe, expect, it } from 'vitest';

const TOKEN = 'EAAGm0PX4ZCpsBAKZCtoken123';

describe('WhatsApp settings', () => {
  it('are off by default, with Meta’s Graph API and v21.0', () => {
    const r = parseConfig({ env: {} });
    expect(r.ok && r.value).toMatchObject({
      whatsappPhoneNumberId: undefined,
      whatsappAccessToken: undefined,
      whatsappApiUrl: 'https://graph.facebook.com',
      whatsappApiVersion: 'v21.0',
    });
  });

  it('reads the number id, token, API URL (a proxy or a fake) and version', () => {
    const r = parseConfig({
      env: {
        WASL_WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
        WASL_WHATSAPP_ACCESS_TOKEN: TOKEN,
        WASL_WHATSAPP_API_URL: 'http://127.0.0.1:9999/graph/',
        WASL_WHATSAPP_API_VERSION: 'v23.0',
      },
    });
    expect(r.ok && r.value).toMatchObject({
      whatsappPhoneNumberId: '106540352242922',
      whatsappAccessToken: TOKEN,
      whatsappApiUrl: 'http://127.0.0.1:9999/graph',
      whatsappApiVersion: 'v23.0',
    });
    if (!r.ok) return;
    const shown = JSON.stringify(describeConfig(r.value));
    expect(shown).not.toContain(TOKEN);
    expect(describeConfig(r.value).whatsappAccessToken).toBe('***');
  });

  it('names each bad value and hides the token', () => {
    const r = parseConfig({
      env: {
        WASL_WHATSAPP_PHONE_NUMBER_ID: '+966 50 123 4567',
        WASL_WHATSAPP_ACCESS_TOKEN: 'short secret',
        WASL_WHATSAPP_API_URL: 'graph.facebook.com',
        WASL_WHATSAPP_API_VERSION: '21',
      },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toEqual([
      'WASL_WHATSAPP_PHONE_NUMBER_ID: expected the digits of the phone number id shown in WhatsApp Manager (e.g. 106540352242922), not the phone number, got "+966 50 123 4567"',
      'WASL_WHATSAPP_ACCESS_TOKEN: expected a WhatsApp Cloud API access token (at least 16 visible ASCII characters, no spaces), got (hidden)',
      'WASL_WHATSAPP_API_URL: expected an http(s) URL such as https://graph.facebook.com, got "graph.facebook.com"',
      'WASL_WHATSAPP_API_VERSION: expected a Graph API version such as v21.0, got "21"',
    ]);
    expect(r.error.join('\n')).not.toContain('short secret');
  });

  it('refuses the number id without the token, and the token without the id (also from the file)', () => {
    const idOnly = parseConfig({ env: { WASL_WHATSAPP_PHONE_NUMBER_ID: '106540352242922' } });
    expect(!idOnly.ok && idOnly.error).toEqual([
      'WASL_WHATSAPP_ACCESS_TOKEN: required when WASL_WHATSAPP_PHONE_NUMBER_ID is set (WhatsApp needs both)',
    ]);
    const tokenOnly = parseConfig({ env: {}, file: { whatsappAccessToken: TOKEN } });
    expect(!tokenOnly.ok && tokenOnly.error).toEqual([
      'WASL_WHATSAPP_PHONE_NUMBER_ID: required when WASL_WHATSAPP_ACCESS_TOKEN is set (WhatsApp needs both)',
    ]);
  });

  it('lists its keys for the docs and --help', () => {
    expect(CONFIG_KEYS.map((k) => k.env)).toEqual(
      expect.arrayContaining([
        'WASL_WHATSAPP_PHONE_NUMBER_ID',
        'WASL_WHATSAPP_ACCESS_TOKEN',
        'WASL_WHATSAPP_API_URL',
        'WASL_WHATSAPP_API_VERSION',
      ]),
    );
  });
});

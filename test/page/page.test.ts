import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import * as jose from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateSecret } from '../../src/secrets/index.js';
import { hmacToken, nowSeconds, rawToken } from '../inspector/tokens.js';
import { launchChromium, type PageServer, startPageServer } from './browser.js';
import { pixelStatistics } from './png.js';

const launched = await launchChromium();
const unavailable = typeof launched === 'string' ? launched : undefined;
if (unavailable && process.env.CI !== 'true') {
  console.warn(`Skipping the browser tests: ${unavailable}.`);
}

const alphabets = {
  base64url: /^[A-Za-z0-9_-]+$/,
  hex: /^[0-9a-f]+$/,
  base64: /^[A-Za-z0-9+/]+={0,2}$/,
};
const lengths = {
  base64url: { 32: 43, 48: 64, 64: 86 },
  hex: { 32: 64, 48: 96, 64: 128 },
  base64: { 32: 44, 48: 64, 64: 88 },
};

describe.skipIf(unavailable !== undefined && process.env.CI !== 'true')(
  'tools page in chromium',
  () => {
    let browser: Browser;
    let server: PageServer;
    let context: BrowserContext;
    let page: Page;

    beforeAll(async () => {
      if (typeof launched === 'string')
        throw new Error(`Browser tests need chromium: ${launched}.`);
      browser = launched;
      server = await startPageServer();
      console.info(`Browser tests use ${server.kind} at ${server.url}.`);
    }, 90_000);

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
    });

    beforeEach(async () => {
      await context?.close();
      context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
      page = await context.newPage();
      await page.goto(server.url, { waitUntil: 'load' });
    });

    async function inspect(
      token: string,
      expected: { iss?: string; aud?: string; typ?: string } = {},
    ) {
      await page.fill('#expected-iss', expected.iss ?? '');
      await page.fill('#expected-aud', expected.aud ?? '');
      await page.fill('#expected-typ', expected.typ ?? '');
      await page.fill('#token-input', token);
      await page.click('#inspect-form button[type=submit]');
    }

    async function findingIds(): Promise<string[]> {
      await page.waitForSelector('#findings-output li');
      return page.$$eval('#findings-output li', (items) =>
        items.map((item) => (item as HTMLElement).dataset.findingId ?? ''),
      );
    }

    it('serves the page with a strict CSP', async () => {
      const response = await page.goto(server.url);
      const headers = response?.headers() ?? {};

      expect(headers['content-security-policy']).toContain("script-src 'self'");
      expect(headers['content-security-policy']).toContain("connect-src 'none'");
      expect(headers['referrer-policy']).toBe('no-referrer');
      expect(await page.textContent('#offline-note')).toContain('Nothing leaves this page.');
    });

    it('explains itself with JavaScript off', async () => {
      const noScript = await browser.newContext({ javaScriptEnabled: false });
      const plain = await noScript.newPage();
      await plain.goto(server.url);

      expect(await plain.isVisible('noscript .notice, .notice')).toBe(true);
      expect(await plain.textContent('.notice')).toContain(
        'Nothing you type would be sent anywhere',
      );
      expect(await plain.isHidden('#generator')).toBe(true);
      expect(await plain.isVisible('#offline-note')).toBe(true);
      await noScript.close();
    });

    it('generates every size and encoding', async () => {
      for (const encoding of ['base64url', 'hex', 'base64'] as const) {
        for (const bytes of [32, 48, 64] as const) {
          await page.check(`input[name=bytes][value="${bytes}"]`);
          await page.check(`input[name=encoding][value="${encoding}"]`);
          await page.click('#generate-button');
          const secret = await page.inputValue('#secret-output');

          expect(secret, `${bytes} ${encoding}`).toHaveLength(lengths[encoding][bytes]);
          expect(secret).toMatch(alphabets[encoding]);
          expect(await page.inputValue('#env-output')).toBe(`KEYWARD_JWT_SECRET=${secret}`);
        }
      }
    });

    it('copies the secret to the clipboard', async () => {
      await page.click('button[data-copy="secret-output"]');

      await expect.poll(() => page.textContent('#copy-status')).toBe('Copied: Secret.');
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
        await page.inputValue('#secret-output'),
      );
    });

    it('builds the rotation pair', async () => {
      const current = generateSecret();
      const older = generateSecret();
      await page.fill('#rotation-current', current);
      await page.fill('#rotation-previous', older);
      const next = await page.inputValue('#secret-output');

      expect(await page.inputValue('#rotation-output')).toBe(
        `KEYWARD_JWT_SECRET=${next}\nKEYWARD_JWT_PREVIOUS_SECRETS=${current},${older}`,
      );
    });

    it('checks secret strength', async () => {
      await page.fill('#strength-input', 'your-256-bit-secret');
      expect(await page.textContent('#strength-result')).toContain('well-known default');
      expect(await page.textContent('#strength-result .badge')).toBe('weak');

      await page.fill('#strength-input', `KEYWARD_JWT_SECRET=${generateSecret()}`);
      expect(await page.textContent('#strength-result .badge')).toBe('strong');
      expect(await page.textContent('#strength-result')).toContain('43 bytes');
    });

    it('shows header, claims and readable times', async () => {
      const { token } = await hmacToken({ claims: { sub: 'usr_page' } });
      await inspect(token);
      await page.waitForSelector('#inspect-result:not([hidden])');

      expect(await page.textContent('#header-output')).toContain('"typ": "at+jwt"');
      expect(await page.textContent('#claims-output')).toContain('"sub": "usr_page"');
      expect(await page.textContent('#times-output')).toMatch(
        /expires \d{4}-\d\d-\d\dT.*\(in 1[45] minutes\)/,
      );
    });

    it('shows each finding', async () => {
      const now = nowSeconds();
      const cases: [string, Promise<string> | string, Record<string, string>?][] = [
        ['alg_none', rawToken({ alg: 'none' }, { exp: now + 60 })],
        ['missing_exp', hmacToken({ claims: { exp: undefined } }).then((t) => t.token)],
        ['long_lifetime', hmacToken({ claims: { exp: now + 3 * 86_400 } }).then((t) => t.token)],
        [
          'expired',
          hmacToken({ claims: { iat: now - 7200, exp: now - 3600 } }).then((t) => t.token),
        ],
        ['not_yet_valid', hmacToken({ claims: { nbf: now + 3600 } }).then((t) => t.token)],
        ['missing_iss', hmacToken({ claims: { iss: undefined } }).then((t) => t.token)],
        ['missing_aud', hmacToken({ claims: { aud: undefined } }).then((t) => t.token)],
        [
          'unexpected_typ',
          hmacToken({ header: { alg: 'HS256', typ: 'JWT' } }).then((t) => t.token),
          { typ: 'at+jwt' },
        ],
        [
          'embedded_key',
          rawToken({ alg: 'RS256', jku: 'https://attacker.test/jwks' }, { exp: now + 60 }, 'c2ln'),
        ],
        ['crit', rawToken({ alg: 'HS256', crit: ['exp'] }, { exp: now + 60 }, 'c2ln')],
        ['weak_secret', hmacToken({ secret: 'your-256-bit-secret' }).then((t) => t.token)],
        ['unexpected_aud', hmacToken().then((t) => t.token), { aud: 'billing' }],
      ];
      for (const [id, token, expected] of cases) {
        await inspect(await token, expected);
        await page.waitForSelector(`#findings-output li[data-finding-id="${id}"]`, {
          timeout: 5000,
        });

        expect(await findingIds(), id).toContain(id);
      }
    });

    it('shows a clear error for a malformed token', async () => {
      await inspect('abc.def');

      expect(await page.textContent('#inspect-error')).toBe(
        'The token has 2 segments, but a JWS has 3: header.payload.signature.',
      );
      expect(await page.isHidden('#inspect-result')).toBe(true);
    });

    it('verifies a signature with a secret and a JWK', async () => {
      const { token, secret } = await hmacToken();
      await inspect(token);
      await page.fill('#verify-key', secret);
      await page.click('#verify-form button[type=submit]');
      await page.waitForSelector('#verify-result .badge');
      expect(await page.textContent('#verify-result')).toContain('The signature is valid (HS256).');

      await page.fill('#verify-key', generateSecret());
      await page.click('#verify-form button[type=submit]');
      await page.waitForFunction(() =>
        document.querySelector('#verify-result')?.textContent?.includes('not valid'),
      );

      const { publicKey, privateKey } = await jose.generateKeyPair('ES256', { extractable: true });
      const signed = await new jose.SignJWT({ exp: nowSeconds() + 60 })
        .setProtectedHeader({ alg: 'ES256' })
        .sign(privateKey);
      await inspect(signed);
      await page.check('input[name=key-kind][value=public]');
      await page.fill('#verify-key', JSON.stringify(await jose.exportJWK(publicKey)));
      await page.click('#verify-form button[type=submit]');
      await page.waitForSelector('#verify-result .badge');
      expect(await page.textContent('#verify-result')).toContain('The signature is valid (ES256).');
    });

    it('sends no request after load', async () => {
      const requests: string[] = [];
      const problems: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
      page.on('pageerror', (error) => problems.push(error.message));

      for (const button of await page.$$('#generator-form input[type=radio]')) await button.check();
      await page.click('#generate-button');
      for (const button of await page.$$('button[data-copy]')) await button.click();
      await page.fill('#rotation-current', generateSecret());
      await page.fill('#strength-input', 'changeme');
      await page.click('#strength-form button[type=submit]');
      await page.check('#strength-show');
      await page.click('#example-button');
      await page.waitForSelector('#findings-output li');
      await page.click('#verify-form button[type=submit]');
      await page.waitForSelector('#verify-result .badge');

      expect(requests).toEqual([]);
      expect(problems).toEqual([]);
    });

    it('works from the keyboard', async () => {
      const before = await page.inputValue('#secret-output');
      await tabTo(page, 'generate-button');
      await page.keyboard.press('Enter');
      expect(await page.inputValue('#secret-output')).not.toBe(before);

      await tabTo(page, 'secret-output');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Space');
      await expect.poll(() => page.textContent('#copy-status')).toBe('Copied: Secret.');

      await tabTo(page, 'example-button');
      await page.keyboard.press('Enter');
      await page.waitForSelector('#findings-output li[data-finding-id="weak_secret"]');
    });

    it('saves a screenshot that is not blank', async () => {
      await page.fill('#strength-input', 'your-256-bit-secret');
      await page.click('#example-button');
      await page.waitForSelector('#findings-output li');
      await page.click('#verify-form button[type=submit]');
      await page.waitForSelector('#verify-result .badge');
      const png = await page.screenshot({ fullPage: true });
      // Written beside the tests; docs/screenshot.png is copied from here by hand when the
      // page changes, so a test run leaves the checkout clean.
      mkdirSync('test-results', { recursive: true });
      writeFileSync('test-results/screenshot.png', png);
      const pixels = pixelStatistics(png);

      expect(statSync('test-results/screenshot.png').size).toBeGreaterThan(30_000);
      expect(pixels.width).toBe(1280);
      expect(pixels.distinctColours).toBeGreaterThan(100);
      expect(pixels.luminanceDeviation).toBeGreaterThan(10);
    });
  },
);

/** Presses Tab until the element with this id has focus; fails after 60 presses. */
async function tabTo(page: Page, id: string): Promise<void> {
  for (let presses = 0; presses < 60; presses++) {
    if (await page.evaluate((target) => document.activeElement?.id === target, id)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached #${id}.`);
}

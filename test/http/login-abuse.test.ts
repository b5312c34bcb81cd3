import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, signUp, type TestApp } from '../helpers/app.js';

const wrong = 'definitely not the password';

function login(
  test: TestApp,
  email: string,
  password: string,
  headers: Record<string, string> = {},
  remoteAddress = '127.0.0.1',
) {
  return test.app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { email, password },
    headers,
    remoteAddress,
  });
}

describe('login abuse', () => {
  describe('without trusted proxies', () => {
    let test: TestApp;
    beforeAll(async () => {
      test = await buildTestApp();
    });
    afterAll(() => test.close());

    it('throttles an account after five failures with Retry-After', async () => {
      const { email } = await signUp(test.app);
      const codes = [];
      for (let i = 0; i < 7; i++)
        codes.push((await login(test, email, wrong, {}, `10.1.0.${i}`)).json().code);
      expect(codes.slice(0, 6)).toEqual(Array(6).fill('invalid_credentials'));
      const locked = await login(test, email, wrong, {}, '10.1.0.99');
      expect(locked.statusCode).toBe(429);
      expect(locked.json().code).toBe('login_throttled');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    });

    it('runs at most six password checks for a flood of parallel attempts', async () => {
      const { email } = await signUp(test.app);
      const responses = await Promise.all(
        Array.from({ length: 60 }, (_, i) => login(test, email, wrong, {}, `10.2.${i}.1`)),
      );
      const checked = responses.filter((r) => r.json().code === 'invalid_credentials');
      expect(checked.length).toBeLessThanOrEqual(6);
      expect(responses.filter((r) => r.statusCode === 429).length).toBe(60 - checked.length);
    });

    it('throttles an unknown email the same way as a known one', async () => {
      const codes = [];
      for (let i = 0; i < 7; i++)
        codes.push((await login(test, 'ghost@example.com', wrong, {}, `10.3.0.${i}`)).json().code);
      expect(codes.at(-1)).toBe('login_throttled');
    });

    it('ignores X-Forwarded-For from an untrusted peer', async () => {
      const codes = [];
      for (let i = 0; i < 23; i++) {
        const response = await login(
          test,
          `spray${i}@example.com`,
          wrong,
          { 'x-forwarded-for': `203.0.113.${i}` },
          '10.9.9.9',
        );
        codes.push(response.json().code);
      }
      expect(codes.at(-1)).toBe('login_throttled');
    });
  });

  describe('behind a trusted proxy', () => {
    let test: TestApp;
    beforeAll(async () => {
      test = await buildTestApp({ KEYWARD_TRUST_PROXY: '10.8.0.1' });
    });
    afterAll(() => test.close());

    it('counts each forwarded client on its own', async () => {
      const codes = [];
      for (let i = 0; i < 23; i++) {
        const response = await login(
          test,
          `spray${i}@example.com`,
          wrong,
          { 'x-forwarded-for': `203.0.113.${i}` },
          '10.8.0.1',
        );
        codes.push(response.json().code);
      }
      expect(new Set(codes)).toEqual(new Set(['invalid_credentials']));
    });
  });

  describe('timing', () => {
    let test: TestApp;
    beforeAll(async () => {
      test = await buildTestApp();
    });
    afterAll(() => test.close());

    // Kolmogorov-Smirnov statistic: the largest gap between the two empirical distributions.
    function ksStatistic(a: number[], b: number[]): number {
      const all = [...a, ...b].sort((x, y) => x - y);
      const cdf = (sample: number[], x: number) =>
        sample.filter((v) => v <= x).length / sample.length;
      return Math.max(...all.map((x) => Math.abs(cdf(a, x) - cdf(b, x))));
    }

    it('shows no usable difference between unknown email and wrong password', async () => {
      const samples = 40;
      const accounts = [];
      for (let i = 0; i < samples; i++)
        accounts.push((await signUp(test.app, `timing${i}@example.com`)).email);
      const unknown: number[] = [];
      const known: number[] = [];
      // Interleaved, each from its own address, so drift and throttling affect both alike.
      for (let i = 0; i < samples; i++) {
        let start = performance.now();
        await login(test, `absent${i}@example.com`, wrong, {}, `10.4.${i}.1`);
        unknown.push(performance.now() - start);
        start = performance.now();
        await login(test, accounts[i]!, wrong, {}, `10.5.${i}.1`);
        known.push(performance.now() - start);
      }
      const median = (v: number[]) => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)]!;
      console.log(
        `login timing: unknown email median ${median(unknown).toFixed(1)} ms, wrong password ${median(known).toFixed(1)} ms, KS ${ksStatistic(unknown, known).toFixed(2)}`,
      );
      // Critical value of the two-sample KS test at alpha = 0.001 for 40 + 40 samples is 0.44.
      expect(ksStatistic(unknown, known)).toBeLessThan(0.44);
    });
  });
});

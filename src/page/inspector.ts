// The JWT inspector: decode, audit and show a pasted token.

import { KeywardError } from '../errors/index.js';
import { auditDecodedJwt, type DecodedJwt, decodeJwt } from '../inspector/index.js';
import { byId, onSubmit } from './dom.js';
import { makeExampleToken } from './example-token.js';
import { renderFindings, renderTimes } from './render.js';
import { setUpVerify } from './verify.js';

/** Wires the inspector form, the example button and the signature check. */
export function setUpInspector(): void {
  const form = byId('inspect-form', HTMLFormElement);
  const token = byId('token-input', HTMLTextAreaElement);

  onSubmit(form, inspect);
  token.addEventListener('input', () => void inspect());
  byId('example-button', HTMLButtonElement).addEventListener('click', () => void showExample());
  setUpVerify(() => token.value);
}

/** Decodes and audits the token in the form and shows the result, or the decoding error. */
async function inspect(): Promise<void> {
  const error = byId('inspect-error', HTMLElement);
  const result = byId('inspect-result', HTMLElement);
  const text = byId('token-input', HTMLTextAreaElement).value;
  byId('verify-result', HTMLElement).replaceChildren();
  if (text.trim() === '') {
    error.textContent = '';
    result.hidden = true;
    return;
  }

  let decoded: DecodedJwt;
  try {
    decoded = decodeJwt(text);
  } catch (failure) {
    if (!(failure instanceof KeywardError)) throw failure;
    error.textContent = failure.message;
    result.hidden = true;
    return;
  }
  error.textContent = '';
  await showDecoded(decoded);
  result.hidden = false;
}

async function showDecoded(decoded: DecodedJwt): Promise<void> {
  const now = new Date();
  const findings = await auditDecodedJwt(decoded, {
    now,
    expectedIssuer: optionalValue('expected-iss'),
    expectedAudience: optionalValue('expected-aud'),
    expectedTyp: optionalValue('expected-typ'),
  });
  byId('header-output', HTMLElement).textContent = JSON.stringify(decoded.header, null, 2);
  byId('claims-output', HTMLElement).textContent = JSON.stringify(decoded.claims, null, 2);
  renderTimes(byId('times-output', HTMLElement), decoded.claims, now);
  renderFindings(byId('findings-output', HTMLElement), findings);
}

function optionalValue(id: string): string | undefined {
  const value = byId(id, HTMLInputElement).value.trim();
  return value === '' ? undefined : value;
}

// The example shows common mistakes and comes with its secret, so Verify works at once.
async function showExample(): Promise<void> {
  const example = await makeExampleToken(new Date());
  byId('token-input', HTMLTextAreaElement).value = example.token;
  byId('verify-key', HTMLTextAreaElement).value = example.secret;
  byId('expected-typ', HTMLInputElement).value = 'at+jwt';
  await inspect();
}

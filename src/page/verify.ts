// Signature verification with a pasted secret or public key.

import { KeywardError } from '../errors/index.js';
import {
  parsePublicKeyText,
  type VerificationKey,
  verifyJwtSignature,
} from '../inspector/index.js';
import { parseSecretInput } from '../secrets/index.js';
import { badge, byId, checkedValue, element, onSubmit } from './dom.js';

/** Wires the verify form; `readToken` returns the token currently being inspected. */
export function setUpVerify(readToken: () => string): void {
  const form = byId('verify-form', HTMLFormElement);
  onSubmit(form, () => verify(form, readToken()));
}

async function verify(form: HTMLFormElement, token: string): Promise<void> {
  const result = byId('verify-result', HTMLElement);
  const keyText = byId('verify-key', HTMLTextAreaElement).value;
  if (keyText.trim() === '') {
    result.replaceChildren('Paste a secret or a public key first.');
    return;
  }

  try {
    const key = parseKey(checkedValue(form, 'key-kind'), keyText);
    const outcome = await verifyJwtSignature(token, key);
    const text = outcome.valid
      ? ` The signature is valid (${outcome.alg}).`
      : ` The signature is not valid: ${outcome.reason ?? 'it does not match.'}`;
    result.replaceChildren(badge(outcome.valid ? 'valid' : 'invalid'), text);
  } catch (error) {
    if (!(error instanceof KeywardError)) throw error;
    result.replaceChildren(badge('invalid', 'error'), element('span', '', ` ${error.message}`));
  }
}

function parseKey(kind: string, text: string): VerificationKey {
  if (kind === 'secret') return { secret: parseSecretInput(text) };
  return parsePublicKeyText(text, 'The public key');
}

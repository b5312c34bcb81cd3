export type { Actor } from './access.js';
export type { KeyCacheOptions } from './cache.js';
export {
  API_KEY_PATTERN,
  generateApiKey,
  looksLikeApiKey,
  type ParsedApiKey,
  parseApiKey,
} from './format.js';
export type { CreateApiKeyInput, IssuedApiKey } from './issue.js';
export type { ApiKeyLogger } from './logger.js';
export type { UpdateApiKeyInput } from './manage.js';
export type {
  ApiKeyEventRecord,
  ApiKeyEventType,
  ApiKeyRecord,
  CreditRefill,
  CreditState,
  NewApiKeyEvent,
  RefillInterval,
} from './model.js';
export type { ApiKeyServiceOptions, InvalidationBus } from './options.js';
export {
  createKeyHasher,
  type KeyHasher,
  type Pepper,
  type Peppers,
  peppersFromSettings,
} from './peppers.js';
export { type ApiKeyService, createApiKeyService, type VerifyListener } from './service.js';
export type { ApiKeyChanges, ApiKeyStore, CreditSpend, KeyRotation } from './store.js';
export { MAX_METADATA_BYTES } from './validate.js';
export type { KeyAdmission, VerifyCode, VerifyOptions, VerifyResult } from './verify-result.js';
export type { ApiKeyEventView, ApiKeyStatus, ApiKeyView } from './view.js';

export { type ErrorCode, errorCodes, statusOf } from './codes.js';
export { type ErrorDetails, isKeywardError, KeywardError } from './keyward-error.js';
export { summarizeError } from './summarize.js';

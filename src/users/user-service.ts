import { KeywardError } from '../errors/index.js';
import { newId } from '../ids.js';
import { hasControlCharacters, normalizeEmail } from './email.js';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './password.js';
import type { UserStore } from './store.js';
import type { User, UserRecord } from './types.js';

export interface UserServiceOptions {
  store: UserStore;
  /** Scopes every new user gets. */
  defaultScopes: readonly string[];
  /** Clock in milliseconds since the epoch; tests replace it. */
  now?: () => number;
}

export interface UserService {
  /** Creates a user. Raises `validation_failed` or `email_taken`. */
  signUp(email: string, password: string): Promise<User>;
  /** Checks a password. Raises `invalid_credentials` alike for an unknown email and a wrong password. */
  logIn(email: string, password: string): Promise<User>;
  /** Replaces the password after checking the current one. Raises `invalid_credentials`. */
  changePassword(userId: string, currentPassword: string, newPassword: string): Promise<void>;
  findUser(userId: string): Promise<User | undefined>;
}

/** Builds the sign-up, login and password service over a user store. */
export async function createUserService(options: UserServiceOptions): Promise<UserService> {
  const { store, defaultScopes } = options;
  const now = options.now ?? Date.now;

  // An unknown email is checked against this hash of a random password, so login costs one
  // argon2id run whether or not the account exists, and the timing shows nothing.
  const dummyHash = await hashPassword(newId('usr'));

  async function checkCredentials(record: UserRecord | undefined, password: string) {
    const matches = await verifyPassword(record?.passwordHash ?? dummyHash, password);
    if (!record || !matches) {
      throw new KeywardError('invalid_credentials', 'login failed', {
        reason: record ? 'wrong password' : 'unknown email',
      });
    }
    return record;
  }

  return {
    async signUp(emailInput, password) {
      const email = normalizeEmail(emailInput);
      checkPasswordPolicy(password, email);
      const time = now();
      const record: UserRecord = {
        id: newId('usr'),
        email,
        passwordHash: await hashPassword(password),
        scopes: [...defaultScopes],
        createdAt: time,
        updatedAt: time,
      };
      await store.insertUser(record);
      return toUser(record);
    },

    async logIn(emailInput, password) {
      // A malformed email cannot belong to an account: it takes the unknown-email path, so a
      // validation error does not return faster than a real check.
      const email = emailInput.trim().toLowerCase();
      const record = hasControlCharacters(email) ? undefined : await store.findUserByEmail(email);
      return toUser(await checkCredentials(record, password));
    },

    async changePassword(userId, currentPassword, newPassword) {
      const record = await checkCredentials(await store.findUserById(userId), currentPassword);
      checkPasswordPolicy(newPassword, record.email);
      await store.updatePasswordHash(record.id, await hashPassword(newPassword), now());
    },

    async findUser(userId) {
      const record = await store.findUserById(userId);
      return record && toUser(record);
    },
  };
}

function toUser(record: UserRecord): User {
  const { passwordHash: _hash, ...user } = record;
  return user;
}

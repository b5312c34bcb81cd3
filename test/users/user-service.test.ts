import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKyselyUserStore } from '../../src/storage/kysely/user-store.js';
import { createUserService, type UserService } from '../../src/users/user-service.js';
import { openTestSqlite, type TestDatabase } from '../helpers/databases.js';

const password = 'correct horse battery staple';

describe('user service', () => {
  let database: TestDatabase;
  let users: UserService;
  beforeAll(async () => {
    database = await openTestSqlite();
    users = await createUserService({
      store: createKyselyUserStore(database.handle.db),
      defaultScopes: ['keys:read'],
    });
  });
  afterAll(() => database.drop());

  it('signs up with a normalized email and default scopes', async () => {
    const user = await users.signUp('  Ada@Example.COM ', password);
    expect(user.email).toBe('ada@example.com');
    expect(user.id).toMatch(/^usr_/);
    expect(user.scopes).toEqual(['keys:read']);
    expect(user).not.toHaveProperty('passwordHash');
  });

  it('logs in with the password, ignoring email case', async () => {
    await users.signUp('grace@example.com', password);
    const user = await users.logIn('GRACE@example.com', password);
    expect(user.email).toBe('grace@example.com');
  });

  it('rejects a wrong password and an unknown email with the same code', async () => {
    await users.signUp('linus@example.com', password);
    const wrong = await users.logIn('linus@example.com', 'not the password').catch((e) => e);
    const unknown = await users.logIn('nobody@example.com', password).catch((e) => e);
    expect(wrong.code).toBe('invalid_credentials');
    expect(unknown.code).toBe('invalid_credentials');
    expect(wrong.message).toBe(unknown.message);
    expect(wrong.details.detail).toBe(unknown.details.detail);
  });

  it('rejects invalid emails', async () => {
    for (const email of ['', 'plain', 'a@b', 'a b@example.com', `${'x'.repeat(250)}@example.com`]) {
      const error = await users.signUp(email, password).catch((e) => e);
      expect(error.code, email).toBe('validation_failed');
    }
  });

  it('accepts passwords of 8 to 1024 characters without composition rules', async () => {
    expect((await users.signUp('short@example.com', 'h7kq!pz').catch((e) => e)).code).toBe(
      'validation_failed',
    );
    expect((await users.signUp('long@example.com', 'ab'.repeat(513)).catch((e) => e)).code).toBe(
      'validation_failed',
    );
    await expect(users.signUp('eight@example.com', 'h7kq!pz2')).resolves.toBeDefined();
    await expect(users.signUp('lower@example.com', 'only lower case words')).resolves.toBeDefined();
    await expect(users.signUp('emoji@example.com', '🔑🗝🔐🔒🚪🏠🌲🌊')).resolves.toBeDefined();
  });

  it('rejects common, repetitive and email-derived passwords', async () => {
    for (const password of [
      'password',
      '12345678',
      'aaaaaaaa',
      'abababab',
      'Password1',
      'qwertyuiop',
      'weak.user',
    ]) {
      const error = await users.signUp('weak.user@example.com', password).catch((e) => e);
      expect(error.code, password).toBe('validation_failed');
      expect(error.details.errors[0].pointer).toBe('/password');
    }
  });

  it('raises email_taken on a second sign-up', async () => {
    await users.signUp('twice@example.com', password);
    const error = await users.signUp('TWICE@example.com', password).catch((e) => e);
    expect(error.code).toBe('email_taken');
  });

  it('changes the password only with the current one', async () => {
    const user = await users.signUp('change@example.com', password);
    const wrong = await users
      .changePassword(user.id, 'wrong password', 'new password 123')
      .catch((e) => e);
    expect(wrong.code).toBe('invalid_credentials');
    await users.changePassword(user.id, password, 'new password 123');
    await expect(users.logIn('change@example.com', 'new password 123')).resolves.toBeDefined();
    expect((await users.logIn('change@example.com', password).catch((e) => e)).code).toBe(
      'invalid_credentials',
    );
  });

  it('stores an argon2id hash with the OWASP minimum parameters', async () => {
    await users.signUp('hash@example.com', password);
    const record = await createKyselyUserStore(database.handle.db).findUserByEmail(
      'hash@example.com',
    );
    expect(record?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });
});

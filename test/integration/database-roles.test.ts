import { getTableName, is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNTIME_TABLE_PRIVILEGES } from '../../db/roles.js';
import * as schema from '../../db/schema.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';

describe('runtime role privileges', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    await database.owner.sql`
      insert into people (email, name) values ('ada@acme.test', 'Ada');
      `;
  });
  afterAll(() => database.drop());

  it('lists every table of the schema, so no new table is granted by accident', () => {
    const tables = Object.values(schema)
      .filter((value) => is(value, PgTable))
      .map((table) => getTableName(table as PgTable))
      .sort();

    expect(Object.keys(RUNTIME_TABLE_PRIVILEGES).sort()).toEqual(tables);
  });

  it('connects the services as a role that is not the owner and not a superuser', async () => {
    const [role] = await database.runtime.sql<{ user: string; superuser: boolean }[]>`
      select current_user as user, rolsuper as superuser from pg_roles where rolname = current_user`;

    expect(role).toEqual({ user: 'grantflow_app', superuser: false });
  });

  it('can read and write what the services need', async () => {
    await database.runtime.sql`update people set department = 'eng' where email = 'ada@acme.test'`;
    const [row] = await database.runtime.sql`select department from people where email = 'ada@acme.test'`;

    expect(row?.department).toBe('eng');
  });

  it.each([
    ['delete from people', 'people'],
    ['truncate people cascade', 'people'],
    ['update policy_versions set version = 2', 'policy_versions'],
    ['delete from policy_versions', 'policy_versions'],
    ['drop table people cascade', 'people'],
    ['create table sneaky (id int)', 'schema public'],
  ])('is refused: %s', async (statement, object) => {
    await expect(database.runtime.sql.unsafe(statement)).rejects.toThrow(
      new RegExp(`permission denied|must be owner of table ${object}`),
    );
  });
});

// A real SCIM 2.0 service provider for the scim connector's tests, standing for a SaaS app: SCIMMY
// (the protocol: filters, PATCH, list responses, errors) behind SCIMMY's express routers, on a free
// port of 127.0.0.1, with bearer-token auth. Users and Groups live in memory, in stores our
// ingress/egress/degress handlers keep; nothing here is grantflow's own SCIM code.
//
// SCIMMY declares resources once per process, so the handlers are declared once and find the
// store of the server a request reached through the routers' `context`: several servers may run
// side by side in one test file, each with its own people and groups.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import SCIMMY from 'scimmy';
import SCIMMYRouters from 'scimmy-routers';

type StoredUser = { id: string; userName: string; active: boolean; displayName?: string };
type StoredMember = { value: string; display?: string; type?: string };
type StoredGroup = { id: string; displayName: string; members: StoredMember[] };
type Store = { users: Map<string, StoredUser>; groups: Map<string, StoredGroup> };

/** An answer the server gives instead of the next requests, for outages and throttling. */
export type InjectedFailure = { status: number; headers?: Record<string, string>; body?: string };

/** A running SCIM server; every helper acts on its store directly, as an admin at the app would. */
export type ScimTarget = {
  /** The SCIM base URL, e.g. `http://127.0.0.1:41234/scim/v2`. */
  url: string;
  /** The bearer token the server accepts. */
  token: string;
  /** Creates a user at the app (its `userName` is what the connector looks people up by); returns its id. */
  addUser(userName: string, options?: { active?: boolean }): string;
  /** Creates a group; returns its id. */
  addGroup(displayName: string): string;
  /** Adds a member to a group behind grantflow's back (by group display name and userName, or a raw member). */
  addMemberByHand(group: string, member: string | StoredMember): void;
  /** The userNames of a group's members (a member that is not a user by its value), sorted. */
  members(group: string): string[];
  /** Whether the user is active, or undefined when there is no such user. */
  isActive(userName: string): boolean | undefined;
  /**
   * Answers the next `times` requests (default 1) whose URL matches `url` (default: any) with
   * `failure` instead of serving them.
   */
  failNext(failure: InjectedFailure, options?: { times?: number; url?: RegExp }): void;
  /** How many requests reached the server (failures included). */
  requestCount(): number;
  /** How many injected failures are still waiting for a request. */
  pendingFailures(): number;
  stop(): Promise<void>;
};

let declared = false;

/** Starts a SCIM server on a free port of 127.0.0.1 with empty stores. */
export async function startScimTarget(): Promise<ScimTarget> {
  declareResources();
  const store: Store = { users: new Map(), groups: new Map() };
  const token = `scim-test-${randomBytes(12).toString('hex')}`;
  const injected: (InjectedFailure & { url?: RegExp })[] = [];
  let requests = 0;

  const app = express();
  app.use((request, response, next) => {
    // Express 5 re-parses `req.query` on every read, so SCIMMY's routers cannot turn startIndex and
    // count into numbers in place and would ignore them: pin one parsed copy first.
    Object.defineProperty(request, 'query', { value: request.query, writable: true, configurable: true });
    requests += 1;
    const index = injected.findIndex((f) => !f.url || f.url.test(request.originalUrl));
    if (index < 0) return next();
    const [failure] = injected.splice(index, 1) as [InjectedFailure];
    response.status(failure.status).set(failure.headers ?? {});
    response.send(failure.body ?? '');
  });
  app.use(
    '/scim/v2',
    new SCIMMYRouters({
      type: 'bearer',
      handler: (request) => {
        if (request.header('Authorization') !== `Bearer ${token}`) throw new Error('invalid bearer token');
        return 'grantflow';
      },
      context: () => store,
    }),
  );
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;

  const groupNamed = (name: string): StoredGroup => {
    const group = [...store.groups.values()].find((g) => g.displayName === name || g.id === name);
    if (!group) throw new Error(`no group ${name} at the SCIM target`);
    return group;
  };
  const userNamed = (userName: string) =>
    [...store.users.values()].find((u) => u.userName.toLowerCase() === userName.toLowerCase());

  return {
    url: `http://127.0.0.1:${port}/scim/v2`,
    token,
    addUser(userName, options = {}) {
      const id = randomUUID();
      store.users.set(id, { id, userName, active: options.active ?? true, displayName: userName });
      return id;
    },
    addGroup(displayName) {
      const id = randomUUID();
      store.groups.set(id, { id, displayName, members: [] });
      return id;
    },
    addMemberByHand(group, member) {
      const target = groupNamed(group);
      if (typeof member !== 'string') {
        target.members.push(member);
        return;
      }
      const user = userNamed(member);
      if (!user) throw new Error(`no user ${member} at the SCIM target`);
      target.members.push({ value: user.id, display: user.userName, type: 'User' });
    },
    members(group) {
      return groupNamed(group)
        .members.map((m) => store.users.get(m.value)?.userName ?? m.value)
        .sort();
    },
    isActive: (userName) => userNamed(userName)?.active,
    failNext(failure, options = {}) {
      for (let i = 0; i < (options.times ?? 1); i += 1) injected.push({ ...failure, url: options.url });
    },
    requestCount: () => requests,
    pendingFailures: () => injected.length,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---- the handlers SCIMMY calls ----

function declareResources(): void {
  if (declared) return;
  declared = true;
  const { User, Group } = SCIMMY.Resources;

  SCIMMY.Resources.declare(User)
    .egress((resource, ctx) => {
      const store = ctx as Store;
      if (resource.id) return userOut(found(store.users.get(resource.id), resource.id));
      return listed(resource, [...store.users.values()].map(userOut));
    })
    .ingress((resource, instance, ctx) => {
      const store = ctx as Store;
      const data = instance as unknown as { userName: string; active?: boolean; displayName?: string };
      const clash = [...store.users.values()].find(
        (u) => u.userName.toLowerCase() === data.userName.toLowerCase() && u.id !== resource.id,
      );
      if (clash) throw new SCIMMY.Types.Error(409, 'uniqueness', `userName ${data.userName} is taken`);
      const id = resource.id ?? randomUUID();
      if (resource.id) found(store.users.get(id), id);
      const user: StoredUser = { id, userName: data.userName, active: data.active ?? true };
      if (data.displayName) user.displayName = data.displayName;
      store.users.set(id, user);
      return userOut(user);
    })
    .degress((resource, ctx) => {
      const store = ctx as Store;
      found(store.users.get(resource.id as string), resource.id);
      store.users.delete(resource.id as string);
      for (const group of store.groups.values()) {
        group.members = group.members.filter((m) => m.value !== resource.id);
      }
    });

  SCIMMY.Resources.declare(Group)
    .egress((resource, ctx) => {
      const store = ctx as Store;
      if (resource.id) return groupOut(found(store.groups.get(resource.id), resource.id));
      return listed(resource, [...store.groups.values()].map(groupOut));
    })
    .ingress((resource, instance, ctx) => {
      const store = ctx as Store;
      const data = instance as unknown as { displayName: string; members?: StoredMember[] };
      const id = resource.id ?? randomUUID();
      if (resource.id) found(store.groups.get(id), id);
      // A member is a set element: the same value twice is one membership (PATCH add appends).
      const members = new Map<string, StoredMember>();
      for (const member of data.members ?? []) {
        if (member.value && !members.has(member.value)) members.set(member.value, member);
      }
      const group: StoredGroup = { id, displayName: data.displayName, members: [...members.values()] };
      store.groups.set(id, group);
      return groupOut(group);
    })
    .degress((resource, ctx) => {
      const store = ctx as Store;
      found(store.groups.get(resource.id as string), resource.id);
      store.groups.delete(resource.id as string);
    });
}

function found<T>(value: T | undefined, id: string | undefined): T {
  if (value === undefined)
    throw new SCIMMY.Types.Error(404, null as unknown as string, `Resource ${id} not found`);
  return value;
}

// SCIMMY filters what egress returns and cuts the page (startIndex, count) itself; the store
// answers in creation order, like most apps' databases.
function listed<T extends Record<string, unknown>>(
  resource: { filter?: { match(values: unknown[]): unknown[] } },
  all: T[],
): T[] {
  return resource.filter ? (resource.filter.match(all) as T[]) : all;
}

const userOut = (user: StoredUser) => ({
  id: user.id,
  userName: user.userName,
  active: user.active,
  ...(user.displayName ? { displayName: user.displayName } : {}),
});

const groupOut = (group: StoredGroup) => ({
  id: group.id,
  displayName: group.displayName,
  members: group.members.map((m) => ({ ...m })),
});

// Vitest global setup of the `redis` project: one redis-server for the whole run (each test app
// uses its own key prefix). Not a skip without one: a machine without redis-server cannot check
// the shared store, and says so (`apt-get install redis-server`; .ci/run does).
import type { TestProject } from 'vitest/node';
import { redisServerBinary, startRedis, type RedisServer } from './server.js';

let server: RedisServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  if (!redisServerBinary()) throw new Error('redis-server is missing: install it (apt-get install -y redis-server; .ci/run does) or set REDIS_SERVER');
  server = await startRedis();
  project.provide('redisUrl', server.url);
}

export async function teardown(): Promise<void> {
  await server?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

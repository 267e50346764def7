// The Lua scripts of the shared store. Each runs atomically in Redis, so a request's changes land
// whole or not at all, and a lock (a token with an expiry) decides which instance may change a
// workspace. Keys of one workspace share the hash tag `{<ws>}`; KEYS lists every key touched.
//
// Per workspace:  lock (token, PX expiry), v (version: commits so far), h (hash: record and meta
// fields -> JSON), o (hash: record field -> creation rank), n (next rank), log (stream: entry
// `<v>-0` holds the change lines of commit v, or "R" for a whole-document write), j (list: the
// request journal, newest last, capped), jn (requests journaled so far).
// Fleet-wide:     workspaces (set of ids), due (zset: id -> host time of its next due event);
// a commit is announced on channel `<prefix>:changed` (message: `<id> <version>`, -1: deleted).

/** KEYS lock, v, log. ARGV token, ttlMs, localVersion, maxBehind. */
export const ACQUIRE = `
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {0, redis.call('PTTL', KEYS[1])}
end
local v = tonumber(redis.call('GET', KEYS[2]) or '-1')
local mine = tonumber(ARGV[3])
if v < 0 then return {1, -1} end
if v == mine then return {1, v} end
if mine < 0 or v < mine or v - mine > tonumber(ARGV[4]) then return {1, v, 'reload'} end
local entries = redis.call('XRANGE', KEYS[3], (mine + 1) .. '-0', '+')
if #entries ~= v - mine then return {1, v, 'reload'} end
local chunks = {}
for i, e in ipairs(entries) do
  local c = e[2][2]
  if c == 'R' then return {1, v, 'reload'} end
  chunks[i] = c
end
return {1, v, 'delta', chunks}
`;

/** KEYS v, h, o, j, jn. The whole document and the journal (under the lock). */
export const SNAPSHOT = `
return {tonumber(redis.call('GET', KEYS[1]) or '-1'), redis.call('HGETALL', KEYS[2]), redis.call('HGETALL', KEYS[3]), redis.call('LRANGE', KEYS[4], 0, -1), tonumber(redis.call('GET', KEYS[5]) or '0')}
`;

// Shared tail: due time and lock release. ARGV[dueAt] '' removes the workspace from `due`.
const DUE = `
local function setDue(dueKey, score, id)
  if score == '' then redis.call('ZREM', dueKey, id) else redis.call('ZADD', dueKey, score, id) end
end
`;

/** Whether the caller may write: it holds the lock, or its lock expired and nobody wrote or locked since. */
const MAY_WRITE = `
local function mayWrite(lockKey, token, v, expected)
  if v ~= expected then return false end
  local cur = redis.call('GET', lockKey)
  return cur == token or not cur
end
`;

/**
 * KEYS lock, v, h, o, n, log, j, jn, due. ARGV token, expectedVersion, chunk, logMax, dueAt, id,
 * channel, nSets, nJournal, journalCap, then nSets pairs (field, json), nJournal journal entries,
 * then fields to delete. Returns the new version, 0 when the caller no longer holds the
 * workspace (nothing written), -1 when it was deleted.
 */
export const COMMIT = `${DUE}${MAY_WRITE}
local v = tonumber(redis.call('GET', KEYS[2]) or '-1')
if v < 0 then return -1 end
if not mayWrite(KEYS[1], ARGV[1], v, tonumber(ARGV[2])) then return 0 end
local n = tonumber(redis.call('GET', KEYS[5]) or '0')
local nsets = tonumber(ARGV[8])
local njournal = tonumber(ARGV[9])
local i = 11
for k = 1, nsets do
  local f = ARGV[i]
  redis.call('HSET', KEYS[3], f, ARGV[i + 1])
  if string.byte(f, 1) ~= 0 and redis.call('HSETNX', KEYS[4], f, n) == 1 then n = n + 1 end
  i = i + 2
end
if njournal > 0 then
  for k = 1, njournal do
    redis.call('RPUSH', KEYS[7], ARGV[i])
    i = i + 1
  end
  redis.call('LTRIM', KEYS[7], -tonumber(ARGV[10]), -1)
  redis.call('INCRBY', KEYS[8], njournal)
end
while i <= #ARGV do
  redis.call('HDEL', KEYS[3], ARGV[i])
  redis.call('HDEL', KEYS[4], ARGV[i])
  i = i + 1
end
redis.call('SET', KEYS[5], n)
v = v + 1
redis.call('SET', KEYS[2], v)
redis.call('XADD', KEYS[6], 'MAXLEN', '~', ARGV[4], v .. '-0', 'c', ARGV[3])
setDue(KEYS[9], ARGV[5], ARGV[6])
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
redis.call('PUBLISH', ARGV[7], ARGV[6] .. ' ' .. v)
return v
`;

/**
 * A whole-document write: creation (expectedVersion -1: refused with 0 if the workspace exists)
 * or reset/import under the lock (the journal starts again, as a new workspace object's does).
 * KEYS lock, v, h, o, n, log, j, jn, due, workspaces. ARGV token, expectedVersion, logMax, dueAt,
 * id, channel, then pairs (field, json) in table order.
 */
export const REPLACE = `${DUE}${MAY_WRITE}
local v = tonumber(redis.call('GET', KEYS[2]) or '-1')
local expected = tonumber(ARGV[2])
if expected < 0 then
  if v >= 0 then return 0 end
  v = 0
elseif v < 0 then return -1
elseif not mayWrite(KEYS[1], ARGV[1], v, expected) then return 0 end
redis.call('DEL', KEYS[3], KEYS[4], KEYS[7], KEYS[8])
local n = 0
local i = 7
while i < #ARGV do
  local f = ARGV[i]
  redis.call('HSET', KEYS[3], f, ARGV[i + 1])
  if string.byte(f, 1) ~= 0 then
    redis.call('HSET', KEYS[4], f, n)
    n = n + 1
  end
  i = i + 2
end
redis.call('SET', KEYS[5], n)
v = v + 1
redis.call('SET', KEYS[2], v)
redis.call('XADD', KEYS[6], 'MAXLEN', '~', ARGV[3], v .. '-0', 'c', 'R')
redis.call('SADD', KEYS[10], ARGV[5])
setDue(KEYS[9], ARGV[4], ARGV[5])
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
redis.call('PUBLISH', ARGV[6], ARGV[5] .. ' ' .. v)
return v
`;

/** KEYS lock, due, v. ARGV token, dueAt, id, expectedVersion. Releases without writing. */
export const RELEASE = `${DUE}
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
if tonumber(redis.call('GET', KEYS[3]) or '-1') == tonumber(ARGV[4]) then setDue(KEYS[2], ARGV[2], ARGV[3]) end
return 1
`;

/** KEYS lock, v, h, o, n, log, j, jn, due, workspaces. ARGV token, id, channel. Deletes the workspace (under the lock). */
export const DESTROY = `
local cur = redis.call('GET', KEYS[1])
if cur and cur ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8])
redis.call('ZREM', KEYS[9], ARGV[2])
redis.call('SREM', KEYS[10], ARGV[2])
redis.call('PUBLISH', ARGV[3], ARGV[2] .. ' -1')
return 1
`;

/** KEYS lock. ARGV token, ttlMs. Extends the caller's lock (while its turn waits on something). */
export const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

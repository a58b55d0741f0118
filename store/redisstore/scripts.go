package redisstore

import "github.com/redis/go-redis/v9"

// Lua scripts for operations that read and write, or write several keys,
// as one atomic step. redis.Script runs EVALSHA and falls back to EVAL, so
// they survive a server restart that empties the script cache.

// releaseScript deletes a claim unless it has been confirmed.
// KEYS[1] ledger key.
var releaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == 'c' then
  return redis.call('DEL', KEYS[1])
end
return 0`)

// lockScript takes a free lock and issues the next fencing token, or
// returns 0. KEYS[1] lock, KEYS[2] fence counter; ARGV[1] ttl in ms.
var lockScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], token, 'PX', ARGV[1])
return token`)

// extendScript renews a lock its token still holds; 1 if renewed.
// KEYS[1] lock; ARGV[1] token, ARGV[2] ttl in ms.
var extendScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`)

// unlockScript deletes a lock its token still holds; 1 if deleted.
// KEYS[1] lock; ARGV[1] token.
var unlockScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`)

// reserveScript is the generic cell rate algorithm (see Store.Reserve) in
// microseconds. It returns the wait. KEYS[1] bucket; ARGV[1] emission
// interval, ARGV[2] per, ARGV[3] now, or "" for the server's TIME.
var reserveScript = redis.NewScript(`
local now
if ARGV[3] == '' then
  -- Redis before 5 needs effects replication to write after TIME.
  if redis.replicate_commands then redis.replicate_commands() end
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
else
  now = tonumber(ARGV[3])
end
local interval = tonumber(ARGV[1])
local per = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local wait = tat - now - (per - interval)
if wait < 0 then wait = 0 end
tat = tat + interval
redis.call('SET', KEYS[1], string.format('%d', tat), 'PX', math.floor((tat - now) / 1000) + 1)
return wait`)

// appendScript appends to a key's log and records the key; it returns the
// new length, which is the entry's sequence number. KEYS[1] log, KEYS[2]
// key set; ARGV[1] value, ARGV[2] key.
var appendScript = redis.NewScript(`
local n = redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('SADD', KEYS[2], ARGV[2])
return n`)

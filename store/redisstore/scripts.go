package redisstore

import "github.com/redis/go-redis/v9"

// Lua scripts for operations that read and write, or write several keys,
// as one atomic step. redis.Script runs EVALSHA and falls back to EVAL, so
// they survive a server restart that empties the script cache.

// claimState is shared by the ledger scripts: it sets st to 'free' (absent,
// or claimed under ARGV[2] with a token below ARGV[1]), 'own', 'other' or
// 'sent' for KEYS[1]. Expired keys are absent in Redis.
const claimState = `
local v = redis.call('GET', KEYS[1])
local st = 'free'
if v == 's' then
  st = 'sent'
elseif v then
  local tok, lock = string.match(v, '^c:(%-?%d+):(.*)$')
  if tok == ARGV[1] and lock == ARGV[2] then
    st = 'own'
  elseif not (lock == ARGV[2] and tonumber(tok) < tonumber(ARGV[1])) then
    st = 'other'
  end
end
`

// claimScript takes or renews a claim; 1 if owner holds it now.
// KEYS[1] ledger key; ARGV[1] token, ARGV[2] lock, ARGV[3] ttl in ms.
var claimScript = redis.NewScript(claimState + `
if st == 'free' or st == 'own' then
  redis.call('SET', KEYS[1], 'c:' .. ARGV[1] .. ':' .. ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0`)

// confirmScript marks a key sent unless it already is; 2 when another
// owner's claim was replaced. ARGV[3] retention in ms, 0 for none.
var confirmScript = redis.NewScript(claimState + `
if st == 'sent' then return 1 end
if ARGV[3] == '0' then
  redis.call('SET', KEYS[1], 's')
else
  redis.call('SET', KEYS[1], 's', 'PX', ARGV[3])
end
if st == 'other' then return 2 end
return 1`)

// releaseScript deletes owner's claim. ARGV[1] token, ARGV[2] lock.
var releaseScript = redis.NewScript(claimState + `
if st == 'own' then return redis.call('DEL', KEYS[1]) end
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

// reserveScript is the sliding-window log (see Store.Reserve) in
// microseconds: KEYS[1] is a list of the last burst sends, oldest first.
// It logs a send now and returns 0, or returns the wait and logs nothing.
// ARGV[1] burst, ARGV[2] per, ARGV[3] now, or "" for the server's TIME.
var reserveScript = redis.NewScript(serverNow + `
local burst = tonumber(ARGV[1])
local per = tonumber(ARGV[2])
local n = redis.call('LLEN', KEYS[1])
if n >= burst then
  local free = tonumber(redis.call('LINDEX', KEYS[1], n - burst)) + per
  if free > now then return free - now end
end
redis.call('RPUSH', KEYS[1], string.format('%d', now))
redis.call('LTRIM', KEYS[1], -burst, -1)
redis.call('PEXPIRE', KEYS[1], math.floor(per / 1000) + 1)
return 0`)

// blockScript fills the window with burst slots at now+d-per, keeping
// later slots already handed out. ARGV[1] burst, ARGV[2] per, ARGV[3] now
// or "", ARGV[4] d.
var blockScript = redis.NewScript(serverNow + `
local burst = tonumber(ARGV[1])
local per = tonumber(ARGV[2])
local floor = now + tonumber(ARGV[4]) - per
local old = redis.call('LRANGE', KEYS[1], -burst, -1)
local slots = {}
for i = 1, burst do
  local j = #old - burst + i
  local v = floor
  if j >= 1 and tonumber(old[j]) > floor then v = tonumber(old[j]) end
  slots[i] = string.format('%d', v)
end
redis.call('DEL', KEYS[1])
redis.call('RPUSH', KEYS[1], unpack(slots))
local last = tonumber(slots[burst])
redis.call('PEXPIRE', KEYS[1], math.floor((last + per - now) / 1000) + 1)
return 1`)

// serverNow sets now from ARGV[3], or from the server's TIME when it is
// empty, in microseconds.
const serverNow = `
local now
if ARGV[3] == '' then
  -- Redis before 5 needs effects replication to write after TIME.
  if redis.replicate_commands then redis.replicate_commands() end
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
else
  now = tonumber(ARGV[3])
end
`

// appendScript appends to a key's log and records the key; it returns the
// new length, which is the entry's sequence number. KEYS[1] log, KEYS[2]
// key set; ARGV[1] value, ARGV[2] key.
var appendScript = redis.NewScript(`
local n = redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('SADD', KEYS[2], ARGV[2])
return n`)

// appendOnceScript appends ARGV[1] to a key's log unless ARGV[3] is in its
// id hash; it returns {seq, 1} for a new entry, {seq of the earlier
// entry, 0} for a known id. KEYS[1] log, KEYS[2] key set, KEYS[3] id hash;
// ARGV[2] key.
var appendOnceScript = redis.NewScript(`
local seq = redis.call('HGET', KEYS[3], ARGV[3])
if seq then return {tonumber(seq), 0} end
local n = redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('SADD', KEYS[2], ARGV[2])
redis.call('HSET', KEYS[3], ARGV[3], n)
return {n, 1}`)

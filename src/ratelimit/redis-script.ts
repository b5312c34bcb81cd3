// Lua that sets `nowUs` from the Redis clock when the caller passed no time.
const readRedisClock = `if not nowUs then
  local time = redis.call('TIME')
  nowUs = tonumber(time[1]) * 1000000 + tonumber(time[2])
end`;

/**
 * The Lua form of `applyGcra`, run atomically by Redis so that instances sharing a key never
 * interleave their read and write of its TAT.
 *
 * KEYS[1]  the key's TAT as whole microseconds since the epoch (absent = full bucket)
 * ARGV[1]  emission interval in µs; ARGV[2] burst; ARGV[3] cost
 * ARGV[4]  the caller's time in µs, or '' to read the Redis clock
 * ARGV[5]  ms added to each key's expiry
 * Returns  { allowed (0|1), TAT after the step (µs), decision time (µs), retry after (µs, -1 = never) }
 *
 * Scripts replicate by their effects (the default since Redis 5, the only mode since Redis 7.0), so
 * TIME may precede a write.
 * Lua numbers are doubles, exact for integers below 2^53, and `validatePolicy` keeps every TAT
 * below that. `%d` formatting avoids `tostring`, which keeps only 14 significant digits.
 * The key expires when its bucket is full again, as it then carries no state, plus the margin. A TAT clamped after
 * the clock went backwards is written back, as `mustStoreTat` does for the memory store.
 */
export const GCRA_SCRIPT = `
local intervalUs = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local nowUs = tonumber(ARGV[4])
local expiryMarginMs = tonumber(ARGV[5])
${readRedisClock}

local function storeTat(tatUs)
  local ttlMs = math.ceil((tatUs - nowUs) / 1000) + expiryMarginMs
  redis.call('SET', KEYS[1], string.format('%d', tatUs), 'PX', ttlMs)
end

local capacityUs = burst * intervalUs
local tatUs = math.max(tonumber(redis.call('GET', KEYS[1])) or nowUs, nowUs)
local clamped = tatUs > nowUs + capacityUs
if clamped then
  tatUs = nowUs + capacityUs
  storeTat(tatUs)
end
if cost > burst then
  return { 0, tatUs, nowUs, -1 }
end

local newTatUs = tatUs + cost * intervalUs
local allowAtUs = newTatUs - capacityUs
if nowUs < allowAtUs then
  return { 0, tatUs, nowUs, allowAtUs - nowUs }
end
if cost > 0 then
  storeTat(newTatUs)
end
return { 1, newTatUs, nowUs, 0 }
`;

/**
 * The Lua form of `refundGcra`: gives back ARGV[2] requests of a key's TAT (KEYS[1]) atomically,
 * and deletes the key when its bucket is then full. ARGV[1] is the emission interval in µs,
 * ARGV[3] the caller's time in µs or '' for the Redis clock, ARGV[4] the expiry margin in ms.
 * Returns 1 when the key had state, else 0.
 */
export const GCRA_REFUND_SCRIPT = `
local intervalUs = tonumber(ARGV[1])
local cost = tonumber(ARGV[2])
local nowUs = tonumber(ARGV[3])
local expiryMarginMs = tonumber(ARGV[4])
${readRedisClock}

local storedUs = tonumber(redis.call('GET', KEYS[1]))
if not storedUs then
  return 0
end
local tatUs = storedUs - cost * intervalUs
if tatUs <= nowUs then
  redis.call('DEL', KEYS[1])
else
  local ttlMs = math.ceil((tatUs - nowUs) / 1000) + expiryMarginMs
  redis.call('SET', KEYS[1], string.format('%d', tatUs), 'PX', ttlMs)
end
return 1
`;

-- perf.cache_stats.lua: calls and returns through the Lua VM.
local function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end
print(fib(18), string.format("%.3f", math.sqrt(2)))

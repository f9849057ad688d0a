# Python threads for the --deterministic test: a lock, a condition, a
# queue between a producer and consumers, a pool, a timer and an event.
import queue, threading
from concurrent.futures import ThreadPoolExecutor

lock = threading.Lock()
total = 0
def add(n):
    global total
    for i in range(n):
        with lock:
            total += 1
ts = [threading.Thread(target=add, args=(2000,)) for _ in range(4)]
for t in ts: t.start()
for t in ts: t.join()
print("total", total)

q = queue.Queue(maxsize=3)
got = []
def consume():
    while (x := q.get()) is not None:
        got.append(x * x)
cs = [threading.Thread(target=consume) for _ in range(2)]
for c in cs: c.start()
for i in range(50): q.put(i)
for c in cs: q.put(None)
for c in cs: c.join()
print("squares", sum(got), len(got))

with ThreadPoolExecutor(max_workers=3) as pool:
    print("pool", sum(pool.map(lambda x: x * 3, range(100))))

fired = threading.Event()
threading.Timer(0.05, fired.set).start()
print("timer", fired.wait(5))

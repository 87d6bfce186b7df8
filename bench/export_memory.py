# Run by bench/run.py through `manage.py shell -c`: stream the writeups CSV export (the code
# behind /export/writeups.csv) for BENCH_EXPORT_ROWS rows and report the peak memory.
import json
import os
import resource
import time

from registry.discovery import exports

limit = int(os.environ.get("BENCH_EXPORT_ROWS", "100000"))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
started = time.monotonic()
rows = 0
for _line in exports._csv("writeups", "http://127.0.0.1"):
    rows += 1
    if rows > limit:  # the header line plus `limit` rows
        break
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"rows": rows - 1, "peak_rss_mb": peak, "peak_growth_mb": peak - before,
                  "seconds": time.monotonic() - started}))

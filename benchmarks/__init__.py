"""`make bench`: the portal at scale (100,000 numbers) against the sandbox and PostgreSQL.

`python -m benchmarks.run [--n N]` seeds a sandbox subprocess, syncs numbers and 911 into a
dedicated database, measures the list page and a bulk purchase, compares the sync with a
floor (raw parse + COPY) and a naive path (zeep + update_or_create), and writes the figures
to `benchmarks/last.json` and `benchmarks/results/<timestamp>.json`. See docs/benchmarks.md.
"""

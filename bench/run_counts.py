"""Print, as JSON, the query count of each benchmarked URL on DATABASE_URL."""

import json

from bench.run import _setup

_setup()

from bench.run import query_counts, targets  # noqa: E402

print(json.dumps(query_counts(targets()["urls"])))

#!/usr/bin/env bash
# The run command (README): set up, then open the story map page on the bundled corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Each reader's run is a thread; glibc gives threads malloc arenas of their own, and the
# map's large strings left them fragmented: 20 readers kept +20% of the server's memory
# for good, 2 arenas +1% (benchmarks/page_load.py).
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
# serve.py serves streamlit_app.py and warms its first run while the browser loads.
exec .venv/bin/python -m streamlit run serve.py --server.address 127.0.0.1 \
  --server.port "${PORT:-8501}" --browser.gatherUsageStats false "$@"

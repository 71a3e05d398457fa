#!/usr/bin/env bash
# The run command (README): set up, then open the story map page on the bundled corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m streamlit run streamlit_app.py --server.address 127.0.0.1 \
  --server.port "${PORT:-8501}" --browser.gatherUsageStats false "$@"

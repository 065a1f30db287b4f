"""Time each app-shell page, as each role that uses it, on a seeded SQLite database.

    .venv/bin/python bench/ui_pages.py [--calls-per-agent 200] [--repeats 3]

Builds a temporary database with the UI test data set plus `--calls-per-agent` evaluated calls
for each of the three agents (the demo has twelve calls in all, so the default is well above
it), then renders every page through Streamlit's AppTest: once cold (empty query cache; the
libraries a running server has already imported — pandas, pyarrow, plotly — are imported first)
and `--repeats` times warm. Prints the median milliseconds, the ratio to the 1 s target, and the
ratio to the Welcome page (a page that reads nothing) measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from streamlit.testing.v1 import AppTest  # noqa: E402

from qa.settings import get_settings  # noqa: E402
from qa.storage.db import session_scope  # noqa: E402
from qa.storage.migrate import upgrade_to_head  # noqa: E402
from qa.storage.scorecard_store import sync_shipped_scorecards  # noqa: E402
from tests.ui.conftest import _render_page, signed_in, viewer_for  # noqa: E402
from tests.ui.seed import seed  # noqa: E402

TARGET_MS = 1000.0
CASES = (
    ("welcome", "admin"),
    ("review_queue", "reviewer"),
    ("call_review", "reviewer"),
    ("call_review", "sara"),
    ("my_scores", "sara"),
    ("scorecards_admin", "admin"),
    ("calls_admin", "admin"),
)


def _render_ms(page: str, url: str, username: str) -> float:
    at = signed_in(
        AppTest.from_function(_render_page, args=(page,), default_timeout=120),
        viewer_for(url, username),
    )
    started = time.perf_counter()
    at.run()
    elapsed = 1000 * (time.perf_counter() - started)
    if at.exception or at.error:
        raise SystemExit(f"{page} as {username} failed: {[e.value for e in at.error]}")
    return elapsed


def _import_what_a_running_server_has() -> None:
    """Import once what the first page anyone opens imports, so 'cold' means an empty cache."""
    import pandas as pd
    import plotly.express  # noqa: F401
    import pyarrow as pa

    pa.Table.from_pandas(pd.DataFrame({"warm": [1]}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls-per-agent", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'callqa.sqlite3'}"
        os.environ["DATABASE_URL"] = url
        os.environ["CALLQA_HOME"] = folder
        get_settings.cache_clear()
        upgrade_to_head(url)
        seeded = seed(url, Path(folder) / "audio", extra_calls_per_agent=args.calls_per_agent)
        with session_scope(url) as session:
            sync_shipped_scorecards(session)
        print(f"{len(seeded.calls)} calls; median of {args.repeats} warm renders")
        print(f"{'page':<18}{'as':<10}{'cold ms':>9}{'warm ms':>9}{'/ 1 s':>8}{'/ welcome':>11}")
        _import_what_a_running_server_has()
        baseline = None
        for page, username in CASES:
            cold = _render_ms(page, url, username)
            warm = statistics.median(_render_ms(page, url, username) for _ in range(args.repeats))
            baseline = baseline or warm
            print(
                f"{page:<18}{username:<10}{cold:>9.0f}{warm:>9.0f}"
                f"{cold / TARGET_MS:>8.2f}{warm / baseline:>11.1f}"
            )


if __name__ == "__main__":
    main()

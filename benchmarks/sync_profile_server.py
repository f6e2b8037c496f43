"""The sync server under cProfile, for `benchmarks.sync --profile DIR` (not a benchmark).

Routes normally run in a thread pool, which cProfile does not see; with one client sending
one request at a time, running them on the event loop's thread loses nothing and puts every
cost (parsing, validation, applying, encoding) into one profile. SIGINT ends it and writes.
"""

from __future__ import annotations

import cProfile
import sys
from pathlib import Path
from typing import Any


def main() -> int:
    out, home, url, port = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    import fastapi.dependencies.utils
    import fastapi.routing
    import starlette.concurrency
    import uvicorn

    async def inline(func: Any, *args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    fastapi.routing.run_in_threadpool = inline  # type: ignore[assignment]
    fastapi.dependencies.utils.run_in_threadpool = inline  # type: ignore[assignment]
    starlette.concurrency.run_in_threadpool = inline  # type: ignore[assignment]

    from muskan_desktop.server.app import create_app
    from muskan_desktop.server.cli import tune_gc
    from muskan_desktop.server.store import ServerStore

    app = create_app(ServerStore(Path(home), url))
    tune_gc()  # (as `muskan-server serve` does)
    prof = cProfile.Profile()
    prof.enable()
    try:
        uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    finally:
        prof.disable()
        prof.dump_stats(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

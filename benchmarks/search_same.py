"""Does a change to the index build keep search the same? Writes what search shows for the
benchmark library (the bundled lessons and 1,000 copies, as benchmarks/run.py makes them).

    python benchmarks/search_same.py OUT.json [--cli]

OUT.json holds, for each query, the hits `edukit search --json` prints (by the API, and with
--cli also by running the command line) and the hits while typing, plus a digest of every
indexed row (what any other query could find or show). Compare two runs' files with cmp:
a faster build must give a byte-identical file.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]
QUERIES = ["grooming", "trusted adult", "report", "sextortion help", "screensh", "nudes law",
           "childline", "deepfake", "live stream", "block", "CEOP", "school.name", "&amp;",
           "safeguarding lead", "helpline number", "é", "NEAR(", "groo", "x"]


def rows_digest(index) -> dict[str, str]:
    """A digest of each table's rows (the stamp holds temporary paths: left out)."""
    conn = index.connection()
    tables = {"files": "SELECT lesson, module_id, title, first_row, last_row FROM files",
              "sections": "SELECT rowid, * FROM sections", "lessons": "SELECT rowid, * FROM lessons"}
    out = {}
    for name, sql in tables.items():
        digest = hashlib.sha256()
        for row in conn.execute(sql + " ORDER BY rowid"):
            digest.update(json.dumps(row, ensure_ascii=False).encode())
        out[name] = digest.hexdigest()
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--cli", action="store_true", help="also run `edukit search --json`")
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    from run import environment, generated_library

    from edukit.core.library import Library
    from edukit.core.search import SearchIndex

    with tempfile.TemporaryDirectory(prefix="edukit-same-") as folder:
        tmp = Path(folder)
        env = environment(tmp)
        os.environ.update({k: v for k, v in env.items() if k.startswith("EDUKIT_")})
        content = generated_library(tmp, args.count)
        library = Library.default(extra=[content])
        index = SearchIndex(tmp / "search.sqlite3")
        index.refresh(library.modules)
        found = {"rows": rows_digest(index), "queries": {}, "typed": {}}
        for query in QUERIES:
            found["queries"][query] = [h.as_dict() for h in index.search(query)]
            found["typed"][query] = [h.as_dict() for h in index.search(query, accepts=bool)]
        index.close()
        if args.cli:
            found["cli"] = {query: subprocess.run(
                [sys.executable, "-m", "edukit", "search", "--content", str(content), "--json",
                 query], env=env, capture_output=True, text=True, timeout=300, check=True).stdout
                for query in QUERIES}
    args.out.write_text(json.dumps(found, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written {args.out}: {len(QUERIES)} queries, rows {found['rows']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Copy uv's version and hashes from uv.lock into requirements-bootstrap.txt (`make lock`)."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    uv = next(p for p in lock["package"] if p["name"] == "uv")
    hashes = [w["hash"] for w in uv.get("wheels", [])]
    if "sdist" in uv:
        hashes.append(uv["sdist"]["hash"])
    lines = [
        "# uv, the installer that reads uv.lock; pinned with its hashes by tools/pin_bootstrap.py.",
        f"uv=={uv['version']} \\",
        " \\\n".join(f"    --hash={h}" for h in hashes),
    ]
    (ROOT / "requirements-bootstrap.txt").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()

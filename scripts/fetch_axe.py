"""Fetch axe-core, the accessibility checker the browser tests inject into pages.

The published npm tarball of one pinned version is downloaded from the npm
registry, checked against the sha512 `dist.integrity` of the registry's
metadata (which must also match the integrity pinned here), and its
`axe.min.js` is kept in `.cache/axe-core/<version>/`, a folder git ignores.
Node is not needed. Run `python scripts/fetch_axe.py` to fetch it by hand.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from pathlib import Path

AXE_VERSION = "4.14.1"
AXE_INTEGRITY = (
    "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/"
    "pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
)
REGISTRY = "https://registry.npmjs.org"
CACHE_DIR = Path(__file__).resolve().parents[1] / ".cache" / "axe-core"
MEMBER = "package/axe.min.js"


class AxeFetchError(RuntimeError):
    """axe-core could not be fetched or did not pass its integrity check."""


def integrity_of(data: bytes) -> str:
    """The npm `dist.integrity` string (sha512, base64) of a tarball's bytes."""
    digest = hashlib.sha512(data).digest()
    return "sha512-" + base64.b64encode(digest).decode("ascii")


def axe_script_from_tarball(data: bytes, integrity: str) -> bytes:
    """`axe.min.js` out of a published tarball whose bytes match `integrity`."""
    if not integrity.startswith("sha512-"):
        raise AxeFetchError(f"only sha512 integrity is accepted, not {integrity!r}")
    got = integrity_of(data)
    if got != integrity:
        raise AxeFetchError(
            f"the axe-core tarball fails its integrity check: {got} != {integrity}"
        )
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        try:
            member = archive.getmember(MEMBER)
        except KeyError:
            raise AxeFetchError(f"the tarball holds no {MEMBER}") from None
        extracted = archive.extractfile(member)
        if extracted is None:
            raise AxeFetchError(f"{MEMBER} in the tarball is not a file")
        return extracted.read()


def _get(url: str, timeout: float) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as reply:
            return reply.read()
    except OSError as error:
        raise AxeFetchError(f"could not fetch {url}: {error}") from error


def fetch_axe(
    version: str = AXE_VERSION,
    pinned_integrity: str | None = AXE_INTEGRITY,
    cache_dir: Path = CACHE_DIR,
    registry: str = REGISTRY,
    timeout: float = 30,
) -> Path:
    """The path of `axe.min.js` of `version`, downloaded and checked if not cached."""
    target = cache_dir / version / "axe.min.js"
    if target.is_file():
        return target

    metadata = json.loads(_get(f"{registry}/axe-core/{version}", timeout))
    dist = metadata.get("dist", {})
    tarball_url, integrity = dist.get("tarball"), dist.get("integrity")
    if not tarball_url or not integrity:
        raise AxeFetchError(f"the registry gives no tarball or integrity for {version}")
    if pinned_integrity is not None and integrity != pinned_integrity:
        raise AxeFetchError(
            f"the registry's integrity for axe-core {version} is {integrity}, "
            f"not the pinned {pinned_integrity}"
        )

    script = axe_script_from_tarball(_get(tarball_url, timeout), integrity)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    partial.write_bytes(script)
    partial.replace(target)
    return target


def main() -> int:
    try:
        path = fetch_axe()
    except AxeFetchError as error:
        print(f"axe-core: {error}", file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

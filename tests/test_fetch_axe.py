"""scripts/fetch_axe.py against a registry served on loopback: a tarball is
kept only when its bytes match the registry's sha512 and the pinned one."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import tarfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from scripts.fetch_axe import AxeFetchError, axe_script_from_tarball, fetch_axe

SCRIPT = b"window.axe = {run: () => ({violations: []})};"


def tarball(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def sha512_integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


@pytest.fixture
def registry() -> Iterator[dict]:
    """A registry on loopback; the test sets what its routes answer."""
    routes: dict[str, bytes] = {}
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            body = routes.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.end_headers()
            self.wfile.write(body or b"{}")

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield {"url": url, "routes": routes, "seen": seen}
    finally:
        server.shutdown()
        server.server_close()


def publish(registry: dict, version: str, data: bytes, integrity: str) -> None:
    tarball_path = f"/axe-core/-/axe-core-{version}.tgz"
    registry["routes"][tarball_path] = data
    registry["routes"][f"/axe-core/{version}"] = json.dumps(
        {"dist": {"tarball": registry["url"] + tarball_path, "integrity": integrity}}
    ).encode()


def test_a_matching_tarball_is_extracted_and_cached_once(registry, tmp_path):
    data = tarball({"package/axe.min.js": SCRIPT, "package/README.md": b"x"})
    integrity = sha512_integrity(data)
    publish(registry, "9.9.9", data, integrity)

    path = fetch_axe("9.9.9", integrity, tmp_path, registry["url"])
    assert path == tmp_path / "9.9.9" / "axe.min.js"
    assert path.read_bytes() == SCRIPT

    asked = len(registry["seen"])  # metadata + tarball = 2
    assert asked == 2
    assert fetch_axe("9.9.9", integrity, tmp_path, registry["url"]) == path
    assert len(registry["seen"]) == asked


def test_a_tarball_changed_after_publishing_is_refused(registry, tmp_path):
    published = tarball({"package/axe.min.js": SCRIPT})
    tampered = tarball({"package/axe.min.js": SCRIPT + b"steal();"})
    publish(registry, "9.9.9", tampered, sha512_integrity(published))

    with pytest.raises(AxeFetchError, match="integrity check"):
        fetch_axe("9.9.9", None, tmp_path, registry["url"])
    assert not (tmp_path / "9.9.9" / "axe.min.js").exists()


def test_metadata_that_disagrees_with_the_pinned_integrity_is_refused(
    registry, tmp_path
):
    data = tarball({"package/axe.min.js": SCRIPT})
    publish(registry, "9.9.9", data, sha512_integrity(data))
    pinned = sha512_integrity(b"the tarball reviewed when the version was pinned")

    with pytest.raises(AxeFetchError, match="pinned"):
        fetch_axe("9.9.9", pinned, tmp_path, registry["url"])
    assert not (tmp_path / "9.9.9").exists()


def test_an_unreachable_registry_is_an_axe_fetch_error(registry, tmp_path):
    with pytest.raises(AxeFetchError, match="could not fetch"):
        fetch_axe("1.0.0", None, tmp_path, registry["url"])


def test_only_sha512_integrity_is_accepted():
    data = tarball({"package/axe.min.js": SCRIPT})
    sha1 = "sha1-" + base64.b64encode(hashlib.sha1(data).digest()).decode()
    with pytest.raises(AxeFetchError, match="sha512"):
        axe_script_from_tarball(data, sha1)


def test_a_tarball_without_the_script_is_refused():
    data = tarball({"package/axe.js": SCRIPT})
    with pytest.raises(AxeFetchError, match=r"no package/axe\.min\.js"):
        axe_script_from_tarball(data, sha512_integrity(data))

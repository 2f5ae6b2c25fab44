"""Sending gTTS's requests ourselves: TLS verification always on, a deadline for the whole
request (a server that trickles one byte at a time cannot hang the build), one connection per
request, and Google's answer decoded. gTTS still prepares the requests."""

from __future__ import annotations

import base64
import binascii
import os
import re
import socket
import threading
import time
from urllib.parse import urlsplit

import requests
import requests.adapters
import urllib3
import urllib3.connection

MAX_ANSWER_BYTES = 20_000_000
GOOGLE_AUDIO = re.compile(rb'jQ1olc","\[\\"(.*)\\"]')


def google_audio(body: bytes) -> bytes:
    """The MP3 in Google's answer, read as gTTS reads it."""
    audio = b""
    for line in body.splitlines():
        if b"jQ1olc" not in line:
            continue
        found = GOOGLE_AUDIO.search(line)
        if not found:
            raise EmptyAnswer("the answer carries no audio")
        try:
            audio += base64.b64decode(found.group(1), validate=True)
        except (binascii.Error, ValueError):
            raise EmptyAnswer("the answer's audio is garbled") from None
    if not audio:
        raise EmptyAnswer("empty answer")
    return audio


class Answer(Exception):
    def __init__(self, status):
        super().__init__(status)
        self.status = status


class Throttled(Answer):
    """429 or 5xx: worth another try, a few times."""


class Refused(Answer):
    """Any other answer but 200: the request itself is wrong."""


class TooSlow(Exception):
    pass


class EmptyAnswer(Exception):
    pass


def host_of(request) -> str:
    return urlsplit(request.url).netloc or "Google"


def tls_reason(error: BaseException) -> str:
    text = str(error)
    for known in ("self-signed certificate", "self signed certificate", "certificate has expired",
                  "hostname mismatch", "unable to get local issuer certificate", "certificate verify failed"):
        if known in text:
            return known
    return root_cause(error)


# --- the whole-request deadline --------------------------------------------------------------

_current = threading.local()


class Deadline:
    """At most `seconds` for everything a request does. Each socket opened meanwhile (in this
    thread) is watched through a duplicate of its descriptor; when time is up it is shut down,
    which wakes any read blocked on it, wherever it is (TLS handshake, headers or body)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self._expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    @property
    def expired(self) -> bool:
        return self._expired or time.monotonic() >= self.end

    def remaining(self) -> float:
        return max(0.0, self.end - time.monotonic())

    def watch(self, sock: socket.socket) -> None:
        try:
            watcher = socket.socket(fileno=os.dup(sock.fileno()))
        except OSError:
            return
        with self._lock:
            self._sockets.append(watcher)
            if self._expired:
                _shut(watcher)

    def _expire(self) -> None:
        with self._lock:
            self._expired = True
            for watcher in self._sockets:
                _shut(watcher)

    def __enter__(self) -> Deadline:
        _current.deadline = self
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()
        _current.deadline = None
        with self._lock:
            for watcher in self._sockets:
                watcher.close()
            self._sockets.clear()


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


class _Watched:
    """A connection whose socket the current Deadline watches."""

    def _new_conn(self):
        sock = super()._new_conn()
        deadline = getattr(_current, "deadline", None)
        if deadline is not None:
            deadline.watch(sock)
        return sock


class _WatchedHTTPConnection(_Watched, urllib3.connection.HTTPConnection):
    pass


class _WatchedHTTPSConnection(_Watched, urllib3.connection.HTTPSConnection):
    pass


class _OneUse:
    """No connection is used twice: each request connects afresh, under its own deadline."""

    def _put_conn(self, conn):
        if conn is not None:
            conn.close()
        super()._put_conn(conn)


class _HTTPPool(_OneUse, urllib3.HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _HTTPSPool(_OneUse, urllib3.HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


POOLS = {"http": _HTTPPool, "https": _HTTPSPool}


class _WatchedAdapter(requests.adapters.HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(POOLS)

    def proxy_manager_for(self, proxy, **kwargs):
        manager = super().proxy_manager_for(proxy, **kwargs)
        if not proxy.lower().startswith("socks"):
            manager.pool_classes_by_scheme = dict(POOLS)
        return manager


def verified_session() -> requests.Session:
    """A session that verifies TLS certificates (requests' default, stated here so it stays so)."""
    session = requests.Session()
    session.verify = True
    for scheme in ("http://", "https://"):
        session.mount(scheme, _WatchedAdapter(max_retries=0))
    return session


def root_cause(error: BaseException) -> str:
    """The innermost exception's name, e.g. NameResolutionError or ReadTimeout."""
    while error.__cause__ or error.__context__:
        error = error.__cause__ or error.__context__
    return type(error).__name__



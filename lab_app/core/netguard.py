"""An in-process block on the network, for the test suite and any process it starts.

BERT Lab never needs the network at run time; the tests prove it by running with this block
installed for the whole session, and every ``bert-lab`` process they start (the CLI tests, the
classroom bundle) installs it too when ``BERT_LAB_NO_NETWORK=1`` is in its environment. Name
lookups, TCP and UDP to anything but this machine raise :class:`NetworkBlocked`; loopback and
Unix sockets stay usable (Qt and multiprocessing use them).
"""

from __future__ import annotations

import os
import socket
from typing import Any

ENV = "BERT_LAB_NO_NETWORK"
_LOCAL_NAMES = {"localhost", "127.0.0.1", "::1", "", None}
_installed = False


class NetworkBlocked(RuntimeError):
    pass


def _local(host: object) -> bool:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    return host in _LOCAL_NAMES or (isinstance(host, str) and host.startswith("127."))


def _check(sock: Any, address: object) -> None:
    if sock.family == getattr(socket, "AF_UNIX", None):
        return
    host = address[0] if isinstance(address, tuple) else address
    if not _local(host):
        raise NetworkBlocked(f"BERT Lab tried to reach the network: {address!r}")


def install() -> None:
    """Block the network in this process from now on (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_sendto, real_getaddrinfo = socket.socket.sendto, socket.getaddrinfo

    def connect(self: socket.socket, address: Any) -> None:
        _check(self, address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        _check(self, address)
        return real_connect_ex(self, address)

    def sendto(self: socket.socket, data: Any, *args: Any) -> int:
        _check(self, args[-1])
        return int(real_sendto(self, data, *args))

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not _local(host):
            raise NetworkBlocked(f"BERT Lab tried to reach the network: looking up {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    setattr(socket.socket, "connect", connect)  # noqa: B010 (patching a C type's method)
    setattr(socket.socket, "connect_ex", connect_ex)  # noqa: B010
    setattr(socket.socket, "sendto", sendto)  # noqa: B010
    setattr(socket, "getaddrinfo", getaddrinfo)  # noqa: B010


def install_if_asked() -> None:
    if os.environ.get(ENV) == "1":
        install()

"""What SharedMemory, Semaphore and ShmChannel share: a libipclab handle (None once closed), a
context manager that closes it, and a finalizer that closes what was left open."""
from __future__ import annotations


class Handle:
    _handle = None

    @property
    def closed(self) -> bool:
        return self._handle is None

    def close(self) -> None:  # each class releases its handle its own way
        raise NotImplementedError

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        if self._handle is not None:
            try:
                self.close()
            except Exception:  # noqa: BLE001 (at interpreter exit, what close() needs may be gone)
                pass

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}{self._describe()}{', closed' if self.closed else ''})"

    def _describe(self) -> str:
        return ""

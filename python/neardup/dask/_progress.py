"""The Dask command's progress line on stderr, as `neardup dedup` draws its own: shown only
when stderr is a terminal (and not with -q), redrawn at most four times a second.

Fingerprinting reads the input, one partition (a block of --blocksize bytes) a task, so the
share of its partitions done is the share of the input read, and the time left is reckoned at
the rate so far. What follows (links, translations) is named as a stage, without a share."""

import sys
import threading
import time

# As the command (cli/progress.cc): a person reads a few lines a second at most, and a rate
# measured over less than a second says little.
_REDRAW_SECONDS = 0.25
_MIN_SECONDS_FOR_ESTIMATE = 1.0


def duration(seconds):
    """'45s', '3m05s', '2h10m': as the command writes a time left."""
    s = max(0, int(seconds + 0.5))
    if s >= 3600:
        return "%dh%02dm" % (s // 3600, s // 60 % 60)
    if s >= 60:
        return "%dm%02ds" % (s // 60, s % 60)
    return "%ds" % s


def line(done, total, elapsed):
    """The line for `done` of `total` input partitions fingerprinted after `elapsed` seconds."""
    out = "neardup.dask: fingerprints, %d of %d partitions" % (done, total)
    if total:
        share = min(1.0, done / total)
        out += ", %d%%" % int(share * 100)
        if elapsed >= _MIN_SECONDS_FOR_ESTIMATE and share > 0:
            out += ", %s left" % duration(elapsed * (1 - share) / share)
    return out


class Progress:
    """Draws the line while the futures of the fingerprinting stage complete (a thread waiting
    on them); then names the later stages. Does nothing unless `enabled` and stderr is a tty."""

    def __init__(self, enabled):
        self.enabled = enabled and sys.stderr.isatty()
        self.shown = False
        self.lock = threading.Lock()

    def _draw(self, text):
        with self.lock:
            sys.stderr.write("\r%s\033[K" % text)
            sys.stderr.flush()
            self.shown = True

    def fingerprinting(self, persisted):
        """Follows the persisted partitions of the fingerprinting stage (dask collections
        backed by futures of the distributed client)."""
        if not self.enabled:
            return
        from distributed import as_completed, futures_of
        futures = futures_of(persisted)
        started = time.monotonic()

        def follow():
            done, last = 0, 0.0
            for _ in as_completed(futures):
                done += 1
                now = time.monotonic()
                if now - last >= _REDRAW_SECONDS or done == len(futures):
                    last = now
                    self._draw(line(done, len(futures), now - started))
            self._draw("neardup.dask: links and translations")

        threading.Thread(target=follow, daemon=True).start()

    def done(self):
        with self.lock:
            if self.shown:
                sys.stderr.write("\r\033[K")
                sys.stderr.flush()
            self.shown = False


__all__ = ["Progress", "line", "duration"]

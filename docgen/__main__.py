"""``python -m docgen`` and the ``docgen`` command: Ctrl-C while the command starts ends it without a traceback."""
import gc
import signal


def _quiet(signum, frame):  # type: ignore[no-untyped-def]
    raise SystemExit(128 + signum)


def run() -> None:
    guard = signal.getsignal(signal.SIGINT) is signal.default_int_handler  # not if Ctrl-C is ignored (nohup)
    if guard:
        signal.signal(signal.SIGINT, _quiet)
    try:
        from .cli import main

        if guard:
            signal.signal(signal.SIGINT, signal.default_int_handler)  # from here click turns Ctrl-C into "Aborted!"
        main()
    finally:
        # The interpreter's last act is a full collection over every object alive, the imported libraries'
        # included (≈ 15-25 ms of a fresh `docgen render`, bench/README.md): the process is ending, its
        # memory goes back whole. Frozen objects are skipped (atexit handlers and weakref.finalize still run).
        gc.freeze()


if __name__ == "__main__":
    run()

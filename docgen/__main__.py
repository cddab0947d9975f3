"""``python -m docgen`` and the ``docgen`` command: Ctrl-C while the command starts ends it without a traceback."""
import signal


def _quiet(signum, frame):  # type: ignore[no-untyped-def]
    raise SystemExit(128 + signum)


def run() -> None:
    guard = signal.getsignal(signal.SIGINT) is signal.default_int_handler  # not if Ctrl-C is ignored (nohup)
    if guard:
        signal.signal(signal.SIGINT, _quiet)
    from .cli import main

    if guard:
        signal.signal(signal.SIGINT, signal.default_int_handler)  # from here click turns Ctrl-C into "Aborted!"
    main()


if __name__ == "__main__":
    run()

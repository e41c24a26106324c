"""`python -m linviz [analyze] --flags`: see linviz/cli.py for the flags and the exit status.
`python -m linviz serve --flags`: a lecture hall, see linviz/serve.py (no torch: it only starts processes)."""
import signal
import sys

if sys.argv[1:2] == ["serve"]:
    from .serve import main as serve

    sys.exit(serve(sys.argv[2:]))

try:
    from .cli import run  # imports torch: a second or two in which Ctrl-C may land
except KeyboardInterrupt:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # one line, even if Ctrl-C is pressed again
    print("linviz: interrupted", file=sys.stderr)
    sys.exit(130)
except Exception as e:  # a broken install or a bug: one line, the internal-error status
    from .env import debug

    if debug():
        raise
    print(f"linviz: internal error while starting ({type(e).__name__}: {str(e)[:200]}). "
          "LINVIZ_DEBUG=1 shows the traceback.", file=sys.stderr)
    sys.exit(4)

sys.exit(run())

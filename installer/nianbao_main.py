"""Entry script of the frozen program (PyInstaller): the same ``app.cli.main`` as the ``nianbao`` command.

``nianbao`` opens the wizard, ``nianbao FILE`` opens a report (a double-click on a ``.nianbao`` file),
``nianbao check …`` / ``nianbao export …`` run without a window.
"""
import multiprocessing
import sys

from app.cli import main

if __name__ == "__main__":
    # a folder check reads files in worker processes: in the frozen program each worker is this executable,
    # started with arguments that freeze_support() recognises (it runs the worker and exits, never main())
    multiprocessing.freeze_support()
    sys.exit(main())

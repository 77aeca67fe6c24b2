"""Entry script of the frozen program (PyInstaller): the same ``app.cli.main`` as the ``nianbao`` command.

``nianbao`` opens the wizard, ``nianbao FILE`` opens a report (a double-click on a ``.nianbao`` file),
``nianbao check …`` / ``nianbao export …`` run without a window.
"""
import multiprocessing
import sys

from app.cli import main

if __name__ == "__main__":
    # published reports are read in worker processes (app.sandbox, and app.review for a folder): in the frozen
    # program each worker is this same executable, which must then serve instead of starting the program
    multiprocessing.freeze_support()
    sys.exit(main())
